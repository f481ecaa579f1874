/** The restore's report: annotations, outputs, summary and the step's failure, from one outcome. */
import type { DownloadResult, FolderResult } from '../../../src/model.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import type { RestoreRunOutcome } from '../../../src/report/restore-outcome.ts';
import { restoreFileEntry, restoreOutputs } from '../../../src/report/restore-outputs.ts';
import {
  restoreAnnotations,
  restoreFailures,
  restoreReportTitles,
  writeRestoreReport,
} from '../../../src/report/restore-report.ts';
import { restoreSummary } from '../../../src/report/restore-summary.ts';
import { renderText } from '../../../src/report/text.ts';
import { RecordingHost } from '../../support/host.ts';

function result(
  name: string,
  status: DownloadResult['status'],
  extra: Partial<DownloadResult> = {},
): DownloadResult {
  return {
    dropboxPath: `/b/${name}`,
    localPath: `/w/out/${name}`,
    relativePath: name,
    shownPath: `out/${name}`,
    size: 100,
    contentHash: `h-${name}`,
    status,
    bytesReceived: status === 'downloaded' ? 100 : 0,
    ...(status === 'failed'
      ? { error: { title: 'Runner disk full', message: 'Free space.', scope: 'file' } }
      : {}),
    ...extra,
  };
}

function outcome(more: Partial<RestoreRunOutcome> = {}): RestoreRunOutcome {
  return {
    dryRun: false,
    source: '/b',
    target: '/w/out',
    results: [],
    folders: [],
    annotations: [],
    failures: [],
    ...more,
  };
}

const folder = (name: string, status: FolderResult['status']): FolderResult => ({
  dropboxPath: `/b/${name}`,
  localPath: `/w/out/${name}`,
  relativePath: name,
  shownPath: `out/${name}`,
  status,
  ...(status === 'failed'
    ? { error: { title: 'Local path in the way', message: 'Remove it.', scope: 'file' } }
    : {}),
});

describe('annotations', () => {
  test('one per failed file and folder, up to 10, then one that counts the rest', () => {
    const results = Array.from({ length: 12 }, (_, index) => result(`f${index}`, 'failed'));
    const annotations = restoreAnnotations(outcome({ results, folders: [folder('empty', 'failed')] }));
    expect(annotations).toHaveLength(11);
    expect(annotations[0]).toEqual({
      level: 'error',
      title: 'Runner disk full',
      message: '/b/f0 (to out/f0) was not restored. Free space.',
    });
    expect(annotations[10]).toMatchObject({ level: 'error', title: restoreReportTitles.moreFailed });
    expect(annotations[10]?.message).toMatch(/^3 more file\(s\) or folder\(s\) were not restored/);
  });

  test('after a run-wide stop, its one annotation says it all', () => {
    const stoppedBy = {
      title: 'Dropbox refresh token rejected',
      message: 'Authorize again.',
      scope: 'credentials' as const,
    };
    const results = [
      result('a', 'failed', { error: stoppedBy }),
      result('b', 'failed', { error: stoppedBy }),
    ];
    expect(restoreAnnotations(outcome({ results, stoppedBy }))).toEqual([
      { level: 'error', title: stoppedBy.title, message: stoppedBy.message },
    ]);
    expect(restoreFailures(outcome({ results, stoppedBy }))).toEqual([
      '2 of 2 file(s) were not restored: Dropbox refresh token rejected.',
    ]);
  });

  test('a dry run warns about what would fail and does not fail the step for it', () => {
    const dry = outcome({ dryRun: true, results: [result('a', 'failed'), result('b', 'downloaded')] });
    expect(restoreAnnotations(dry).map((annotation) => annotation.level)).toEqual(['warning']);
    expect(restoreFailures(dry)).toEqual([]);
  });
});

describe('failures', () => {
  test('files first, then folders, then what else the run found', () => {
    expect(
      restoreFailures(
        outcome({
          results: [result('a', 'failed'), result('b', 'downloaded')],
          folders: [folder('e', 'failed')],
          failures: ['The run was cancelled; every file had already been restored.'],
        }),
      ),
    ).toEqual([
      '1 of 2 file(s) were not restored.',
      '1 empty folder(s) were not created.',
      'The run was cancelled; every file had already been restored.',
    ]);
  });

  test('a stop before any file (the source not found) still fails the step', () => {
    const stoppedBy = { title: 'Restore source not found in Dropbox', message: '…', scope: 'file' as const };
    expect(restoreFailures(outcome({ stoppedBy }))).toEqual([
      'Nothing was restored: Restore source not found in Dropbox.',
    ]);
  });

  test('a clean run does not fail', () => {
    expect(
      restoreFailures(outcome({ results: [result('a', 'downloaded'), result('b', 'skipped')] })),
    ).toEqual([]);
  });
});

