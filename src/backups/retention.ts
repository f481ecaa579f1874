/** Which backups of a series to keep and why, by restic forget's keep-last/hourly/daily/weekly/monthly/yearly rules. */
import type { RemoteEntry } from '../dropbox/listing.ts';
import {
  retentionRules,
  type BackupTime,
  type KeepReason,
  type RetentionPolicy,
  type RetentionRow,
  type RetentionRule,
} from '../model.ts';
import { backupTime } from './backup-time.ts';
import { compareSeriesKeys, type SeriesKey, type SeriesMatcher } from './placeholders.ts';
import { checkPolicy } from './retention-rules.ts';

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
      ...(candidate.entry === undefined ? {} : { pathDisplay: candidate.entry.pathDisplay }),
      time: candidate.time,
      current: candidate.current,
      keep: active.length === 0 || why.length > 0,
      reasons: why,
    };
  });
  const toDelete = candidates
    .flatMap((candidate, index) =>
      rows[index]?.keep === false && candidate.entry !== undefined ? [candidate.entry] : [],
    )
    .reverse();
  return { rows, toDelete };
}
