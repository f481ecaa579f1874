import { describe, expect, test } from '@jest/globals';
import { selectRetention } from '../../../src/backups/retention.ts';
import type { RetentionPolicy, RetentionRow } from '../../../src/model.ts';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import { seriesMatcher } from '../../../src/backups/placeholders.ts';
import { escapeMarkdown } from '../../../src/report/markdown.ts';
import {
  backupTimeText,
  policyText,
  retentionCounts,
  retentionTable,
  retentionTableLines,
  retentionTableMarkdown,
} from '../../../src/report/retention-table.ts';

function folder(name: string): RemoteEntry {
  return { kind: 'folder', name, pathLower: `/b/${name.toLowerCase()}`, pathDisplay: `/b/${name}` };
}

function rowsOf(
  template: string,
  names: readonly string[],
  current: string,
  policy: RetentionPolicy,
): RetentionRow[] {
  return selectRetention({
    siblings: names.map(folder),
    matcher: seriesMatcher(template, { repo: 'site' }),
    currentName: current,
    policy,
  }).rows;
}

const POLICY: RetentionPolicy = { last: 1, daily: 5 };
const NAMES = [
  'site-2026-03-01T02-00-00Z',
  'site-2026-03-01T14-00-00Z',
  'site-2026-03-02T02-00-00Z',
  'site-2026-03-02T10-00-00Z',
];
// The run's folder is not listed yet, as in a dry run.
const ROWS = rowsOf('/b/site-{datetime}', NAMES, 'site-2026-03-03T02-00-00Z', POLICY);

describe('retentionTableLines (the log)', () => {
  test('newest first: time, action, reasons, then the name', () => {
    expect(retentionTableLines(ROWS, POLICY, { tense: 'plan' })).toEqual([
      'Retention (keep-last 1, keep-daily 5): keep 4 of 5 backup(s), delete 1.',
      'Time (UTC)           Action  Reasons                    Name',
      '2026-03-03 02:00:00  keep    last 1, daily 1, this run  site-2026-03-03T02-00-00Z',
      '2026-03-02 10:00:00  keep    daily 2                    site-2026-03-02T10-00-00Z',
      '2026-03-02 02:00:00  delete                             site-2026-03-02T02-00-00Z',
      '2026-03-01 14:00:00  keep    daily 3                    site-2026-03-01T14-00-00Z',
      '2026-03-01 02:00:00  keep    oldest daily               site-2026-03-01T02-00-00Z',
    ]);
  });

  test('after deleting: what happened, a folder that could not be deleted included', () => {
    const notDeleted = new Set(['/b/site-2026-03-02T02-00-00Z']);
    const lines = retentionTableLines(ROWS, POLICY, { tense: 'done', notDeleted });
    expect(lines[0]).toBe(
      'Retention (keep-last 1, keep-daily 5): kept 4 of 5 backup(s), deleted 0, 1 could not be deleted.',
    );
    expect(lines[1]).toBe('Time (UTC)           Result       Reasons                    Name');
    expect(lines[4]).toBe(
      '2026-03-02 02:00:00  not deleted                             site-2026-03-02T02-00-00Z',
    );
    expect(retentionTableLines(ROWS, POLICY, { tense: 'done' })[4]).toMatch(
      /^2026-03-02 02:00:00 {2}deleted /,
    );
  });

  test('outside text never starts a line: a name that looks like a workflow command comes last', () => {
    const names = ['::warning::x 2026-03-01', '::warning::x 2026-03-02'];
    const lines = retentionTableLines(
      rowsOf('/b/::warning::x {date}', names, names[1] ?? '', { daily: 1 }),
      { daily: 1 },
      { tense: 'plan' },
    );
    expect(lines.slice(2)).toEqual([
      '2026-03-02  keep    daily 1, this run  ::warning::x 2026-03-02',
      '2026-03-01  delete                     ::warning::x 2026-03-01',
    ]);
    expect(lines.every((line) => !line.startsWith('::'))).toBe(true);
  });

  test('nothing considered', () => {
    expect(retentionTableLines([], { weekly: 4 }, { tense: 'plan' })).toEqual([
      'Retention (keep-weekly 4): keep 0 of 0 backup(s), delete 0.',
      'Time (UTC)  Action  Reasons  Name',
    ]);
  });
});

