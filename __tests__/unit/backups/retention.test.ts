import { describe, expect, test } from '@jest/globals';
import { selectRetention } from '../../../src/backups/retention.ts';
import type { RetentionPolicy, RetentionRow } from '../../../src/model.ts';
import { reasonText, resticReasonText } from '../../../src/report/retention-table.ts';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import { resolveTemplate, seriesMatcher, type WorkflowContext } from '../../../src/backups/placeholders.ts';
import { resticGoldenCases, resticSnapshotTimes } from './restic-policy-golden.ts';

const CONTEXT: WorkflowContext = { repo: 'site', ref: 'refs/heads/main' };
const DAY_MS = 86_400_000;

function folder(name: string): RemoteEntry {
  return { kind: 'folder', name, pathLower: `/b/${name.toLowerCase()}`, pathDisplay: `/b/${name}` };
}

/** The folder name a run at `instant` makes from the template's last segment. */
function nameAt(template: string, instant: Date | string): string {
  const resolved = resolveTemplate(template, new Date(instant), CONTEXT);
  return resolved.slice(resolved.lastIndexOf('/') + 1);
}

/** `count` instants a day apart (or `stepMs` apart), the first at `first`. */
function series(first: string, count: number, stepMs = DAY_MS): Date[] {
  const start = new Date(first).getTime();
  return Array.from({ length: count }, (_, index) => new Date(start + index * stepMs));
}

function select(args: {
  names: readonly string[];
  policy: RetentionPolicy;
  template?: string;
  /** Defaults to the newest name (the run's own backup, listed). */
  current?: string;
  extra?: readonly RemoteEntry[];
}): RetentionRow[] {
  const template = args.template ?? '/b/site-{datetime}';
  const sorted = [...args.names].sort();
  return selectRetention({
    siblings: [...args.names.map(folder), ...(args.extra ?? [])],
    matcher: seriesMatcher(template, CONTEXT),
    currentName: args.current ?? sorted.at(-1) ?? '',
    policy: args.policy,
  }).rows;
}

/** The kept rows as `name: reasons`, newest first. */
function kept(rows: readonly RetentionRow[]): string[] {
  return rows
    .filter((row) => row.keep)
    .map((row) => `${row.name}: ${row.reasons.map(reasonText).join(', ')}`);
}

const nightly = (day: string): string => `site-${day}T02-00-00Z`;

