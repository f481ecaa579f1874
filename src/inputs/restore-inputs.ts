/**
 * The restore's inputs: its table (action.yml, the defaults, the secrets every front door masks, and the
 * command line's flags and `--help` come from it; the rows it shares with the upload are the upload's own),
 * and `readRestoreInputs`, which validates them all before any request, with the upload's readers and messages.
 */
import { restoreSourceSpec, type RestoreSourceSpec } from '../backups/newest-backup.ts';
import { parseTemplate, TemplateError, type WorkflowContext } from '../backups/placeholders.ts';
import type { Credentials, RestoreIfExists, TransferSettings } from '../model.ts';
import { parseIncludePatterns, type IncludeRule } from '../plan/include-patterns.ts';
import { PlanError } from '../plan/plan.ts';
import { readCredentials } from './credentials.ts';
import { normaliseDestination } from './destination.ts';
import { readTransferSettings } from './transfer-settings.ts';
import type { InputSpec } from './input-spec.ts';
import { uploadInputs } from './upload-inputs.ts';
import { controlCharacter, InputError, problem, readBoolean, readChoice } from './values.ts';

type UploadRow = (typeof uploadInputs)[number];

/** A row of the upload's table, as it is: the restore shares it word for word. */
function uploadRow<N extends UploadRow['name']>(name: N): Extract<UploadRow, { name: N }> {
  const row = uploadInputs.find((input): input is Extract<UploadRow, { name: N }> => input.name === name);
  if (row === undefined) throw new Error(`The upload's input table has no "${name}".`);
  return row;
}

/** In action.yml's order. */
export const restoreInputs = [
  {
    name: 'source',
    description:
      'Dropbox folder or file to bring back. Its last segment may hold placeholders, as in /backups/{repo}/{datetime}: the newest existing match is restored, in the order keep-last uses.',
    required: true,
    value: '<dropbox path>',
  },
  {
    name: 'path',
    description: 'Local folder the files are written into, relative to the workspace. Created if missing.',
    default: '.',
    value: '<folder>',
  },
  {
    name: 'include',
    description:
      'Newline-separated glob patterns relative to source; a line starting with ! excludes. Empty restores everything.',
    multiLine: true,
    value: '<pattern>',
    commandLine: 'Repeat --include for several patterns.',
  },
  uploadRow('access-token'),
  uploadRow('refresh-token'),
  uploadRow('app-key'),
  uploadRow('app-secret'),
  {
    ...uploadRow('if-exists'),
    description: 'What to do with a local file already where a restored file goes: overwrite, skip or fail.',
    value: '<overwrite|skip|fail>',
  },
  {
    ...uploadRow('skip-unchanged'),
    description:
      'Do not download a file whose local copy already has the same content (Dropbox content hash); it is reported as skipped, unchanged.',
  },
  {
    ...uploadRow('chunk-size'),
    description:
      'MiB per ranged download request for files bigger than it: a multiple of 4, from 4 to 148. Memory grows with concurrency × chunk-size.',
  },
  { ...uploadRow('concurrency'), description: 'The most download requests in flight at once, 1 to 64.' },
  uploadRow('max-attempts'),
  {
    ...uploadRow('request-timeout'),
    description:
      'Seconds a request may make no progress (no bytes received, no answer) before it is aborted and retried like a network failure, from the bytes that arrived, 1 to 3600.',
  },
  {
    ...uploadRow('dry-run'),
    description:
      'Check the credentials, resolve and list the source, and report what would be downloaded, skipped and refused, without writing anything on the runner.',
  },
  uploadRow('namespace'),
  {
    ...uploadRow('select-user'),
    description:
      'A team member id (dbmid:...) for a team-scoped token: the member whose Dropbox the restore reads from.',
  },
] as const satisfies readonly InputSpec[];

type RestoreRow = (typeof restoreInputs)[number];
type DefaultedRow = Extract<RestoreRow, { default: string }>;
export type RestoreInputName = RestoreRow['name'];

