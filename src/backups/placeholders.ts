/**
 * Placeholders in the `destination` input, such as `/backups/{repo}/{datetime}`. Pure: the clock and the
 * workflow context are parameters, so every case is a table test.
 *
 * Three things come out of a template: its parse errors (input errors, raised before any request), the
 * folder one run resolves it to (one instant for the whole run), and, for keep-last, a matcher that
 * recognises the sibling folders other runs of the same series resolved it to.
 */
import { compareCodePoints } from '../local/paths.ts';

/** What GitHub Actions tells a run about itself (from @actions/github's context); absent when unset. */
export interface WorkflowContext {
  owner?: string;
  repo?: string;
  /** The full ref, e.g. `refs/heads/main`. */
  ref?: string;
  sha?: string;
  runNumber?: number;
  runAttempt?: number;
}

export type PlaceholderName =
  | 'date'
  | 'time'
  | 'datetime'
  | 'repo'
  | 'owner'
  | 'ref'
  | 'sha'
  | 'short-sha'
  | 'run-number'
  | 'run-attempt';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'placeholder'; name: PlaceholderName };

/** A template that cannot be parsed or resolved; `reason` completes `Input "destination" is "…"; `. */
export class TemplateError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'TemplateError';
    this.reason = reason;
  }
}

interface PlaceholderRule {
  /**
   * `time`: differs on every run, and orders runs (keep-last sorts by it).
   * `run`: differs on every run (sha, run number), so a series matches any value of its shape.
   * `series`: names the series (repo, owner, ref): another value is another series, never pruned by this one.
   */
  kind: 'time' | 'run' | 'series';
  /** Where the value comes from, for the message when it is missing. */
  source: string;
  value: (now: Date, context: WorkflowContext) => string | undefined;
  /** Regular expression source for any value of this placeholder (`run` and `time` kinds). */
  shape: string;
  /** Compare captured values as numbers (run numbers: 9 comes before 10). */
  numeric?: boolean;
}

/** `2026-11-23T10:15:00.000Z` → its parts; UTC, so every runner agrees. */
function isoParts(now: Date): { date: string; time: string } {
  const iso = now.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19).replace(/:/g, '-') };
}

/** `refs/heads/feature/x` → `feature-x`; a name, never a path: Dropbox would make folders of the slashes. */
export function refName(ref: string): string {
  const name = ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\//, '');
  return name.replace(/\//g, '-');
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function positiveInteger(value: number | undefined): string | undefined {
  return value !== undefined && Number.isInteger(value) && value > 0 ? String(value) : undefined;
}

const rules: Record<PlaceholderName, PlaceholderRule> = {
  date: {
    kind: 'time',
    source: 'the clock',
    value: (now) => isoParts(now).date,
    shape: '\\d{4}-\\d{2}-\\d{2}',
  },
  time: {
    kind: 'time',
    source: 'the clock',
    value: (now) => isoParts(now).time,
    shape: '\\d{2}-\\d{2}-\\d{2}',
  },
  datetime: {
    kind: 'time',
    source: 'the clock',
    value: (now) => `${isoParts(now).date}T${isoParts(now).time}Z`,
    shape: '\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z',
  },
  repo: { kind: 'series', source: 'GITHUB_REPOSITORY', value: (_now, c) => present(c.repo), shape: '' },
  owner: { kind: 'series', source: 'GITHUB_REPOSITORY', value: (_now, c) => present(c.owner), shape: '' },
  ref: {
    kind: 'series',
    source: 'GITHUB_REF',
    value: (_now, c) => {
      const ref = present(c.ref);
      return ref === undefined ? undefined : present(refName(ref));
    },
    shape: '',
  },
  // SHA-1 object names have 40 hex digits, SHA-256 ones 64.
  sha: {
    kind: 'run',
    source: 'GITHUB_SHA',
    value: (_now, c) => present(c.sha)?.toLowerCase(),
    shape: '[0-9a-f]{40}(?:[0-9a-f]{24})?',
  },
  'short-sha': {
    kind: 'run',
    source: 'GITHUB_SHA',
    value: (_now, c) => present(c.sha)?.toLowerCase().slice(0, 7),
    shape: '[0-9a-f]{7}',
  },
  'run-number': {
    kind: 'run',
    source: 'GITHUB_RUN_NUMBER',
    value: (_now, c) => positiveInteger(c.runNumber),
    shape: '\\d+',
    numeric: true,
  },
  'run-attempt': {
    kind: 'run',
    source: 'GITHUB_RUN_ATTEMPT',
    value: (_now, c) => positiveInteger(c.runAttempt),
    shape: '\\d+',
    numeric: true,
  },
};

export const placeholderNames = Object.keys(rules) as PlaceholderName[];

/** The placeholders that change with the clock: keep-last needs one in the last folder. */
export const timePlaceholderNames = placeholderNames.filter((name) => rules[name].kind === 'time');

function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(rules, name);
}

const known = (): string => placeholderNames.map((name) => `{${name}}`).join(', ');

/** Splits a template into text and placeholders. Braces are reserved: each `{` needs its `}`. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let index = 0; index < template.length;) {
    const char = template[index];
    if (char === '}') {
      throw new TemplateError(
        `the "}" at position ${index + 1} closes no "{". Braces only mark placeholders: ${known()}.`,
      );
    }
    if (char !== '{') {
      text += char;
      index += 1;
      continue;
    }
    const close = template.indexOf('}', index + 1);
    const nextOpen = template.indexOf('{', index + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      throw new TemplateError(
        `the "{" at position ${index + 1} is not closed by a "}". Placeholders are written ${known()}.`,
      );
    }
    const name = template.slice(index + 1, close);
    if (!isPlaceholderName(name)) {
      throw new TemplateError(`{${name}} is not a placeholder; the placeholders are ${known()}.`);
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'placeholder', name });
    index = close + 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

export function hasPlaceholders(template: string): boolean {
  return parseTemplate(template).some((part) => part.kind === 'placeholder');
}

/** The last `/` segment of a template (or of a resolved path). */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when the last folder of the template changes with the clock, so each run gets its own. */
export function lastSegmentHasTime(template: string): boolean {
  return parseTemplate(lastSegment(template)).some(
    (part) => part.kind === 'placeholder' && rules[part.name].kind === 'time',
  );
}

/** Every placeholder replaced by its value for this run. Throws when the context lacks a value. */
export function resolveTemplate(template: string, now: Date, context: WorkflowContext): string {
  return parseTemplate(template)
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const rule = rules[part.name];
      const value = rule.value(now, context);
      if (value === undefined) {
        throw new TemplateError(
          `{${part.name}} needs ${rule.source}, which is not set. GitHub Actions sets it on every run; ` +
            'outside Actions, set it in the environment or leave the placeholder out.',
        );
      }
      return value;
    })
    .join('');
}

