/**
 * The restore's `include` input: glob lines relative to the source, `!` lines exclude. Pure.
 *
 * Matching uses Node's `path.posix.matchesGlob` (stable in Node 24), on Dropbox's `/`-separated relative
 * paths whatever the runner's OS, with two differences that make the patterns read like the upload's
 * (`@actions/glob`, which matches with minimatch's `dot: true`):
 * - `*`, `?` and `**` match names that start with a dot, as the upload's patterns do. matchesGlob has no
 *   such option, so a leading dot of every segment, in the path and in the pattern, is replaced by NUL
 *   first: a character no Dropbox name and no input line holds, which wildcards do match.
 * - Letter case is ignored, as Dropbox ignores it: both sides are lower-cased.
 * A pattern matching a folder takes in everything under it, as a folder named in the upload's `path` does.
 */
import path from 'node:path';
import { PlanError } from './plan.ts';

export interface IncludeRule {
  exclude: boolean;
  /** The line as written (trimmed), for messages. */
  written: string;
  /** The glob as matched: relative, lower-cased, leading dots replaced. */
  glob: string;
}

const LEADING_DOT = '\u0000';

/** Lower-cased, with the leading dot of each segment replaced; in a pattern, an escaped `\.` too. */
function forMatching(relative: string, leadingDot: RegExp): string {
  return relative
    .toLowerCase()
    .split('/')
    .map((segment) => segment.replace(leadingDot, LEADING_DOT))
    .join('/');
}

const PATH_LEADING_DOT = /^\./;
const PATTERN_LEADING_DOT = /^\\?\./;

/**
 * The `include` lines as rules, in order. Blank lines are ignored; a leading `./` or `/` is dropped
 * (patterns are relative to the source either way). Throws PlanError naming the line for one that
 * leaves the source (`..`) or is empty after its `!`.
 */
export function parseIncludePatterns(lines: readonly string[]): IncludeRule[] {
  const rules: IncludeRule[] = [];
  for (const raw of lines) {
    const written = raw.trim();
    if (written === '') continue;
    const exclude = written.startsWith('!');
    const pattern = (exclude ? written.slice(1) : written)
      .trim()
      .replace(/^(\.\/|\/)+/, '')
      .replace(/\/{2,}/g, '/')
      .replace(/\/+$/, '');
    if (pattern === '' || pattern === '.') {
      throw new PlanError(
        `Input "include" has the line "${written}", which names nothing. Write a glob relative to "source", ` +
          'such as "db/**" or "!**/*.log".',
      );
    }
    if (pattern.split('/').includes('..')) {
      throw new PlanError(
        `Input "include" has the line "${written}", which leaves "source" (".."). Patterns are relative ` +
          'to "source" and can only pick what is inside it; restore a higher folder instead.',
      );
    }
    rules.push({ exclude, written, glob: forMatching(pattern, PATTERN_LEADING_DOT) });
  }
  return rules;
}

/** The path and each folder above it, shortest first: `a/b/c.txt` → `a`, `a/b`, `a/b/c.txt`. */
function selfAndAncestors(relative: string): string[] {
  const segments = relative.split('/');
  return segments.map((_segment, index) => segments.slice(0, index + 1).join('/'));
}

/**
 * Whether a file or folder (its path relative to the source, with `/`) is restored. With no rules,
 * everything is. Otherwise the rules apply in order and the last one that matches decides; what no rule
 * matches is left out, unless every rule excludes: then it starts from everything, so that a lone
 * `!*.tmp` means "all but the top-level .tmp files".
 */
export function isIncluded(relativePath: string, rules: readonly IncludeRule[]): boolean {
  if (rules.length === 0) return true;
  const candidates = selfAndAncestors(relativePath).map((candidate) =>
    forMatching(candidate, PATH_LEADING_DOT),
  );
  let included = rules.every((rule) => rule.exclude);
  for (const rule of rules) {
    if (candidates.some((candidate) => path.posix.matchesGlob(candidate, rule.glob)))
      included = !rule.exclude;
  }
  return included;
}
