/** What the upload's and the restore's reports say alike: status cells, `files` entries, failed first, the cut. */
import { describe, expect, test } from '@jest/globals';
import {
  entryOf,
  failedFirst,
  filesOutputCut,
  statusCell,
  type ReportedResult,
} from '../../../src/report/result-parts.ts';
import type { Inline } from '../../../src/report/summary.ts';

const HOSTILE = 'a\n::error::forged | *b* ü 名.txt';
const diskFull = { title: 'Runner disk full', message: 'Free space.', scope: 'file' } as const;

function reported(status: string, extra: Partial<ReportedResult> = {}): ReportedResult {
  return { dropboxPath: '/d/a.txt', shownPath: 'out/a.txt', size: 3, contentHash: 'h', status, ...extra };
}

describe('failedFirst', () => {
  test.each<[string[], string[]]>([
    [[], []],
    [
      ['uploaded', 'skipped'],
      ['uploaded', 'skipped'],
    ],
    [['failed'], ['failed']],
    [
      ['ok 1', 'failed 2', 'skipped 3', 'failed 4', 'ok 5'],
      ['failed 2', 'failed 4', 'ok 1', 'skipped 3', 'ok 5'],
    ],
  ])('%j → %j: failed ones first, each group in plan order', (order, expected) => {
    const items = order.map((label) => ({ label, status: label.split(' ')[0]! }));
    expect(failedFirst(items).map((item) => item.label)).toEqual(expected);
  });

  test('leaves the list it was given alone', () => {
    const items = [{ status: 'ok' }, { status: 'failed' }];
    failedFirst(items);
    expect(items.map((item) => item.status)).toEqual(['ok', 'failed']);
  });
});

describe('statusCell', () => {
  const uploaded = { word: 'Uploaded', verb: 'upload' };
  const downloaded = { word: 'Downloaded', verb: 'download' };
  test.each<[string, ReportedResult, typeof uploaded, boolean, Inline[]]>([
    ['done', reported('uploaded'), uploaded, false, [{ text: '✅ Uploaded' }]],
    ['done, restore', reported('downloaded'), downloaded, false, [{ text: '✅ Downloaded' }]],
    ['done, dry run', reported('uploaded'), uploaded, true, [{ text: '🔍 Would upload' }]],
    ['done, restore dry run', reported('downloaded'), downloaded, true, [{ text: '🔍 Would download' }]],
    [
      'skipped with a reason',
      reported('skipped', { reason: 'unchanged' }),
      uploaded,
      false,
      [{ text: '⏭️ Skipped' }, { text: ' (' }, { data: 'unchanged' }, { text: ')' }],
    ],
    ['skipped without one', reported('skipped'), uploaded, false, [{ text: '⏭️ Skipped' }]],
    ['skipped, dry run', reported('skipped'), uploaded, true, [{ text: '⏭️ Would skip' }]],
    [
      'failed',
      reported('failed', { error: diskFull }),
      downloaded,
      false,
      [{ text: '❌ Failed' }, { text: ': ' }, { data: 'Runner disk full' }],
    ],
    [
      'failed, dry run',
      reported('failed', { error: diskFull }),
      uploaded,
      true,
      [{ text: '❌ Would fail' }, { text: ': ' }, { data: 'Runner disk full' }],
    ],
    ['failed without an explanation', reported('failed'), uploaded, false, [{ text: '❌ Failed' }]],
  ])('%s', (_what, result, done, dryRun, expected) => {
    expect(statusCell(result, done, dryRun)).toEqual(expected);
  });

  test('a reason or title from outside is data, for the renderer to escape, never our own text', () => {
    const skipped = statusCell(reported('skipped', { reason: HOSTILE }), uploaded, false);
    const failed = statusCell(
      reported('failed', { error: { ...diskFull, title: HOSTILE } }),
      uploaded,
      false,
    );
    for (const cell of [skipped, failed]) {
      expect(cell).toContainEqual({ data: HOSTILE });
      expect(cell.filter((part) => 'text' in part && part.text.includes(HOSTILE))).toEqual([]);
    }
  });
});

describe('entryOf', () => {
  test.each<[string, ReportedResult, ReturnType<typeof entryOf>]>([
    [
      'a file that went',
      reported('uploaded'),
      { path: 'out/a.txt', dropboxPath: '/d/a.txt', size: 3, contentHash: 'h', status: 'uploaded' },
    ],
    [
      'a skipped file keeps its reason',
      reported('skipped', { reason: 'already exists' }),
      {
        path: 'out/a.txt',
        dropboxPath: '/d/a.txt',
        size: 3,
        contentHash: 'h',
        status: 'skipped',
        reason: 'already exists',
      },
    ],
    [
      'a failed file: the title and the message as one string',
      reported('failed', { error: diskFull }),
      {
        path: 'out/a.txt',
        dropboxPath: '/d/a.txt',
        size: 3,
        contentHash: 'h',
        status: 'failed',
        error: 'Runner disk full: Free space.',
      },
    ],
    [
      'outside names are kept exactly (JSON escapes them)',
      reported('uploaded', { shownPath: `out/${HOSTILE}`, dropboxPath: `/d/${HOSTILE}` }),
      {
        path: `out/${HOSTILE}`,
        dropboxPath: `/d/${HOSTILE}`,
        size: 3,
        contentHash: 'h',
        status: 'uploaded',
      },
    ],
  ])('%s', (_what, result, expected) => {
    const entry = entryOf(result);
    expect(entry).toEqual(expected);
    expect(Object.keys(entry)).toEqual(Object.keys(expected));
    expect(JSON.stringify(entry)).not.toContain('\n');
  });

  test('the status comes before why, as the actions document the entries', () => {
    expect(Object.keys(entryOf(reported('failed', { error: diskFull })))).toEqual([
      'path',
      'dropboxPath',
      'size',
      'contentHash',
      'status',
      'error',
    ]);
  });
});

describe('filesOutputCut', () => {
  test.each([
    [3000, 1, 'lists 2999 of 3000 files'],
    [20_000, 17_500, 'lists 2500 of 20000 files'],
  ])('%i files, %i left out', (total, leftOut, lists) => {
    const annotation = filesOutputCut(total, leftOut);
    expect(annotation).toMatchObject({ level: 'warning', title: 'files output cut' });
    expect(annotation.message).toBe(
      `The "files" output ${lists}, failed ones first: GitHub limits an output to 1 MB. ` +
        'The "files-json" output names a file with every entry.',
    );
  });
});
