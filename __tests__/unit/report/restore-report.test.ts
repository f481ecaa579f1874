/**
 * The restore's report: annotations and the step's failure from one outcome, and the outputs as written.
 * The outputs' and the summary's own content: restore-outputs.test.ts, restore-summary.test.ts.
 */
import {
  restoreAnnotations,
  restoreFailures,
  restoreReportTitles,
  writeRestoreReport,
} from '../../../src/report/restore-report.ts';
import { RecordingHost } from '../../support/host.ts';
import {
  downloadResult as result,
  folderResult as folder,
  restoreOutcome as outcome,
} from '../../support/restore-results.ts';

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
  });
});
