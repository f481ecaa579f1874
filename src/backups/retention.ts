/** Which backups of a series to keep and why, by restic forget's keep-last/hourly/daily/weekly/monthly/yearly rules. */
import type { RemoteEntry } from '../dropbox/listing.ts';
import {
  compareSeriesKeys,
  lastSegment,
  parseTemplate,
  type PlaceholderName,
  type SeriesKey,
  type SeriesMatcher,
} from './placeholders.ts';

/** In the order restic applies and lists them. */
export const retentionRules = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

export type RetentionRule = (typeof retentionRules)[number];

/** How many of each to keep; an absent or 0 rule is off. Every rule off keeps everything. */
export type RetentionPolicy = Readonly<Partial<Record<RetentionRule, number>>>;

/** The input that sets a rule: `keep-daily` for `daily`. */
export function retentionInputName(rule: RetentionRule): `keep-${RetentionRule}` {
  return `keep-${rule}`;
}

export type KeepReason =
  /**
   * `rank` counts the periods the rule kept, newest first (`daily 1` is the newest day). `oldest`: the
   * rule found fewer periods than it may keep, so it also keeps the oldest backup, which shares its
   * period with a newer one (restic 0.16 and later).
   */
  | { kind: 'rule'; rule: RetentionRule; rank: number; oldest: boolean }
  /** The run's own backup, kept whatever the rules say. */
  | { kind: 'current' };

/** A backup's time as its name gives it. */
export interface BackupTime {
  /**
   * Milliseconds since 1970-01-01T00:00:00Z. A part the name does not hold counts as zero: a `{date}`
   * is that day's midnight, a lone `{time}` falls on 1970-01-01 (its siblings share a parent folder,
   * which holds the date when anything does).
   */
  epochMs: number;
  hasDate: boolean;
  hasTime: boolean;
}

export interface RetentionRow {
  name: string;
  /** Absent for the run's own folder when it is not listed yet (a dry run, or a run that sent nothing). */
  entry?: RemoteEntry;
  time: BackupTime;
  current: boolean;
  keep: boolean;
  /** Why it is kept, in restic's order (rules as listed in `retentionRules`, then the run's own); empty when deleted. */
  reasons: KeepReason[];
}

export interface RetentionSelection {
  /** Every backup considered, newest first. */
  rows: RetentionRow[];
  /** The listed folders to delete, oldest first. */
  toDelete: RemoteEntry[];
}

const periodOf: Record<RetentionRule, ((epochMs: number) => number) | undefined> = {
  // Every backup is its own period: keep-last keeps the newest N backups.
  last: undefined,
  hourly: (ms) => Math.floor(ms / 3_600_000),
  daily: (ms) => Math.floor(ms / 86_400_000),
  // 1970-01-01 was a Thursday: shifting by 3 days makes every 7-day bucket run Monday to Sunday, so
  // each is one ISO week, including week 53 and the weeks that straddle a new year.
  weekly: (ms) => Math.floor((Math.floor(ms / 86_400_000) + 3) / 7),
  monthly: (ms) => {
    const date = new Date(ms);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  },
  yearly: (ms) => new Date(ms).getUTCFullYear(),
};

/** The placeholders that give a rule its meaning, in the last folder of the destination. */
const needs: Record<RetentionRule, readonly PlaceholderName[]> = {
  last: ['date', 'time', 'datetime'],
  hourly: ['time', 'datetime'],
  daily: ['date', 'datetime'],
  weekly: ['date', 'datetime'],
  monthly: ['date', 'datetime'],
  yearly: ['date', 'datetime'],
};

const periodWord: Record<RetentionRule, string> = {
  last: 'backup',
  hourly: 'hour',
  daily: 'day',
  weekly: 'week (Monday to Sunday)',
  monthly: 'month',
  yearly: 'year',
};

/** Why a rule cannot be applied to a destination: the input it is set by, and the placeholders it needs. */
export interface RetentionPlaceholderProblem {
  input: `keep-${RetentionRule}`;
  /** Any one of these would do, such as `{date}` or `{datetime}`. */
  needs: readonly string[];
  /** Completes `Input "keep-daily" is "7"; `. */
  allowed: string;
}