describe('selectRetention: 400 nightly backups across a year boundary', () => {
  // 2025-12-02 to 2027-01-05 (a Tuesday); 2026-12-28 to 2027-01-03 is ISO week 2026-W53.
  const names = series('2025-12-02T02:00:00Z', 400).map((instant) => nameAt('/b/site-{datetime}', instant));

  test('the first and last names are what the runs made', () => {
    expect([names[0], names.at(-1)]).toEqual([nightly('2025-12-02'), nightly('2027-01-05')]);
  });

  test.each<[RetentionPolicy, string[]]>([
    [
      { daily: 7 },
      [
        'site-2027-01-05T02-00-00Z: daily 1, this run',
        'site-2027-01-04T02-00-00Z: daily 2',
        'site-2027-01-03T02-00-00Z: daily 3',
        'site-2027-01-02T02-00-00Z: daily 4',
        'site-2027-01-01T02-00-00Z: daily 5',
        'site-2026-12-31T02-00-00Z: daily 6',
        'site-2026-12-30T02-00-00Z: daily 7',
      ],
    ],
    [
      { weekly: 5 },
      [
        'site-2027-01-05T02-00-00Z: weekly 1, this run',
        'site-2027-01-03T02-00-00Z: weekly 2',
        'site-2026-12-27T02-00-00Z: weekly 3',
        'site-2026-12-20T02-00-00Z: weekly 4',
        'site-2026-12-13T02-00-00Z: weekly 5',
      ],
    ],
    [
      { yearly: 3 },
      [
        'site-2027-01-05T02-00-00Z: yearly 1, this run',
        'site-2026-12-31T02-00-00Z: yearly 2',
        'site-2025-12-31T02-00-00Z: yearly 3',
      ],
    ],
    [
      // Three years have a backup, fewer than 5: the oldest backup is kept as well.
      { yearly: 5 },
      [
        'site-2027-01-05T02-00-00Z: yearly 1, this run',
        'site-2026-12-31T02-00-00Z: yearly 2',
        'site-2025-12-31T02-00-00Z: yearly 3',
        'site-2025-12-02T02-00-00Z: oldest yearly',
      ],
    ],
    [
      { daily: 7, weekly: 5, monthly: 12, yearly: 3 },
      [
        'site-2027-01-05T02-00-00Z: daily 1, weekly 1, monthly 1, yearly 1, this run',
        'site-2027-01-04T02-00-00Z: daily 2',
        'site-2027-01-03T02-00-00Z: daily 3, weekly 2',
        'site-2027-01-02T02-00-00Z: daily 4',
        'site-2027-01-01T02-00-00Z: daily 5',
        'site-2026-12-31T02-00-00Z: daily 6, monthly 2, yearly 2',
        'site-2026-12-30T02-00-00Z: daily 7',
        'site-2026-12-27T02-00-00Z: weekly 3',
        'site-2026-12-20T02-00-00Z: weekly 4',
        'site-2026-12-13T02-00-00Z: weekly 5',
        'site-2026-11-30T02-00-00Z: monthly 3',
        'site-2026-10-31T02-00-00Z: monthly 4',
        'site-2026-09-30T02-00-00Z: monthly 5',
        'site-2026-08-31T02-00-00Z: monthly 6',
        'site-2026-07-31T02-00-00Z: monthly 7',
        'site-2026-06-30T02-00-00Z: monthly 8',
        'site-2026-05-31T02-00-00Z: monthly 9',
        'site-2026-04-30T02-00-00Z: monthly 10',
        'site-2026-03-31T02-00-00Z: monthly 11',
        'site-2026-02-28T02-00-00Z: monthly 12',
        'site-2025-12-31T02-00-00Z: yearly 3',
      ],
    ],
  ])('%j', (policy, expected) => {
    const rows = select({ names, policy });
    expect(kept(rows)).toEqual(expected);
    expect(rows).toHaveLength(400);
    expect(rows.filter((row) => !row.keep).every((row) => row.reasons.length === 0)).toBe(true);
  });

  test('rows are newest first; the folders to delete are oldest first and exactly the rows not kept', () => {
    const selection = selectRetention({
      siblings: names.map(folder),
      matcher: seriesMatcher('/b/site-{datetime}', CONTEXT),
      currentName: nightly('2027-01-05'),
      policy: { daily: 7, weekly: 5, monthly: 12, yearly: 3 },
    });
    expect(selection.rows.map((row) => row.name)).toEqual([...names].reverse());
    const deleted = selection.rows.filter((row) => !row.keep).map((row) => row.name);
    expect(selection.toDelete.map((entry) => entry.name)).toEqual([...deleted].reverse());
    expect(selection.toDelete).toHaveLength(400 - 21);
  });
});

describe('selectRetention: ISO weeks', () => {
  const days = (first: string, count: number): string[] =>
    series(`${first}T02:00:00Z`, count).map((instant) => nameAt('/b/site-{datetime}', instant));

  test('2026-12-28 to 2027-01-03 is one week (2026-W53); weeks start on Monday', () => {
    // 2026-12-21 (Monday) to 2027-01-10 (Sunday): three whole weeks.
    expect(kept(select({ names: days('2026-12-21', 21), policy: { weekly: 3 } }))).toEqual([
      'site-2027-01-10T02-00-00Z: weekly 1, this run',
      'site-2027-01-03T02-00-00Z: weekly 2',
      'site-2026-12-27T02-00-00Z: weekly 3',
    ]);
  });

  test('a week across the new year holds one period: with fewer weeks than asked, the oldest is kept', () => {
    expect(kept(select({ names: days('2026-12-28', 7), policy: { weekly: 10 } }))).toEqual([
      'site-2027-01-03T02-00-00Z: weekly 1, this run',
      'site-2026-12-28T02-00-00Z: oldest weekly',
    ]);
  });

  test('2025-12-29 belongs to 2026-W01 and 2025-12-28 to 2025-W52', () => {
    const names = [nightly('2025-12-28'), nightly('2025-12-29'), nightly('2026-01-04')];
    // Two weeks, fewer than 5, but the oldest backup is already kept as the newest of its week.
    expect(kept(select({ names, policy: { weekly: 5 } }))).toEqual([
      'site-2026-01-04T02-00-00Z: weekly 1, this run',
      'site-2025-12-28T02-00-00Z: weekly 2',
    ]);
  });

  test('2020-W53 (2020-12-28 to 2021-01-03) and the week before it', () => {
    expect(kept(select({ names: days('2020-12-24', 11), policy: { weekly: 2 } }))).toEqual([
      'site-2021-01-03T02-00-00Z: weekly 1, this run',
      'site-2020-12-27T02-00-00Z: weekly 2',
    ]);
  });
});

