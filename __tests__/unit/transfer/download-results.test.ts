/**
 * The restore's results: the log lines of what happened to each file and empty folder (and in a dry run
 * what would), a file the plan could not place, and the outcome of a run that stopped.
 */
import { describe, expect, test } from '@jest/globals';
import type {
  DownloadResult,
  Explanation,
  FolderResult,
  PlannedDownload,
  RestorePlan,
  RestoreProblem,
} from '../../../src/model.ts';
import { explainRestoreProblem } from '../../../src/transfer/download-explanations.ts';
import {
  downloadResultLine,
  finishedOutcome,
  folderResultLine,
  planItems,
  problemResult,
  stoppedOutcome,
} from '../../../src/transfer/download-results.ts';

const base: Omit<DownloadResult, 'status'> = {
  dropboxPath: '/b/x.bin',
  localPath: '/w/out/x.bin',
  relativePath: 'x.bin',
  shownPath: 'out/x.bin',
  size: 2048,
  contentHash: 'h',
  bytesReceived: 0,
};

test('downloadResultLine names the Dropbox path and where it went locally', () => {
  expect(downloadResultLine({ ...base, status: 'downloaded' })).toBe(
    'downloaded /b/x.bin → out/x.bin (2.0 KiB)',
  );
  expect(downloadResultLine({ ...base, status: 'downloaded' }, true)).toBe(
    'would download /b/x.bin → out/x.bin (2.0 KiB)',
  );
  expect(downloadResultLine({ ...base, status: 'skipped', reason: 'unchanged' })).toBe(
    'skipped /b/x.bin: unchanged',
  );
  expect(
    downloadResultLine(
      { ...base, status: 'failed', error: { title: 'Runner disk full', message: '', scope: 'file' } },
      true,
    ),
  ).toBe('would FAIL /b/x.bin: Runner disk full');
});

test('folderResultLine', () => {
  const folder: Omit<FolderResult, 'status'> = {
    dropboxPath: '/b/empty',
    localPath: '/w/out/empty',
    relativePath: 'empty',
    shownPath: 'out/empty',
  };
  expect(folderResultLine({ ...folder, status: 'created' })).toBe(
    'created empty folder /b/empty → out/empty/',
  );
  expect(folderResultLine({ ...folder, status: 'created' }, true)).toBe(
    'would create empty folder /b/empty → out/empty/',
  );
  expect(folderResultLine({ ...folder, status: 'exists' })).toBe(
    'empty folder /b/empty → out/empty/ is already there',
  );
  expect(
    folderResultLine({
      ...folder,
      status: 'failed',
      error: { title: 'Local path in the way', message: '', scope: 'file' },
    }),
  ).toBe('FAILED /b/empty: Local path in the way');
});

describe('the outcome of a run', () => {
  const stopped: Explanation = {
    title: 'Dropbox refresh token rejected',
    message: 'm',
    scope: 'credentials',
  };
  const mapped = (name: string): Omit<PlannedDownload, 'size' | 'contentHash'> => ({
    dropboxPath: `/b/${name}`,
    localPath: `/w/out/${name}`,
    relativePath: name,
    shownPath: `out/${name}`,
  });
  const file = (name: string): PlannedDownload => ({ ...mapped(name), size: 10, contentHash: `h-${name}` });
  const problem = (name: string, kind: RestoreProblem['kind']): RestoreProblem => ({
    ...mapped(name),
    kind,
    size: 0,
    contentHash: '',
    reason: { kind: 'trailing-dot-or-space', name },
  });
  const plan: RestorePlan = {
    source: '/b',
    target: '/w/out',
    files: [file('a.bin'), file('c.bin')],
    folders: [mapped('z-empty')],
    problems: [problem('b.', 'file'), problem('d.', 'folder')],
  };
  const items = planItems(plan);

  test('a file the plan could not place fails with its own explanation, having received nothing', () => {
    const placed = problem('b.', 'file');
    expect(problemResult(placed)).toMatchObject({
      dropboxPath: '/b/b.',
      status: 'failed',
      bytesReceived: 0,
      error: explainRestoreProblem(placed),
    });
  });

  test.each<[string, (DownloadResult | undefined)[], [string, string, string | undefined][]]>([
    [
      'before any file was done',
      [],
      [
        ['a.bin', 'failed', stopped.title],
        ['b.', 'failed', explainRestoreProblem(problem('b.', 'file')).title],
        ['c.bin', 'failed', stopped.title],
      ],
    ],
    [
      'after one file arrived',
      [{ ...file('a.bin'), status: 'downloaded', bytesReceived: 10 }],
      [
        ['a.bin', 'downloaded', undefined],
        ['b.', 'failed', explainRestoreProblem(problem('b.', 'file')).title],
        ['c.bin', 'failed', stopped.title],
      ],
    ],
  ])('%s: every file not done fails with the reason, in plan order', (_when, done, expected) => {
    const outcome = stoppedOutcome(plan, items, stopped, done);
    expect(outcome.stoppedBy).toBe(stopped);
    expect(
      outcome.results.map((result) => [result.relativePath, result.status, result.error?.title]),
    ).toEqual(expected);
  });

  test.each<[string, Explanation | undefined, Explanation | undefined, string | undefined]>([
    ['a run that went through', undefined, undefined, undefined],
    ['a stopped run', stopped, stopped, stopped.title],
    ['a run that went through with an item left over', undefined, stopped, stopped.title],
  ])(
    'finishedOutcome, %s: results in plan order, an item without one failed',
    (_run, stoppedBy, unfinished, leftOverTitle) => {
      const done: (DownloadResult | undefined)[] = [
        { ...file('a.bin'), status: 'downloaded', bytesReceived: 10 },
        problemResult(problem('b.', 'file')),
      ];
      const folders: FolderResult[] = [{ ...mapped('z-empty'), status: 'created' }];
      const outcome = finishedOutcome(plan, items, done, folders, stoppedBy, unfinished);
      expect(outcome.stoppedBy).toBe(stoppedBy);
      expect('stoppedBy' in outcome).toBe(stoppedBy !== undefined);
      expect(outcome.results.map((result) => [result.relativePath, result.status])).toEqual([
        ['a.bin', 'downloaded'],
        ['b.', 'failed'],
        ['c.bin', 'failed'],
      ]);
      expect(outcome.results[2]?.error?.title).toBe(leftOverTitle);
      expect(outcome.folders.map((folder) => [folder.relativePath, folder.status])).toEqual([
        ['d.', 'failed'],
        ['z-empty', 'created'],
      ]);
    },
  );

  test('its folders: the plan could not place some, the others fail with the reason', () => {
    const outcome = stoppedOutcome(plan, items, stopped);
    expect(
      outcome.folders.map((folder) => [folder.relativePath, folder.status, folder.error?.title]),
    ).toEqual([
      ['d.', 'failed', explainRestoreProblem(problem('d.', 'folder')).title],
      ['z-empty', 'failed', stopped.title],
    ]);
  });
});