export const restoreInputDefaults = Object.fromEntries(
  restoreInputs
    .filter((input): input is DefaultedRow => 'default' in input)
    .map((input) => [input.name, input.default]),
) as { readonly [R in DefaultedRow as R['name']]: R['default'] };

export const restoreSecretInputNames: readonly RestoreInputName[] = restoreInputs
  .filter((input) => 'secret' in input)
  .map((input) => input.name);

export interface RestoreInputs extends TransferSettings {
  /** Normalised Dropbox path (`''` for the root, else `/a/b`); its placeholders parse (resolveRestoreSource). */
  source: string;
  /** The `path` input, trimmed: the local folder, relative to the workspace or absolute. */
  path: string;
  include: IncludeRule[];
  credentials: Credentials;
  ifExists: RestoreIfExists;
  skipUnchanged: boolean;
  dryRun: boolean;
}

const ifExistsValues: readonly RestoreIfExists[] = ['overwrite', 'skip', 'fail'];

/**
 * Reads and validates the restore's inputs. Pure: the caller passes `getInput`. The first problem found
 * throws an InputError naming the input, the value given (never for credentials) and what is allowed.
 */
export function readRestoreInputs(getInput: (name: string) => string): RestoreInputs {
  /** The trimmed value, or the documented default when empty; only whitespace is kept, for the message. */
  const withDefault = (name: keyof typeof restoreInputDefaults): string => {
    const raw = getInput(name);
    if (raw === '') return restoreInputDefaults[name];
    return raw.trim() === '' ? raw : raw.trim();
  };
  const source = readSource(getInput('source'));
  const path = readLocalFolder(withDefault('path'));
  const include = readInclude(getInput('include'));
  const credentials = readCredentials(getInput);
  const ifExists = readChoice('if-exists', withDefault('if-exists'), ifExistsValues);
  const skipUnchanged = readBoolean('skip-unchanged', withDefault('skip-unchanged'));
  const settings = readTransferSettings(withDefault, getInput);
  const dryRun = readBoolean('dry-run', withDefault('dry-run'));
  return { source, path, include, credentials, ifExists, skipUnchanged, ...settings, dryRun };
}

/** A normalised Dropbox path whose placeholders parse, as `destination` is read. */
function readSource(raw: string): string {
  if (raw === '') {
    throw new InputError(
      'Input "source" is required: give the Dropbox folder or file to restore, such as /backups/site or ' +
        '/backups/{repo}/{datetime} (the newest backup).',
    );
  }
  const value = raw.trim() === '' ? raw : raw.trim();
  const source = normaliseDestination(value, 'source', 'a Dropbox folder or file path such as /backups/site');
  try {
    parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateError) throw problem('source', value, error.reason);
    throw error;
  }
  return source;
}

function readLocalFolder(value: string): string {
  if (value.trim() === '')
    throw problem(
      'path',
      value,
      'it must be a local folder, relative to the workspace (. for the workspace).',
    );
  if (controlCharacter.test(value))
    throw problem('path', value, 'it contains a control character (such as a line break or tab).');
  return value;
}

function readInclude(raw: string): IncludeRule[] {
  try {
    return parseIncludePatterns(raw.split(/\r?\n|\r/));
  } catch (error) {
    if (error instanceof PlanError) throw new InputError(error.message);
    throw error;
  }
}

/**
 * What `source` means for this run: its placeholders checked against the run's context (a `{repo}` with
 * no GITHUB_REPOSITORY is an input error, not a pattern that matches nothing). Fails before any request.
 */
export function resolveRestoreSource(source: string, context: WorkflowContext): RestoreSourceSpec {
  try {
    return restoreSourceSpec(source, context);
  } catch (error) {
    if (error instanceof TemplateError)
      throw new InputError(
        `Input "source" is ${JSON.stringify(source === '' ? '/' : source)}; ${error.reason}`,
      );
    throw error;
  }
}