describe('selectRetention: several backups on one day', () => {
  // Three runs a day (02:00, 10:00, 18:00) for five days.
  const names = series('2026-03-01T02:00:00Z', 15, DAY_MS / 3).map((instant) =>
    nameAt('/b/site-{datetime}', instant),
  );

  test('keep-daily keeps the newest of each day', () => {
    expect(kept(select({ names, policy: { daily: 3 } }))).toEqual([
      'site-2026-03-05T18-00-00Z: daily 1, this run',
      'site-2026-03-04T18-00-00Z: daily 2',
      'site-2026-03-03T18-00-00Z: daily 3',
    ]);
  });

  test('more days asked than there are: the newest of each day, and the oldest backup', () => {
    expect(kept(select({ names, policy: { daily: 10 } }))).toEqual([
      'site-2026-03-05T18-00-00Z: daily 1, this run',
      'site-2026-03-04T18-00-00Z: daily 2',
      'site-2026-03-03T18-00-00Z: daily 3',
      'site-2026-03-02T18-00-00Z: daily 4',
      'site-2026-03-01T18-00-00Z: daily 5',
      'site-2026-03-01T02-00-00Z: oldest daily',
    ]);
  });

  test('exactly as many days as asked: the oldest is not kept', () => {
    expect(kept(select({ names, policy: { daily: 5 } }))).toHaveLength(5);
  });

  test('{date} with {run-number}: runs of one day order by run number, 10 after 9', () => {
    const runs = ['2026-03-01-8', '2026-03-01-9', '2026-03-01-10', '2026-03-02-11', '2026-03-02-12'];
    expect(
      kept(
        select({
          names: runs,
          template: '/b/{date}-{run-number}',
          current: '2026-03-02-12',
          policy: { daily: 2 },
        }),
      ),
    ).toEqual(['2026-03-02-12: daily 1, this run', '2026-03-01-10: daily 2']);
  });

  test("restic's forget example: weekdays for two weeks, an extra on Fridays, Wednesday missed", () => {
    // doc/060_forget.rst, "Removing snapshots according to a policy": --keep-daily 5 keeps 5 and removes 6.
    const instants = [
      '2025-04-21 11:00:00',
      '2025-04-22 11:00:00',
      '2025-04-23 11:00:00',
      '2025-04-24 11:00:00',
      '2025-04-25 11:00:00',
      '2025-04-25 23:00:00',
      '2025-04-28 11:00:00',
      '2025-04-29 11:00:00',
      '2025-05-01 11:00:00',
      '2025-05-02 11:00:00',
      '2025-05-02 23:00:00',
    ];
    const snapshots = instants.map((instant) => nameAt('/b/{datetime}', `${instant.replace(' ', 'T')}Z`));
    const rows = select({ names: snapshots, template: '/b/{datetime}', policy: { daily: 5 } });
    expect(kept(rows)).toEqual([
      '2025-05-02T23-00-00Z: daily 1, this run',
      '2025-05-01T11-00-00Z: daily 2',
      '2025-04-29T11-00-00Z: daily 3',
      '2025-04-28T11-00-00Z: daily 4',
      '2025-04-25T23-00-00Z: daily 5',
    ]);
    expect(rows.filter((row) => !row.keep)).toHaveLength(6);
  });
});

describe('selectRetention: hourly backups', () => {
  // Every 20 minutes from 21:10 to 01:50 the next day (15 backups, 5 hours, across midnight).
  const names = series('2026-11-22T21:10:00Z', 15, 20 * 60_000).map((instant) =>
    nameAt('/b/site-{datetime}', instant),
  );

  test('keep-hourly keeps the newest of each hour, across midnight', () => {
    expect(kept(select({ names, policy: { hourly: 3 } }))).toEqual([
      'site-2026-11-23T01-50-00Z: hourly 1, this run',
      'site-2026-11-23T00-50-00Z: hourly 2',
      'site-2026-11-22T23-50-00Z: hourly 3',
    ]);
  });

  test('hourly and daily together: the day before midnight keeps its last backup', () => {
    expect(kept(select({ names, policy: { hourly: 2, daily: 2 } }))).toEqual([
      'site-2026-11-23T01-50-00Z: hourly 1, daily 1, this run',
      'site-2026-11-23T00-50-00Z: hourly 2',
      'site-2026-11-22T23-50-00Z: daily 2',
    ]);
  });

  test('a lone {time} (the date in a parent folder): the hours of that folder', () => {
    const times = ['09-05-00', '09-35-00', '10-05-00', '10-35-00', '11-05-00'];
    expect(
      kept(
        select({ names: times, template: '/b/{date}/{time}', current: '11-05-00', policy: { hourly: 2 } }),
      ),
    ).toEqual(['11-05-00: hourly 1, this run', '10-35-00: hourly 2']);
  });
});

