import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { UploadOutcome } from '../../../src/model.ts';
import { FILE_ANNOTATION_LIMIT, writeUploadReport } from '../../../src/report/report.ts';
import { RecordingHost } from '../../support/host.ts';
import { mixedResults, result } from '../../support/results.ts';

let tempDir: string;
beforeAll(async () => {
  tempDir = await mkdtemp(path.join(tmpdir(), 'report-'));
});
afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

function outcome(overrides: Partial<UploadOutcome> = {}): UploadOutcome {
  return {
    dryRun: false,
    destination: '/d',
    results: mixedResults,
    annotations: [],
    failures: [],
    ...overrides,
  };
}

async function reported(run: UploadOutcome, withTemp = true): Promise<RecordingHost> {
  const host = new RecordingHost();
  await writeUploadReport(host, run, { elapsedMs: 2000, ...(withTemp ? { tempDir } : {}) });
  return host;
}

describe('writeUploadReport: the one place a run is reported', () => {
  test('annotations found on the way, then one per failed file, then the step fails', async () => {
    const found = { level: 'warning', title: 'Broken symbolic link', message: 'dist/dump.sql …' } as const;
    const host = await reported(outcome({ annotations: [found] }));
    expect(host.annotations).toEqual([
      found,
      {
        level: 'error',
        title: 'Dropbox is out of space',
        message:
          '/d/big.iso (from dist/big.iso) was not uploaded. Dropbox has no room for "/d/big.iso". Free up space.',
      },
    ]);
    expect(host.failures).toEqual(['1 of 4 file(s) did not reach Dropbox.']);
    expect(host.lines.at(-1)).toMatch(/^Uploaded 2, skipped 1, failed 1: 3\.0 MiB in 2\.0 s/);
    expect(host.summaries).toHaveLength(1);
    expect(host.outputs['failed-count']).toBe('1');
  });

  test('a run-wide stop: one annotation for it, none per file', async () => {
    const stoppedBy = {
      title: 'Dropbox refresh token rejected',
      message: 'Revoked.',
      scope: 'credentials',
    } as const;
    const failed = mixedResults.map((each) => ({ ...each, status: 'failed' as const, error: stoppedBy }));
    const host = await reported(outcome({ results: failed, stoppedBy }));
    expect(host.annotations).toEqual([{ level: 'error', title: stoppedBy.title, message: 'Revoked.' }]);
    expect(host.failures).toEqual(['4 of 4 file(s) did not reach Dropbox: Dropbox refresh token rejected.']);
  });

  test(`at most ${FILE_ANNOTATION_LIMIT} file annotations, then one that counts the rest`, async () => {
    const failed = Array.from({ length: 25 }, (_, i) =>
      result({ shownPath: `f${i}`, dropboxPath: `/d/f${i}`, status: 'failed' }),
    );
    const host = await reported(outcome({ results: failed }));
    expect(host.annotations).toHaveLength(FILE_ANNOTATION_LIMIT + 1);
    expect(host.annotations.at(-1)?.message).toMatch(/^15 more file\(s\) did not reach Dropbox/);
  });

  test('other failures follow the files that did not arrive', async () => {
    const host = await reported(outcome({ failures: ['keep-last: Old backups not deleted (keep-last).'] }));
    expect(host.failures).toEqual([
      '1 of 4 file(s) did not reach Dropbox.',
      'keep-last: Old backups not deleted (keep-last).',
    ]);
  });

  test('a dry run fails only for what stopped it, and says what it would do', async () => {
    const host = await reported(outcome({ dryRun: true }));
    expect(host.failures).toEqual([]);
    expect(host.lines.at(-1)).toBe('Dry run: would upload 2 (3.0 MiB), skip 1, fail 1.');
  });

  test('files-json names a file with every entry', async () => {
    const host = await reported(outcome());
    const file = host.outputs['files-json'] ?? '';
    expect(path.dirname(path.dirname(file))).toBe(tempDir);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(JSON.parse(host.outputs['files'] ?? ''));
    expect((await reported(outcome(), false)).outputs['files-json']).toBeUndefined();
  });

  test('a files output cut to 1 MB says so, and files-json still has every entry', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      result({
        shownPath: `out/a-long-folder-name/file-${i}.bin`,
        dropboxPath: `/backups/out/a-long-folder-name/file-${i}.bin`,
      }),
    );
    const host = await reported(outcome({ results: many }));
    const warning = host.annotations.find((annotation) => annotation.title === 'files output cut');
    expect(warning?.level).toBe('warning');
    const listed = (JSON.parse(host.outputs['files'] ?? '') as unknown[]).length;
    expect(warning?.message).toContain(`lists ${listed} of 20000 files`);
    expect(JSON.parse(await readFile(host.outputs['files-json'] ?? '', 'utf8'))).toHaveLength(20_000);
  });
});
