/**
 * The upload's inputs as data: the one table that action.yml (checked by a test), the defaults readInputs
 * applies, the secrets every front door masks, and the command line's flags and `--help` all come from.
 */

import type { InputSpec } from './input-spec.ts';

export type { InputSpec } from './input-spec.ts';

/** In action.yml's order. */
export const uploadInputs = [
  {
    name: 'path',
    description:
      'Newline-separated glob patterns of the files to upload (@actions/glob syntax). A line starting with ! excludes.',
    required: true,
    multiLine: true,
    value: '<pattern>',
    commandLine: 'Repeat --path for several patterns.',
  },
  {
    name: 'destination',
    description:
      'Dropbox folder the files go into. The leading / is optional; / is the root (of the app folder, for App-folder apps). May hold placeholders such as {repo} and {datetime}, resolved once per run.',
    default: '/',
    value: '<folder>',
  },
  {
    name: 'access-token',
    description:
      'A Dropbox access token (short-lived, or legacy long-lived). Prefer refresh-token: short-lived tokens expire after 4 hours.',
    secret: { environment: 'DROPBOX_ACCESS_TOKEN' },
    value: '<token>',
  },
  {
    name: 'refresh-token',
    description:
      'A Dropbox refresh token. Needs app-key, and app-secret unless the token came from a PKCE flow.',
    secret: { environment: 'DROPBOX_REFRESH_TOKEN' },
    value: '<token>',
  },
  {
    name: 'app-key',
    description: 'The Dropbox app key (used with refresh-token).',
    secret: { environment: 'DROPBOX_APP_KEY' },
    value: '<key>',
  },
  {
    name: 'app-secret',
    description: 'The Dropbox app secret (used with refresh-token; omit for PKCE refresh tokens).',
    secret: { environment: 'DROPBOX_APP_SECRET' },
    value: '<secret>',
  },
  {
    name: 'if-no-files-found',
    description: 'What to do when no file matches: warn, error or ignore.',
    default: 'warn',
    value: '<warn|error|ignore>',
  },
  {
    name: 'include-hidden-files',
    description: 'Include files and folders whose name starts with a dot.',
    default: 'false',
    boolean: true,
    value: '<true|false>',
  },
  {
    name: 'follow-symbolic-links',
    description: 'Follow symbolic links while searching for files.',
    default: 'true',
    boolean: true,
    value: '<true|false>',
  },
  {
    name: 'if-exists',
    description:
      'What to do with a file that already exists at its Dropbox path: overwrite, skip, rename or fail.',
    default: 'overwrite',
    value: '<overwrite|skip|rename|fail>',
  },
  {
    name: 'chunk-size',
    description:
      'MiB per upload request: a multiple of 4, from 4 to 148. Lower it if the runner runs out of memory.',
    default: '16',
    value: '<MiB>',
  },
  {
    name: 'concurrency',
    description: 'The most upload requests in flight at once, 1 to 64.',
    default: '8',
    value: '<n>',
  },
  {
    name: 'max-attempts',
    description: 'Attempts per request on 5XX, 429, 408 and network failures, 1 to 20.',
    default: '5',
    value: '<n>',
  },
  {
    name: 'request-timeout',
    description:
      'Seconds a request may make no progress (no bytes sent, no answer) before it is aborted and retried like a network failure, 1 to 3600.',
    default: '300',
    value: '<seconds>',
  },
  {
    name: 'skip-unchanged',
    description:
      'Do not send a file whose content Dropbox already has at its path (one listing of the destination; needs files.metadata.read, else everything is sent).',
    default: 'true',
    boolean: true,
    value: '<true|false>',
  },
  {
    name: 'keep-last',
    description:
      'After a run in which nothing failed, keep the newest N folders (0 to 10000) that destination produces (its last folder needs a {date}, {time} or {datetime} placeholder) and delete those no keep-* input keeps. 0 turns it off; with every keep-* input off, nothing is deleted.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'keep-hourly',
    description:
      'After a run in which nothing failed, also keep the newest folder of each of the last N hours (0 to 10000; the last folder of destination needs {time} or {datetime}), as restic forget does. 0 turns it off.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'keep-daily',
    description:
      'After a run in which nothing failed, also keep the newest folder of each of the last N days (0 to 10000; the last folder of destination needs {date} or {datetime}), as restic forget does. 0 turns it off.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'keep-weekly',
    description:
      'After a run in which nothing failed, also keep the newest folder of each of the last N weeks (0 to 10000; the last folder of destination needs {date} or {datetime}), as restic forget does. 0 turns it off.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'keep-monthly',
    description:
      'After a run in which nothing failed, also keep the newest folder of each of the last N months (0 to 10000; the last folder of destination needs {date} or {datetime}), as restic forget does. 0 turns it off.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'keep-yearly',
    description:
      'After a run in which nothing failed, also keep the newest folder of each of the last N years (0 to 10000; the last folder of destination needs {date} or {datetime}), as restic forget does. 0 turns it off.',
    default: '0',
    value: '<n>',
  },
  {
    name: 'dry-run',
    description:
      'Check the credentials and report what would be uploaded, skipped and deleted, without writing anything to Dropbox.',
    default: 'false',
    boolean: true,
    value: '<true|false>',
  },
  {
    name: 'namespace',
    description:
      'Where paths start in a Dropbox team: home (your own folder), team (the team space root, where team folders are), or a namespace id.',
    default: 'home',
    value: '<home|team|id>',
  },
  {
    name: 'select-user',
    description:
      'A team member id (dbmid:...) for a team-scoped token: the member whose Dropbox the upload acts in.',
    value: '<dbmid:...>',
  },
  {
    name: 'shared-links',
    description:
      'Create (or reuse) a shared link for every uploaded file; links go into the files output and the job summary. Needs the sharing.write permission.',
    default: 'false',
    boolean: true,
    value: '<true|false>',
  },
] as const satisfies readonly InputSpec[];

type UploadInput = (typeof uploadInputs)[number];
type DefaultedInput = Extract<UploadInput, { default: string }>;
type SecretInput = Extract<UploadInput, { secret: object }>;

export type UploadInputName = UploadInput['name'];
export type SecretInputName = SecretInput['name'];

/** The defaults documented in action.yml, by input name. */
export type InputDefaults = { readonly [I in DefaultedInput as I['name']]: I['default'] };

function hasDefault(input: UploadInput): input is DefaultedInput {
  return 'default' in input;
}

function isSecret(input: UploadInput): input is SecretInput {
  return 'secret' in input;
}

export const uploadInputDefaults = Object.fromEntries(
  uploadInputs.filter(hasDefault).map((input) => [input.name, input.default]),
) as InputDefaults;

export const uploadSecretInputNames: readonly SecretInputName[] = uploadInputs
  .filter(isSecret)
  .map((input) => input.name);