describe('selectRetention: keep-last, alone and with the calendar rules', () => {
  const names = series('2026-03-01T02:00:00Z', 15, DAY_MS / 3).map((instant) =>
    nameAt('/b/site-{datetime}', instant),
  );

  test('keep-last and keep-daily: each reason is listed, a backup kept by either stays', () => {
    expect(kept(select({ names, policy: { last: 4, daily: 3 } }))).toEqual([
      'site-2026-03-05T18-00-00Z: last 1, daily 1, this run',
      'site-2026-03-05T10-00-00Z: last 2',
      'site-2026-03-05T02-00-00Z: last 3',
      'site-2026-03-04T18-00-00Z: last 4, daily 2',
      'site-2026-03-03T18-00-00Z: daily 3',
    ]);
  });

  test('keep-last asks for more than there are: all kept, no "oldest" (each backup is its own period)', () => {
    const rows = select({ names, policy: { last: 20 } });
    expect(rows.every((row) => row.keep)).toBe(true);
    expect(kept(rows).at(-1)).toBe('site-2026-03-01T02-00-00Z: last 15');
  });

  test('the run folder is kept even when it is older than the kept ones, and still counts', () => {
    const rows = select({ names, current: names[2], policy: { last: 2, monthly: 1 } });
    expect(kept(rows)).toEqual([
      'site-2026-03-05T18-00-00Z: last 1, monthly 1',
      'site-2026-03-05T10-00-00Z: last 2',
      'site-2026-03-01T18-00-00Z: this run',
    ]);
  });

  test('a run folder not listed yet (dry run) counts among the newest and is never to delete', () => {
    const selection = selectRetention({
      siblings: names.map(folder),
      matcher: seriesMatcher('/b/site-{datetime}', CONTEXT),
      currentName: 'site-2026-03-06T02-00-00Z',
      policy: { last: 2, daily: 2 },
    });
    expect(kept(selection.rows)).toEqual([
      'site-2026-03-06T02-00-00Z: last 1, daily 1, this run',
      'site-2026-03-05T18-00-00Z: last 2, daily 2',
    ]);
    expect(selection.rows[0]?.pathDisplay).toBeUndefined();
    expect(selection.toDelete).toHaveLength(15 - 1);
  });

  test('the run folder is recognised whatever its letter case', () => {
    const rows = select({
      names: ['SITE-2026-03-02T02-00-00Z', nightly('2026-03-01')],
      current: nightly('2026-03-02'),
      policy: { last: 1 },
    });
    expect(kept(rows)).toEqual(['SITE-2026-03-02T02-00-00Z: last 1, this run']);
    expect(rows.filter((row) => row.current)).toHaveLength(1);
  });
});