describe('retentionTableMarkdown (the job summary)', () => {
  test('a dry run: the rules and counts, then the table', () => {
    expect(retentionTableMarkdown(ROWS, POLICY, { tense: 'plan' })).toBe(
      [
        '**Retention** (keep-last 1, keep-daily 5): keep 4 of 5 backup(s), delete 1.',
        '',
        '| Name | Time (UTC) | Action | Reasons |',
        '| --- | --- | --- | --- |',
        '| site-2026-03-03T02-00-00Z | 2026-03-03 02:00:00 | ✅ Keep | last 1, daily 1, this run |',
        '| site-2026-03-02T10-00-00Z | 2026-03-02 10:00:00 | ✅ Keep | daily 2 |',
        '| site-2026-03-02T02-00-00Z | 2026-03-02 02:00:00 | 🗑️ Delete |  |',
        '| site-2026-03-01T14-00-00Z | 2026-03-01 14:00:00 | ✅ Keep | daily 3 |',
        '| site-2026-03-01T02-00-00Z | 2026-03-01 02:00:00 | ✅ Keep | oldest daily |',
        '',
        '',
      ].join('\n'),
    );
  });

  test('after deleting', () => {
    const markdown = retentionTableMarkdown(ROWS, POLICY, { tense: 'done' });
    expect(markdown).toContain('kept 4 of 5 backup(s), deleted 1.');
    expect(markdown).toContain('| Name | Time (UTC) | Result | Reasons |');
    expect(markdown).toContain('| site-2026-03-02T02-00-00Z | 2026-03-02 02:00:00 | 🗑️ Deleted |  |');
  });

  test('names are escaped as every outside text in the summary is: no formatting, no broken row', () => {
    const template = '/b/**x** | <img src=y> [l](u) _i_ `c` ~s~ $m$ @me #1 www.e.com ü {date}';
    const names = ['2026-03-01', '2026-03-02'].map((day) => `${template.slice(3, -6)}${day}`);
    const rows = rowsOf(template, names, names[1] ?? '', { daily: 1 });
    const markdown = retentionTableMarkdown(rows, { daily: 1 }, { tense: 'plan' });
    const tableRows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| **') || line.startsWith('| \\'));
    expect(tableRows).toEqual(
      names.reverse().map((name) => expect.stringContaining(`| ${escapeMarkdown(name)} |`)),
    );
    expect(tableRows.every((line) => line.split(/(?<!\\)\|/).length === 6)).toBe(true);
    expect(markdown).not.toMatch(/(?<!\\)<img/);
  });

  test('as summary data: the name is outside text, everything else our own words', () => {
    const table = retentionTable(ROWS.slice(0, 1), { tense: 'plan' });
    expect(table.columns.map((column) => column.title)).toEqual(['Name', 'Time (UTC)', 'Action', 'Reasons']);
    expect(table.rows).toEqual([
      [
        [{ data: 'site-2026-03-03T02-00-00Z' }],
        [{ text: '2026-03-03 02:00:00' }],
        [{ text: '✅ Keep' }],
        [{ text: 'last 1, daily 1, this run' }],
      ],
    ]);
  });

  test('a long series shows the newest 500 rows and says where the rest are', () => {
    const start = Date.parse('2025-01-01T02:00:00Z');
    const names = Array.from({ length: 600 }, (_, index) => {
      const iso = new Date(start + index * 86_400_000).toISOString();
      return `site-${iso.slice(0, 10)}T02-00-00Z`;
    });
    const rows = rowsOf('/b/site-{datetime}', names, names.at(-1) ?? '', { daily: 7 });
    const markdown = retentionTableMarkdown(rows, { daily: 7 }, { tense: 'plan' });
    expect(markdown.split('\n').filter((line) => line.startsWith('| site-'))).toHaveLength(500);
    expect(markdown).toContain(
      '_Showing the first 500 of 600 backups (100 left out); the log lists them all._',
    );
  });
});

describe('pieces', () => {
  test.each<[RetentionPolicy, string]>([
    [{}, 'keep everything'],
    [{ last: 0, daily: 7 }, 'keep-daily 7'],
    [{ yearly: 3, last: 2, hourly: 24 }, 'keep-last 2, keep-hourly 24, keep-yearly 3'],
  ])('policyText(%j) is %s', (policy, expected) => {
    expect(policyText(policy)).toBe(expected);
  });

  test.each([
    [{ epochMs: Date.parse('2026-11-23T02:03:04Z'), hasDate: true, hasTime: true }, '2026-11-23 02:03:04'],
    [{ epochMs: Date.parse('2026-11-23T00:00:00Z'), hasDate: true, hasTime: false }, '2026-11-23'],
    [{ epochMs: Date.parse('1970-01-01T02:03:04Z'), hasDate: false, hasTime: true }, '02:03:04'],
  ])('backupTimeText %#', (time, expected) => {
    expect(backupTimeText(time)).toBe(expected);
  });

  test('retentionCounts', () => {
    expect(retentionCounts(ROWS, { tense: 'plan' })).toBe('keep 4 of 5 backup(s), delete 1');
    expect(retentionCounts(ROWS, { tense: 'done' })).toBe('kept 4 of 5 backup(s), deleted 1');
  });
});
