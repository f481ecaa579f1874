/** Which placeholders each retention rule needs in the destination's last folder, and the message when one is missing. */
import type { RetentionPolicy, RetentionRule } from '../model.ts';
import { retentionRules } from '../model.ts';
import { lastSegment, parseTemplate, type PlaceholderName } from './placeholders.ts';

/** The input that sets a rule: `keep-daily` for `daily`. */
export function retentionInputName(rule: RetentionRule): `keep-${RetentionRule}` {
  return `keep-${rule}`;
}

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

export function missingPlaceholder(
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

/** Throws RangeError for a count that is not a whole number of 0 or more, or a rule the pattern cannot serve. */
export function checkPolicy(policy: RetentionPolicy, placeholders: readonly PlaceholderName[]): void {
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