describe('selectRetention: what is considered', () => {
  const names = series('2026-03-01T02:00:00Z', 5).map((instant) => nameAt('/b/site-{datetime}', instant));

  test('other names, files, impossible dates and other series are never considered', () => {
    const extra = [
      folder('site-manual'),
      folder('site-2026-03-01'),
      folder('other-2026-03-01T02-00-00Z'),
      folder('site-2026-02-30T02-00-00Z'),
      folder('site-2026-03-01T25-00-00Z'),
      { ...folder('site-2026-02-01T02-00-00Z'), kind: 'file' as const, contentHash: 'h' },
    ];
    const rows = select({ names, extra, policy: { daily: 1 } });
    expect(rows.map((row) => row.name)).toEqual([...names].reverse());
  });

  test('series placeholders: other branches are another series', () => {
    const rows = select({
      names: ['main-2026-03-01', 'main-2026-03-02', 'release-2026-01-01'],
      template: '/b/{ref}-{date}',
      current: 'main-2026-03-03',
      policy: { monthly: 1 },
    });
    expect(rows.map((row) => `${row.name} ${row.keep}`)).toEqual([
      'main-2026-03-03 true',
      'main-2026-03-02 false',
      'main-2026-03-01 false',
    ]);
  });

  test('unicode, spaces and punctuation in the pattern', () => {
    const template = '/b/Sicherung ü (täglich) + {date}';
    const dated = ['2026-03-01', '2026-03-02', '2026-04-01'].map((day) => `Sicherung ü (täglich) + ${day}`);
    expect(kept(select({ names: dated, template, policy: { monthly: 2 } }))).toEqual([
      'Sicherung ü (täglich) + 2026-04-01: monthly 1, this run',
      'Sicherung ü (täglich) + 2026-03-02: monthly 2',
    ]);
  });

  test('every rule at 0 keeps everything', () => {
    const rows = select({ names, policy: {} });
    expect(rows.every((row) => row.keep)).toBe(true);
    expect(select({ names, policy: { last: 0, daily: 0 } }).every((row) => row.keep)).toBe(true);
  });

  test('time order wins over name order: {time} before {date} in the pattern', () => {
    const rows = select({
      names: ['23-00-00_2026-03-01', '01-00-00_2026-03-02'],
      template: '/b/{time}_{date}',
      current: '01-00-00_2026-03-02',
      policy: { last: 1 },
    });
    expect(rows.map((row) => row.name)).toEqual(['01-00-00_2026-03-02', '23-00-00_2026-03-01']);
    expect(rows.map((row) => row.keep)).toEqual([true, false]);
  });

  test.each<[RetentionPolicy, string, RegExp]>([
    [{ daily: 1 }, '/b/site-{time}', /keep-daily needs \{date\} or \{datetime\}/],
    [{ hourly: 1 }, '/b/site-{date}', /keep-hourly needs \{time\} or \{datetime\}/],
    [{ last: 1 }, '/b/site-{run-number}', /keep-last needs \{date\} or \{time\} or \{datetime\}/],
    [{ daily: -1 }, '/b/site-{date}', /keep-daily must be a whole number of 0 or more, not -1/],
    [{ weekly: 1.5 }, '/b/site-{date}', /keep-weekly must be a whole number/],
  ])('%j with %s is refused', (policy, template, message) => {
    expect(() => select({ names: [], template, current: 'x', policy })).toThrow(message);
  });
});

describe("restic's numbers", () => {
  test('doc/060_forget.rst: a daily backup for 100 years, --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --keep-yearly 75', () => {
    // Ending on Sunday 2023-12-31, the last day of a week, a month and a year.
    const names = series('1924-01-01T02:00:00Z', 36_525).map((instant) => nameAt('/b/{datetime}', instant));
    expect(names.at(-1)).toBe('2023-12-31T02-00-00Z');
    const rows = select({
      names,
      template: '/b/{datetime}',
      policy: { daily: 7, weekly: 5, monthly: 12, yearly: 75 },
    });
    const keptRows = rows.filter((row) => row.keep);
    const firstRule = (row: RetentionRow): string =>
      reasonText(row.reasons[0] ?? { kind: 'current' }).split(' ')[0] ?? '';
    const added = (rule: string): number => keptRows.filter((row) => firstRule(row) === rule).length;
    // "the most recent 7 daily snapshots and 4 last-day-of-the-week ones (since the 7 dailies already include
    // 1 weekly). Additionally, 12 or 11 last-day-of-the-month snapshots ... 75 or 74 last-day-of-the-year".
    expect([added('daily'), added('weekly'), added('monthly'), added('yearly')]).toEqual([7, 4, 11, 74]);
    expect(keptRows).toHaveLength(96);
    expect(keptRows.at(-1)?.name).toBe('1949-12-31T02-00-00Z');
  });

  describe('internal/data/testdata/policy_keep_snapshots_N (TestApplyPolicy)', () => {
    // restic sorts newest first and keeps equal times in the order given. Names have whole seconds, so a
    // run number after the time carries that order: it is higher for the snapshot restic takes as newer.
    const order = resticSnapshotTimes
      .map((time, index) => ({ time, index, ms: Date.parse(`${time.replace(' ', 'T')}Z`) }))
      .sort((a, b) => b.ms - a.ms || a.index - b.index);
    const nameOf = new Map<string, string>();
    const names = order.map((snapshot, position) => {
      const second = new Date(Math.floor(snapshot.ms / 1000) * 1000);
      const name = `snap-${nameAt('/b/{datetime}', second)}-${order.length - position}`;
      nameOf.set(name, snapshot.time);
      return name;
    });

    test.each(resticGoldenCases)('$file', (golden) => {
      const rows = select({ names, template: '/b/snap-{datetime}-{run-number}', policy: golden.policy });
      const shown = rows
        .filter((row) => row.keep)
        .map((row) => {
          const reasons = row.reasons.flatMap((reason) => resticReasonText(reason) ?? []);
          return `${nameOf.get(row.name)} ${reasons.join(', ')}`;
        });
      expect(shown).toEqual(golden.kept);
    });
  });
});
