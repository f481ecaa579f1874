/** The retention table of the log and the job summary: each backup considered, newest first, kept or deleted and why. */
import {
  retentionRules,
  type BackupTime,
  type KeepReason,
  type RetentionPolicy,
  type RetentionRow,
} from '../model.ts';
import { renderMarkdown } from './markdown.ts';
import { data, strong, text, type Cell, type SummaryBlock, type SummaryTable } from './summary.ts';

export interface RetentionTableOptions {
  /** `plan`: what is to happen (the log before deleting, a dry run); `done`: what happened. */
  tense: 'plan' | 'done';
  /** With `done`: display paths of the folders that could not be deleted. */
  notDeleted?: ReadonlySet<string>;
}

/** `keep-daily 7, keep-weekly 4`: the rules that are on, as the inputs set them. */
export function policyText(policy: RetentionPolicy): string {
  const on = retentionRules.filter((rule) => (policy[rule] ?? 0) > 0);
  return on.length === 0 ? 'keep everything' : on.map((rule) => `keep-${rule} ${policy[rule]}`).join(', ');
}

/** UTC, as the name gives it: `2026-11-23 02:00:00`, or only the date or the time when that is all it holds. */
export function backupTimeText(time: BackupTime): string {
  const iso = new Date(time.epochMs).toISOString();
  const date = iso.slice(0, 10);
  const clock = iso.slice(11, 19);
  if (time.hasDate && time.hasTime) return `${date} ${clock}`;
  return time.hasDate ? date : clock;
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

function reasonsText(row: RetentionRow): string {
  return row.reasons.map(reasonText).join(', ');
}

function deleteFailed(row: RetentionRow, options: RetentionTableOptions): boolean {
  return row.pathDisplay !== undefined && options.notDeleted?.has(row.pathDisplay) === true;
}

function statusText(row: RetentionRow, options: RetentionTableOptions, emoji: boolean): string {
  const mark = (symbol: string, word: string): string => (emoji ? `${symbol} ${word}` : word.toLowerCase());
  if (options.tense === 'plan') return row.keep ? mark('✅', 'Keep') : mark('🗑️', 'Delete');
  if (row.keep) return mark('✅', 'Kept');
  return deleteFailed(row, options) ? mark('⚠️', 'Not deleted') : mark('🗑️', 'Deleted');
}

/** One line on the counts: `keep 12 of 60 backups, delete 48`. */
export function retentionCounts(rows: readonly RetentionRow[], options: RetentionTableOptions): string {
  const kept = rows.filter((row) => row.keep).length;
  const deleted = rows.length - kept;
  const failed = rows.filter((row) => !row.keep && deleteFailed(row, options)).length;
  if (options.tense === 'plan') return `keep ${kept} of ${rows.length} backup(s), delete ${deleted}`;
  return (
    `kept ${kept} of ${rows.length} backup(s), deleted ${deleted - failed}` +
    (failed > 0 ? `, ${failed} could not be deleted` : '')
  );
}

/**
 * The table as lines for the log. The name comes last: its width is unknown (any Unicode) and outside
 * text never starts a line. Names are passed as they are: the host makes every log line inert.
 */
export function retentionTableLines(
  rows: readonly RetentionRow[],
  policy: RetentionPolicy,
  options: RetentionTableOptions,
): string[] {
  const cells = rows.map((row) => [
    backupTimeText(row.time),
    statusText(row, options, false),
    reasonsText(row),
  ]);
  const head = ['Time (UTC)', options.tense === 'plan' ? 'Action' : 'Result', 'Reasons'];
  const widths = head.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (values: readonly string[], name: string): string =>
    [...values.map((value, column) => value.padEnd(widths[column] ?? 0)), name].join('  ');
  return [
    `Retention (${policyText(policy)}): ${retentionCounts(rows, options)}.`,
    line(head, 'Name'),
    ...rows.map((row, index) => line(cells[index] ?? [], row.name)),
  ];
}

/** The table for the job summary: names are outside text, escaped by the Markdown renderer. */
export function retentionTable(rows: readonly RetentionRow[], options: RetentionTableOptions): SummaryTable {
  return {
    kind: 'table',
    columns: [
      { title: 'Name' },
      { title: 'Time (UTC)' },
      { title: options.tense === 'plan' ? 'Action' : 'Result' },
      { title: 'Reasons' },
    ],
    rows: rows.map((row): Cell[] => [
      [data(row.name)],
      [text(backupTimeText(row.time))],
      [text(statusText(row, options, true))],
      [text(reasonsText(row))],
    ]),
    rowNoun: 'backups',
    everyRowIn: 'the log lists them all',
  };
}

/** The summary's retention part: the rules and counts, then the table. */
export function retentionSummaryBlocks(
  rows: readonly RetentionRow[],
  policy: RetentionPolicy,
  options: RetentionTableOptions,
): SummaryBlock[] {
  return [
    {
      kind: 'paragraph',
      parts: [strong('Retention'), text(` (${policyText(policy)}): ${retentionCounts(rows, options)}.`)],
    },
    retentionTable(rows, options),
  ];
}

/** The summary's retention part as Markdown. */
export function retentionTableMarkdown(
  rows: readonly RetentionRow[],
  policy: RetentionPolicy,
  options: RetentionTableOptions,
): string {
  return renderMarkdown({ blocks: retentionSummaryBlocks(rows, policy, options) });
}