function placeholderList(names: readonly PlaceholderName[]): string {
  const shown = names.map((name) => `{${name}}`);
  return shown.length <= 2 ? shown.join(' or ') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

function missingPlaceholder(
  rule: RetentionRule,
  present: readonly PlaceholderName[],
  destination: string,
): RetentionPlaceholderProblem | undefined {
  if (needs[rule].some((name) => present.includes(name))) return undefined;
  const what = rule === 'hourly' ? 'a time' : rule === 'last' ? 'a date or time' : 'a date';
  const shown = JSON.stringify(destination === '' ? '/' : destination);
  const keeps =
    rule === 'last'
      ? 'keep-last keeps the newest run folders, so each run needs its own'
      : `${retentionInputName(rule)} keeps the newest backup of each ${periodWord[rule]}, read from the folder names`;
  return {
    input: retentionInputName(rule),
    needs: needs[rule].map((name) => `{${name}}`),
    allowed:
      `it needs ${what} placeholder (${placeholderList(needs[rule])}) in the last folder of "destination", ` +
      `which is ${shown}: ${keeps}, such as /backups/site-{datetime}. Use 0 to turn it off.`,
  };
}

/**
 * The input check for one rule: undefined when the last folder of `destination` holds a placeholder the
 * rule needs (keep-hourly: `{time}` or `{datetime}`; keep-daily/weekly/monthly/yearly: `{date}` or
 * `{datetime}`; keep-last: any of the three). Throws TemplateError when `destination` does not parse.
 */
export function retentionPlaceholderProblem(
  rule: RetentionRule,
  destination: string,
): RetentionPlaceholderProblem | undefined {
  const present = parseTemplate(lastSegment(destination)).flatMap((part) =>
    part.kind === 'placeholder' ? [part.name] : [],
  );
  return missingPlaceholder(rule, present, destination);
}

/** The numbers in a date/time value, whatever separates them: `2026-11-23t02-00-00z` → 2026 11 23 2 0 0. */
function numbersIn(value: string | number | undefined): number[] {
  return String(value ?? '')
    .split(/\D+/)
    .filter((part) => part !== '')
    .map(Number);
}

/**
 * The time a matched name gives, from the first `{datetime}`, else the first `{date}` and `{time}`;
 * undefined when a value is not a real date or time (`2026-02-30`, `25-00-00`), which no run produces.
 */
export function backupTime(key: SeriesKey, placeholders: readonly PlaceholderName[]): BackupTime | undefined {
  const valueOf = (name: PlaceholderName): number[] | undefined => {
    const index = placeholders.indexOf(name);
    return index === -1 ? undefined : numbersIn(key[index]);
  };
  const datetime = valueOf('datetime');
  const date = datetime?.slice(0, 3) ?? valueOf('date');
  const time = datetime?.slice(3, 6) ?? valueOf('time');
  if (date === undefined && time === undefined) return undefined;
  const [year = 1970, month = 1, day = 1] = date ?? [];
  const [hour = 0, minute = 0, second = 0] = time ?? [];
  const instant = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute, second, 0);
  const real =
    instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === day &&
    instant.getUTCHours() === hour &&
    instant.getUTCMinutes() === minute &&
    instant.getUTCSeconds() === second;
  if (!real) return undefined;
  return { epochMs: instant.getTime(), hasDate: date !== undefined, hasTime: time !== undefined };
}

function checkPolicy(policy: RetentionPolicy, placeholders: readonly PlaceholderName[]): void {
  for (const rule of retentionRules) {
    const count = policy[rule] ?? 0;
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`${retentionInputName(rule)} must be a whole number of 0 or more, not ${count}`);
    }
    const problem = count > 0 ? missingPlaceholder(rule, placeholders, '') : undefined;
    if (problem !== undefined) {
      throw new RangeError(
        `${problem.input} needs ${problem.needs.join(' or ')} in the series' folder names`,
      );
    }
  }
}

interface Candidate {
  name: string;
  entry: RemoteEntry | undefined;
  key: SeriesKey;
  time: BackupTime;
  current: boolean;
}

/**
 * Walks one rule over the backups, newest first: the first backup of each period it meets is the
 * newest of that period and is kept, until `count` periods are kept. A rule that runs out of backups
 * first also keeps the oldest backup (restic 0.16 and later), unless it already kept it.
 */
