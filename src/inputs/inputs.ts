/**
 * Reads and validates the action's inputs. Pure: the caller passes `getInput`, so tests need no environment.
 * The first problem found throws an InputError whose message names the input, the value given
 * (never for credentials) and what is allowed.
 */
import {
  retentionRules,
  type ActionInputs,
  type IfExists,
  type IfNoFilesFound,
  type RetentionPolicy,
  type RetentionRule,
} from '../model.ts';
import { uploadInputDefaults } from './upload-inputs.ts';
import { readCredentials, secretInputNames } from './credentials.ts';
import { readDestination } from './destination.ts';
import { readNamespace, readSelectUser, transferLimits } from './transfer-settings.ts';
import { InputError, problem, readBoolean, readChoice, readInteger } from './values.ts';

export { InputError, secretInputNames };
export { normaliseDestination } from './destination.ts';
import { retentionInputName, retentionPlaceholderProblem } from '../backups/retention-rules.ts';

/**
 * The defaults documented in action.yml (from the input table). An input that reaches us as '' means "use
 * the default": the bundled action is also run with only some INPUT_* variables set, where the runner fills
 * in nothing.
 */
export const inputDefaults = uploadInputDefaults;

type DefaultedInputName = keyof typeof inputDefaults;

const ifNoFilesFoundValues: readonly IfNoFilesFound[] = ['warn', 'error', 'ignore'];
const ifExistsValues: readonly IfExists[] = ['overwrite', 'skip', 'rename', 'fail'];

const MIB = 1024 * 1024;

export function readInputs(getInput: (name: string) => string): ActionInputs {
  /**
   * The trimmed value, or the documented default when the input is empty. A value of only whitespace is
   * passed on as it is, so that validation rejects it and the message shows it.
   */
  const withDefault = (name: DefaultedInputName): string => {
    const raw = getInput(name);
    if (raw === '') return inputDefaults[name];
    return raw.trim() === '' ? raw : raw.trim();
  };

  const patterns = readPatterns(getInput('path'));
  const destination = readDestination(withDefault('destination'));
  const credentials = readCredentials(getInput);
  const ifNoFilesFound = readChoice(
    'if-no-files-found',
    withDefault('if-no-files-found'),
    ifNoFilesFoundValues,
  );
  const includeHiddenFiles = readBoolean('include-hidden-files', withDefault('include-hidden-files'));
  const followSymbolicLinks = readBoolean('follow-symbolic-links', withDefault('follow-symbolic-links'));
  const ifExists = readChoice('if-exists', withDefault('if-exists'), ifExistsValues);

  const chunkSizeMiB = readInteger('chunk-size', withDefault('chunk-size'), transferLimits['chunk-size']);

  const retention = readRetention(withDefault, destination);

  return {
    patterns,
    destination,
    credentials,
    ifNoFilesFound,
    includeHiddenFiles,
    followSymbolicLinks,
    ifExists,
    chunkSizeBytes: chunkSizeMiB * MIB,
    concurrency: readInteger('concurrency', withDefault('concurrency'), transferLimits.concurrency),
    maxAttempts: readInteger('max-attempts', withDefault('max-attempts'), transferLimits['max-attempts']),
    requestTimeoutSeconds: readInteger(
      'request-timeout',
      withDefault('request-timeout'),
      transferLimits['request-timeout'],
    ),
    namespace: readNamespace(withDefault('namespace')),
    ...readSelectUser(getInput('select-user')),
    sharedLinks: readBoolean('shared-links', withDefault('shared-links')),
    skipUnchanged: readBoolean('skip-unchanged', withDefault('skip-unchanged')),
    retention,
    dryRun: readBoolean('dry-run', withDefault('dry-run')),
  };
}

/**
 * The keep-* inputs, each 0 (off) to 10000. A rule that is on needs the placeholders that give it meaning
 * in the destination's last folder: a time for keep-hourly, a date for the calendar rules.
 */
function readRetention(
  withDefault: (name: DefaultedInputName) => string,
  destination: string,
): RetentionPolicy {
  const policy: Partial<Record<RetentionRule, number>> = {};
  for (const rule of retentionRules) {
    const name = retentionInputName(rule);
    const value = withDefault(name);
    const count = readInteger(name, value, { min: 0, max: 10_000 });
    if (count === 0) continue;
    const missing = retentionPlaceholderProblem(rule, destination);
    if (missing !== undefined) throw problem(name, value, missing.allowed);
    policy[rule] = count;
  }
  return policy;
}

function readPatterns(raw: string): string[] {
  const patterns = raw
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // @actions/glob skips lines starting with '#', so they do not count as something to upload.
  const includes = patterns.filter((line) => !line.startsWith('!') && !line.startsWith('#'));
  if (patterns.length === 0) {
    throw new InputError(
      'Input "path" is required: give one or more glob patterns of the files to upload, one per line.',
    );
  }
  if (includes.length === 0) {
    throw problem(
      'path',
      raw.trim(),
      'it needs at least one pattern of files to upload; lines starting with ! only exclude, and lines starting with # are comments.',
    );
  }
  return patterns;
}