/** A sort key: the time values first (they order runs), then the other run values, then the name. */
export type SeriesKey = readonly (string | number)[];

export interface SeriesMatcher {
  /** The sort key of a sibling name of this series, or undefined when the name is not one of it. */
  match(name: string): SeriesKey | undefined;
  /** The placeholder each value of a key comes from, in key order (the name, last in a key, is not one). */
  placeholders: readonly PlaceholderName[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Recognises the names the template's last segment produces on other runs: a time or run placeholder
 * stands for any value of its shape, a series placeholder ({repo}, {owner}, {ref}) for this run's value
 * only. `site-{datetime}` matches `site-2026-11-20T02-00-00Z`, not `site-manual`. Case-insensitive, as
 * Dropbox names are.
 */
export function seriesMatcher(template: string, context: WorkflowContext): SeriesMatcher {
  const parts = parseTemplate(lastSegment(template));
  const captured: PlaceholderRule[] = [];
  const capturedNames: PlaceholderName[] = [];
  const source = parts
    .map((part) => {
      if (part.kind === 'text') return escapeRegExp(part.text);
      const rule = rules[part.name];
      if (rule.kind === 'series') {
        // resolveTemplate has already required the value; an absent one matches nothing.
        const value = rule.value(new Date(0), context);
        return value === undefined ? '(?!)' : escapeRegExp(value);
      }
      captured.push(rule);
      capturedNames.push(part.name);
      return `(${rule.shape})`;
    })
    .join('');
  const pattern = new RegExp(`^${source}$`, 'iu');
  const timeFirst = captured
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => Number(b.rule.kind === 'time') - Number(a.rule.kind === 'time'));
  return {
    placeholders: timeFirst.map(({ index }) => capturedNames[index] as PlaceholderName),
    match(name) {
      const found = pattern.exec(name);
      if (found === null) return undefined;
      const values = timeFirst.map(({ rule, index }) => {
        const value = (found[index + 1] ?? '').toLowerCase();
        return rule.numeric ? Number(value) : value;
      });
      return [...values, name];
    },
  };
}

/** Orders series keys oldest first: element by element, numbers as numbers, strings by code points. */
export function compareSeriesKeys(a: SeriesKey, b: SeriesKey): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const x = a[index];
    const y = b[index];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareCodePoints(String(x), String(y));
  }
  return a.length - b.length;
}