function applyRule(
  rule: RetentionRule,
  count: number,
  newestFirst: readonly Candidate[],
  reasons: readonly KeepReason[][],
): void {
  const period = periodOf[rule];
  let kept = 0;
  let previous: number | undefined;
  for (let index = 0; index < newestFirst.length && kept < count; index += 1) {
    const candidate = newestFirst[index];
    if (candidate === undefined) continue;
    const value = period === undefined ? index : period(candidate.time.epochMs);
    if (value === previous) continue;
    previous = value;
    kept += 1;
    reasons[index]?.push({ kind: 'rule', rule, rank: kept, oldest: false });
  }
  const oldest = newestFirst.length - 1;
  const oldestReasons = reasons[oldest];
  if (kept < count && oldestReasons !== undefined) {
    const already = oldestReasons.some((reason) => reason.kind === 'rule' && reason.rule === rule);
    if (!already) oldestReasons.push({ kind: 'rule', rule, rank: kept + 1, oldest: true });
  }
}

/**
 * The series' folders next to the run's folder, each kept or deleted by `policy`, as `restic forget`
 * would: every rule is applied and a backup kept by any rule is kept. A backup's time comes from its
 * name (the `{date}`, `{time}` and `{datetime}` values of the matcher's pattern), in UTC, never from
 * Dropbox's modification times, which a copy or a restore changes.
 *
 * Only folders whose names the matcher recognises, with a real date and time, are considered; files
 * and other names are never chosen. The run's own folder (`currentName`, matched whatever its letter
 * case) is always kept; when it is not listed yet it still counts among the backups, as it will be
 * there. Backups are ordered by time, then as the series' keys order them (run numbers, then names).
 * Every rule at 0 keeps everything.
 */
export function selectRetention(args: {
  siblings: readonly RemoteEntry[];
  matcher: SeriesMatcher;
  currentName: string;
  policy: RetentionPolicy;
}): RetentionSelection {
  const { matcher, policy } = args;
  checkPolicy(policy, matcher.placeholders);
  const currentLower = args.currentName.toLowerCase();
  const candidates: Candidate[] = [];
  const consider = (name: string, entry: RemoteEntry | undefined): void => {
    const key = matcher.match(name);
    if (key === undefined) return;
    const time = backupTime(key, matcher.placeholders);
    if (time === undefined) return;
    candidates.push({ name, entry, key, time, current: name.toLowerCase() === currentLower });
  };
  for (const entry of args.siblings) {
    if (entry.kind === 'folder') consider(entry.name, entry);
  }
  if (!candidates.some((candidate) => candidate.current)) consider(args.currentName, undefined);
  candidates.sort((a, b) => b.time.epochMs - a.time.epochMs || compareSeriesKeys(b.key, a.key));

  const reasons: KeepReason[][] = candidates.map(() => []);
  const active = retentionRules.filter((rule) => (policy[rule] ?? 0) > 0);
  for (const rule of active) applyRule(rule, policy[rule] ?? 0, candidates, reasons);

  const rows = candidates.map((candidate, index): RetentionRow => {
    const why = reasons[index] ?? [];
    if (candidate.current) why.push({ kind: 'current' });
    return {
      name: candidate.name,
      ...(candidate.entry === undefined ? {} : { entry: candidate.entry }),
      time: candidate.time,
      current: candidate.current,
      keep: active.length === 0 || why.length > 0,
      reasons: why,
    };
  });
  const toDelete = rows
    .filter((row) => !row.keep)
    .flatMap((row) => (row.entry === undefined ? [] : [row.entry]))
    .reverse();
  return { rows, toDelete };
}

/** A reason as the job summary and the log show it: `last 3`, `daily 5`, `oldest monthly`, `this run`. */
export function reasonText(reason: KeepReason): string {
  if (reason.kind === 'current') return 'this run';
  return reason.oldest ? `oldest ${reason.rule}` : `${reason.rule} ${reason.rank}`;
}

/**
 * A reason in restic forget's own words (`daily snapshot`, `oldest monthly snapshot`), which carry no
 * number; undefined for the run's own backup, which restic has no reason for.
 */
export function resticReasonText(reason: KeepReason): string | undefined {
  if (reason.kind === 'current') return undefined;
  return `${reason.oldest ? 'oldest ' : ''}${reason.rule} snapshot`;
}