describe('outputs', () => {
  test('counts, the source and the folder, and the files', () => {
    const results = [
      result('a', 'downloaded'),
      result('b', 'skipped', { reason: 'unchanged' }),
      result('c', 'failed'),
    ];
    const { outputs, filesLeftOut } = restoreOutputs(results, '', '/w/out');
    expect(filesLeftOut).toBe(0);
    expect(outputs).toMatchObject({
      'downloaded-count': '1',
      'skipped-count': '1',
      'failed-count': '1',
      'downloaded-bytes': '100',
      source: '/',
      path: '/w/out',
    });
    expect(JSON.parse(outputs['files'] ?? '')).toEqual([
      { dropboxPath: '/b/a', path: 'out/a', size: 100, contentHash: 'h-a', status: 'downloaded' },
      {
        dropboxPath: '/b/b',
        path: 'out/b',
        size: 100,
        contentHash: 'h-b',
        status: 'skipped',
        reason: 'unchanged',
      },
      {
        dropboxPath: '/b/c',
        path: 'out/c',
        size: 100,
        contentHash: 'h-c',
        status: 'failed',
        error: 'Runner disk full: Free space.',
      },
    ]);
  });

  test('over 1 MB the list keeps the failed files first, and a warning says how many were left out', async () => {
    const long = 'x'.repeat(400);
    const results = Array.from({ length: 3000 }, (_, index) =>
      result(`${long}-${index}`, index === 2999 ? 'failed' : 'downloaded'),
    );
    const host = new RecordingHost();
    await writeRestoreReport(host, outcome({ results }), { elapsedMs: 1000 });
    const files = JSON.parse(host.outputs['files'] ?? '') as { status: string }[];
    expect(files[0]?.status).toBe('failed');
    expect(files.length).toBeLessThan(3000);
    expect(Buffer.byteLength(host.outputs['files'] ?? '')).toBeLessThan(1_000_000);
    const cut = host.annotations.find((annotation) => annotation.title === 'files output cut');
    expect(cut?.message).toContain(`lists ${files.length} of 3000 files`);
    expect(restoreFileEntry(results[0]!).path).toBe(`out/${long}-0`);
  });
});

describe('summary', () => {
  test('a table of files, failed first; empty folders; totals; hostile names stay text', () => {
    const results = [
      result('ok.txt', 'downloaded'),
      result('pipe|name.txt', 'failed'),
      result('\n::error::x', 'skipped', { reason: 'unchanged' }),
    ];
    const model = restoreSummary(
      outcome({ results, folders: [folder('empty', 'created'), folder('blocked', 'failed')] }),
      2000,
    );
    const markdown = renderMarkdown(model);
    expect(markdown).toContain('## Dropbox restore\n');
    expect(markdown).toContain('| Dropbox path | Local path | Size | Status |');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| /b') || line.startsWith('| \\/b'));
    expect(rows[0]).toContain('pipe\\|name.txt');
    expect(rows[0]).toContain('❌ Failed: Runner disk full');
    expect(markdown).not.toMatch(/^::error::/m);
    expect(markdown).toContain('\\n::error::x');
    expect(markdown).toContain('out/empty/ (created)');
    expect(markdown).toContain('out/blocked/ ❌ failed: Local path in the way');
    expect(markdown).toContain('**Downloaded:** 1 (100 B) · **Skipped:** 1 · **Failed:** 1');
    expect(markdown).toContain('**Elapsed:** 2.0 s');
    for (const line of renderText(model)) expect(line).not.toMatch(/^\s*::/);
  });

  test('a dry run says so and what a real run would do', () => {
    const markdown = renderMarkdown(
      restoreSummary(outcome({ dryRun: true, results: [result('a', 'downloaded')] }), 10),
    );
    expect(markdown).toContain('## Dropbox restore (dry run)');
    expect(markdown).toContain('🔍 Would download');
    expect(markdown).toContain('Nothing was downloaded or written on the runner');
  });
});
