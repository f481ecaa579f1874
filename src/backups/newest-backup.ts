/**
 * Which Dropbox entry a restore's `source` means. Without placeholders, the path itself; with them in its
 * last segment, the newest sibling of the series, ordered as keep-last orders it. Pure: the listing of the
 * parent is a parameter.
 */
import type { RemoteEntry } from '../dropbox/listing.ts';
import { compareCodePoints } from '../local/paths.ts';
import type { Explanation } from '../model.ts';
import { restoreTitles } from '../transfer/download-explanations.ts';
import {
  compareSeriesKeys,
  lastSegment,
  parseTemplate,
  resolveTemplate,
  seriesMatcher,
  TemplateError,
  timePlaceholderNames,
  type SeriesKey,
  type SeriesMatcher,
  type WorkflowContext,
} from './placeholders.ts';

export type RestoreSourceSpec =
  /** A path to restore as it is. */
  | { kind: 'path'; path: string }
  /** The newest entry in `parent` whose name the template's last segment (`pattern`) produces. */
  | { kind: 'newest'; parent: string; pattern: string; matcher: SeriesMatcher };

/**
 * What the `source` input (normalised: `''` for the root, else `/a/b`) asks for. Placeholders in the last
 * segment pick the newest matching sibling, as keep-last orders a series; `{repo}`, `{owner}` and `{ref}`
 * there, and any placeholder above it, take this run's values. Throws a TemplateError, whose reason
 * completes `Input "source" is "…"; `, for a placeholder whose value this run lacks (anywhere: in the last
 * segment it would otherwise match nothing), and for a clock placeholder above the last segment, which
 * would have to be this run's time, which no earlier backup has.
 */
export function restoreSourceSpec(source: string, context: WorkflowContext): RestoreSourceSpec {
  // Only the missing values matter here: the instant is never used.
  resolveTemplate(source, new Date(0), context);
  const cut = source.lastIndexOf('/');
  const parentTemplate = cut <= 0 ? '' : source.slice(0, cut);
  const clockAbove = parseTemplate(parentTemplate).find(
    (part) => part.kind === 'placeholder' && timePlaceholderNames.includes(part.name),
  );
  if (clockAbove?.kind === 'placeholder') {
    throw new TemplateError(
      `{${clockAbove.name}} is above the last folder. Only the last segment of "source" may change from ` +
        `run to run (as in /backups/{repo}/{datetime}); the newest match is restored.`,
    );
  }
  // No clock placeholder is left above the last segment, so the instant is never read.
  const parent = resolveTemplate(parentTemplate, new Date(0), context);
  const pattern = lastSegment(source);
  if (!parseTemplate(pattern).some((part) => part.kind === 'placeholder')) {
    return { kind: 'path', path: source === '' ? '' : `${parent}/${pattern}` };
  }
  return { kind: 'newest', parent, pattern, matcher: seriesMatcher(source, context) };
}

/** Names shown in a "nothing matches" message, at most. */
const SHOWN_NAMES = 10;

/** No sibling matches the source's pattern: the facts for the message (found names are Dropbox's). */
export class NoMatchingSourceError extends Error {
  readonly parent: string;
  readonly pattern: string;
  /** Every name found in the parent folder, in code-point order. */
  readonly found: string[];

  constructor(parent: string, pattern: string, found: string[]) {
    const folder = parent === '' ? '/' : parent;
    const shown = found.slice(0, SHOWN_NAMES).map((name) => `"${name}"`);
    const more = found.length > SHOWN_NAMES ? ` and ${found.length - SHOWN_NAMES} more` : '';
    super(
      found.length === 0
        ? `Nothing in the Dropbox folder "${folder}" matches "${pattern}": the folder is empty or does not exist.`
        : `Nothing in the Dropbox folder "${folder}" matches "${pattern}". It holds ${found.length} ` +
            `entr${found.length === 1 ? 'y' : 'ies'}: ${shown.join(', ')}${more}.`,
    );
    this.name = 'NoMatchingSourceError';
    this.parent = parent;
    this.pattern = pattern;
    this.found = found;
  }
}

/**
 * The newest entry (file or folder) of `siblings`, the parent's listing, that the pattern matches: the
 * one keep-last would keep first (seriesMatcher's keys, compareSeriesKeys' order). Throws
 * NoMatchingSourceError, naming the pattern and what was found, when none matches.
 */
export function newestMatching(
  spec: Extract<RestoreSourceSpec, { kind: 'newest' }>,
  siblings: readonly RemoteEntry[],
): RemoteEntry {
  let newest: { entry: RemoteEntry; key: SeriesKey } | undefined;
  for (const entry of siblings) {
    const key = spec.matcher.match(entry.name);
    if (key === undefined) continue;
    if (newest === undefined || compareSeriesKeys(key, newest.key) > 0) newest = { entry, key };
  }
  if (newest !== undefined) return newest.entry;
  const found = siblings.map((entry) => entry.name).sort(compareCodePoints);
  throw new NoMatchingSourceError(spec.parent, spec.pattern, found);
}

/** No sibling matched the source's placeholders. */
export function explainNoMatchingSource(error: NoMatchingSourceError): Explanation {
  return {
    title: restoreTitles.noMatchingSource,
    scope: 'file',
    message:
      `${error.message} "source" restores the newest entry whose name fits the pattern, as keep-last orders ` +
      'them; check the pattern against the names the backups were given, and that a backup was made.',
  };
}
