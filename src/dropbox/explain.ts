/**
 * Turns a Dropbox, network or local failure into an Explanation: a stable title, what is wrong and
 * exactly how to fix it, and whether the whole run (credentials) or one file is affected.
 *
 * Decisions are made on HTTP status and on the `.tag`s of the error union (never on `error_summary`,
 * whose suffix varies). Messages never quote tokens, secrets, Authorization headers or request URLs:
 * the SDK puts refresh_token and client_secret in the token URL's query string.
 */
import {
  collectTags,
  findField,
  findTagged,
  httpFailureOf,
  isRecord,
  retryAfterSeconds,
  tagOf,
  type HttpFailure,
} from './error-body.ts';
import { ContentHashMismatchError, LocalReadError } from './errors.ts';
import type { Explanation, IfExists } from '../model.ts';
import { networkFailure } from './retry.ts';

/** Every annotation title. Stable: the README's Troubleshooting section is keyed by them. */
export const titles = {
  accessTokenExpired: 'Dropbox access token expired',
  accessTokenInvalid: 'Dropbox access token invalid',
  missingScope: 'Dropbox app is missing a permission',
  refreshTokenRejected: 'Dropbox refresh token rejected',
  appKeyOrSecretRejected: 'Dropbox app key or secret rejected',
  tokenRequestFailed: 'Dropbox token request failed',
  accountSuspended: 'Dropbox account suspended',
  teamMemberInvalid: 'Dropbox team member not valid',
  routeAccessDenied: 'Dropbox app not allowed to upload',
  teamTokenNeedsMember: 'Dropbox team token needs a member',
  accountTypeNotSupported: 'Dropbox account type not supported',
  accessDenied: 'Dropbox access denied',
  fileExists: 'File already exists in Dropbox',
  folderInTheWay: 'Folder in the way in Dropbox',
  fileInTheWay: 'File in the way in Dropbox',
  outOfSpace: 'Dropbox is out of space',
  noWritePermission: 'No write permission in Dropbox',
  disallowedName: 'Name not allowed by Dropbox',
  malformedPath: 'Malformed Dropbox path',
  requestTooLarge: 'Request too large for Dropbox',
  corrupted: 'Upload corrupted in transit',
  fileTooLarge: 'File too large for Dropbox',
  teamFolder: 'Dropbox team folder cannot be replaced',
  encryptedFolder: 'Dropbox encrypted folder not supported',
  fileLocked: 'Dropbox file is locked',
  rateLimit: 'Dropbox rate limit',
  sessionExpired: 'Dropbox upload session expired',
  sessionOutOfSync: 'Dropbox upload out of sync',
  sessionRefused: 'Dropbox upload session refused',
  pathNotFound: 'Dropbox path not found',
  serverFailing: 'Dropbox is failing (5XX)',
  unreachable: 'Could not reach Dropbox',
  localFileUnreadable: 'Could not read local file',
  outOfMemory: 'Runner out of memory',
  requestFailed: 'Dropbox request failed',
  namespaceNotAccessible: 'Dropbox namespace not accessible',
  rootNamespaceChanged: 'Dropbox team space root changed',
  sharedLinkFailed: 'Dropbox shared link not created',
  accessCodeExpired: 'Dropbox access code expired',
  accessCodeUsed: 'Dropbox access code already used',
  cancelled: 'Upload cancelled',
  skipUnchangedNeedsPermission: 'skip-unchanged needs a permission',
  pruneFailed: 'Old backups not deleted (keep-last)',
} as const;

export type ExplanationTitle = (typeof titles)[keyof typeof titles];

export const explanationTitles: readonly ExplanationTitle[] = Object.values(titles);

export function isCredentialsProblem(explanation: Explanation): boolean {
  return explanation.scope === 'credentials';
}

export interface ExplainContext {
  /** The Dropbox path being written, for file-scope messages. */
  dropboxPath?: string;
  /** The if-exists mode in force, to explain a conflict in its terms. */
  ifExists?: IfExists;
  /**
   * The token request being made: refreshing an access token (the action, the default) or exchanging
   * an access code for tokens (`npm run authorize`), whose invalid_grant means the code, not a token.
   */
  grant?: 'refresh_token' | 'authorization_code';
  /**
   * What the failed request was doing, for messages that say so: uploading the file at `dropboxPath`
   * (the default), listing the folder at `dropboxPath`, making a shared link for the file at
   * `dropboxPath`, or looking up the team space (`namespace: team`).
   */
  action?: 'upload' | 'list' | 'share' | 'team-space-lookup';
}

const README_CREDENTIALS = `See the README's "Credentials" section.`;
const APP_CONSOLE = 'the Dropbox App Console (https://www.dropbox.com/developers/apps)';
const STATUS_PAGE = 'https://status.dropbox.com';

/** The run was cancelled (SIGINT/SIGTERM: a cancelled workflow) before the files were all committed. */
export function explainCancelled(): Explanation {
  return file(
    titles.cancelled,
    'The workflow run was cancelled (the runner sent SIGINT or SIGTERM), so the upload stopped: the files ' +
      'not yet committed in Dropbox did not arrive (the job summary lists them), and a file whose commit was ' +
      'under way may or may not be there. Re-run the job to upload the files that did not arrive.',
  );
}

export function explainDropboxError(error: unknown, context: ExplainContext = {}): Explanation {
  if (error instanceof ContentHashMismatchError) {
    return file(
      titles.corrupted,
      `Dropbox stored ${quotePath(error.dropboxPath)} with content hash ${error.remoteHash}, but the local file ` +
        `hashes to ${error.localHash}: the bytes Dropbox received differ from the file. Was the file still ` +
        'being written while it was uploaded? Make sure the step that produces it has finished, then re-run ' +
        'the job. If it keeps happening, something between the runner and Dropbox (a proxy) alters the traffic.',
    );
  }
  const http = httpFailureOf(error);
  if (http !== undefined) return explainHttpFailure(http, context);

  const networkCode = networkFailure(error);
  if (networkCode !== undefined) return explainUnreachable(networkCode, context);

  const local = localFileError(error);
  if (local !== undefined) {
    return file(
      titles.localFileUnreadable,
      `Could not read the local file ${quotePath(local.path)} (${local.code}) to upload it` +
        `${context.dropboxPath === undefined ? '' : ` to ${quotePath(context.dropboxPath)}`}. It was deleted, ` +
        'moved or made unreadable while the upload ran: make sure no other step changes the files during ' +
        'the upload, then re-run the job.',
    );
  }
  if (isOutOfMemory(error)) {
    return file(
      titles.outOfMemory,
      `The runner ran out of memory while uploading ${where(context)}. Memory use grows with ` +
        '"chunk-size" × "concurrency": lower "chunk-size" (e.g. to 8) or "concurrency", and re-run the job.',
    );
  }
  return file(
    titles.requestFailed,
    `${capitalise(doing(context))} failed: ${describeUnknown(error)}. Re-run the job; if it fails again, look ` +
      `the message up in the README's "Troubleshooting" section or open an issue with it.`,
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP failures

function explainHttpFailure(http: HttpFailure, context: ExplainContext): Explanation {
  const { status, body } = http;
  if (status >= 500) {
    return file(
      titles.serverFailing,
      `Dropbox returned HTTP ${status} for ${where(context)} on every attempt, so the retries are exhausted. ` +
        `This is a problem on Dropbox's side: check ${STATUS_PAGE} and re-run the job later. Raising ` +
        '"max-attempts" rides out short outages.',
    );
  }

  const oauth = oauthError(body);
  if (oauth !== undefined) {
    return context.grant === 'authorization_code'
      ? explainCodeExchange(oauth, status)
      : explainTokenEndpoint(oauth, status);
  }

  if (typeof body === 'string') {
    const fromText = explainTextBody(body, status, context);
    if (fromText !== undefined) return fromText;
  }

  const tags = collectTags(body);
  if (status === 401) return explainAuthError(tags, body);
  if (status === 422) {
    const pathRoot = explainPathRootError(tags, body);
    if (pathRoot !== undefined) return pathRoot;
  }
  if (status === 403) return explainAccessError(tags);

  if (status === 413 || tags.includes('payload_too_large')) {
    return file(
      titles.requestTooLarge,
      `A request uploading ${where(context)} was larger than Dropbox accepts: each upload request must stay ` +
        'under 150 MiB. Lower "chunk-size" (MiB, a multiple of 4 up to 148; e.g. 16) and re-run the job.',
    );
  }
  if (status === 429 || tags.includes('too_many_requests') || tags.includes('too_many_write_operations')) {
    const retryAfter = retryAfterSeconds(http.headers, http.body);
    const busy = tags.includes('too_many_write_operations')
      ? 'too many writes to the same Dropbox folder at once (too_many_write_operations)'
      : 'too many requests (too_many_requests)';
    return file(
      titles.rateLimit,
      `Dropbox kept refusing ${where(context)} because of ${busy}, through every retry` +
        `${retryAfter === undefined ? '' : ` (it last asked to wait ${retryAfter} s)`}. Lower "concurrency", ` +
        'raise "max-attempts", and avoid other uploads to the same Dropbox account at the same time; then ' +
        're-run the job.',
    );
  }
  if (status === 408) return explainUnreachable('HTTP 408 Request Timeout', context);

  return explainRouteError(tags, body, context) ?? explainGeneric(status, tags, body, context);
}

/** The token endpoint answers in the RFC 6749 shape `{error: "code[: detail]", error_description?}`. */
function oauthError(body: unknown): { code: string; description?: string } | undefined {
  if (!isRecord(body) || typeof body.error !== 'string') return undefined;
  const code = body.error.split(':')[0]?.trim() ?? '';
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  return description === undefined ? { code } : { code, description };
}

function explainTokenEndpoint(oauth: { code: string; description?: string }, status: number): Explanation {
  const detail = oauth.description === undefined ? '' : `: ${clip(redactSecrets(oauth.description), 120)}`;
  if (oauth.code === 'invalid_grant') {
    return credentials(
      titles.refreshTokenRejected,
      `Dropbox rejected the refresh token (invalid_grant${detail}). It was revoked (the app was disconnected ` +
        'from the account, by the user or a team admin), was copied wrongly, or belongs to a different app ' +
        'than "app-key". Run the authorization flow again with this app\'s key to get a new refresh token, ' +
        `and update the "refresh-token" secret. ${README_CREDENTIALS}`,
    );
  }
  if (oauth.code === 'invalid_client') {
    return credentials(
      titles.appKeyOrSecretRejected,
      "Dropbox rejected the app key or app secret (invalid_client). Copy both again from the app's " +
        `Settings tab in ${APP_CONSOLE} and update the "app-key" and "app-secret" secrets; they must ` +
        'belong to the app the refresh token was issued to. If the refresh token came from a PKCE flow, ' +
        `leave "app-secret" empty. ${README_CREDENTIALS}`,
    );
  }
  return credentials(
    titles.tokenRequestFailed,
    `Dropbox refused to exchange the refresh token for an access token (HTTP ${status}, ` +
      `${safeIdentifier(oauth.code) ?? 'unknown error'}${detail}). Check "refresh-token", "app-key" and ` +
      '"app-secret"; if they are right, run the authorization flow again to get a new refresh token. ' +
      README_CREDENTIALS,
  );
}

/** The token endpoint's answer to an access-code exchange (`npm run authorize`). */
function explainCodeExchange(oauth: { code: string; description?: string }, status: number): Explanation {
  const detail = oauth.description === undefined ? '' : `: ${clip(redactSecrets(oauth.description), 120)}`;
  const again =
    'Open the authorize URL again (run "npm run authorize" again for a fresh one), click Allow, and paste ' +
    'the new code straight away, whole.';
  if (oauth.code === 'invalid_grant' && /already (been )?used/i.test(oauth.description ?? '')) {
    return credentials(
      titles.accessCodeUsed,
      `Dropbox says this access code was already used (invalid_grant${detail}). An access code can be ` +
        `exchanged only once. ${again}`,
    );
  }
  if (oauth.code === 'invalid_grant' && /expired|exist|not found/i.test(oauth.description ?? '')) {
    return credentials(
      titles.accessCodeExpired,
      `Dropbox did not accept the access code (invalid_grant${detail}). Codes expire a few minutes after ` +
        'Dropbox shows them, work only once, and only with the app key they were made for. ' +
        again,
    );
  }
  if (oauth.code === 'invalid_client') {
    return credentials(
      titles.appKeyOrSecretRejected,
      'Dropbox rejected the app key or app secret you entered (invalid_client). Copy both again from the ' +
        `app's Settings tab in ${APP_CONSOLE} (the secret appears after "Show"). To use PKCE instead of the ` +
        'secret, leave the secret empty.',
    );
  }
  return credentials(
    titles.tokenRequestFailed,
    `Dropbox refused to exchange the access code for tokens (HTTP ${status}, ` +
      `${safeIdentifier(oauth.code) ?? 'unknown error'}${detail}). ${again}`,
  );
}

/** 422 PathRootError: the `namespace` input (Dropbox-API-Path-Root) names a root the account cannot use. */
function explainPathRootError(tags: string[], body: unknown): Explanation | undefined {
  if (tags.includes('invalid_root')) {
    const root = findField(body, 'root_namespace_id');
    const now = typeof root === 'string' && /^[0-9]+$/.test(root) ? ` (it is now ${root})` : '';
    return credentials(
      titles.rootNamespaceChanged,
      `Dropbox refused the team space root the action asked for (invalid_root): the account's root ` +
        `namespace changed${now}, for example because the team moved to a team space while the job ran. ` +
        'Re-run the job: "namespace: team" looks the root up afresh on every run.',
    );
  }
  if (tags.includes('no_permission')) {
    return credentials(
      titles.namespaceNotAccessible,
      'Dropbox does not let this account use the namespace the "namespace" input names (no_permission). ' +
        'Use "team" for the team space root, "home" for your own folder, or the id of a namespace (such as ' +
        'a team folder) that the account, or the member in "select-user", belongs to. An App-folder app ' +
        'cannot leave its folder: leave "namespace" at home for it.',
    );
  }
  return undefined;
}

/**
 * Why a shared link was not created for a file that did arrive. A credential problem (a missing
 * `sharing.write`) keeps its own title and says the upload itself is done.
 */
export function explainSharedLinkError(error: unknown, dropboxPath: string): Explanation {
  const general = explainDropboxError(error, { dropboxPath, action: 'share' });
  if (general.scope === 'credentials') {
    return {
      ...general,
      message: `No shared link was created; the files themselves were uploaded. ${general.message}`,
    };
  }
  const http = httpFailureOf(error);
  if (http === undefined) {
    // Network failures keep their own title; anything else unexplained is about the link.
    if (general.title !== titles.requestFailed) return general;
    return file(
      titles.sharedLinkFailed,
      `${quotePath(dropboxPath)} was uploaded, but its shared link could not be made: ${describeUnknown(error)}.`,
    );
  }
  if (http.status !== 409) return general;
  const tags = collectTags(http.body);
  let reason = `Dropbox refused it (${tags.join('/') || 'HTTP 409'})`;
  if (tags.includes('email_not_verified')) {
    reason =
      "the account's email address is not verified (email_not_verified): verify it at " +
      'https://www.dropbox.com/account, then re-run the job';
  } else if (tags.includes('access_denied') || tags.includes('banned_member')) {
    reason =
      `the account or its team does not allow shared links there (${tags.join('/')}): a team admin can ` +
      "allow them in the Admin Console's sharing settings";
  } else if (tags.includes('not_found')) {
    reason = 'nothing was at that path any more (was it moved or deleted after the upload?)';
  }
  return file(
    titles.sharedLinkFailed,
    `${quotePath(dropboxPath)} was uploaded, but Dropbox did not create its shared link: ${reason}.`,
  );
}

/** Dropbox answers some 400s in plain text; those may quote the Authorization header, so only summarise. */
function explainTextBody(text: string, status: number, context: ExplainContext): Explanation | undefined {
  if (
    text.includes('access token is malformed') ||
    text.includes('Invalid authorization value') ||
    text.includes('Must provide HTTP header "Authorization"')
  ) {
    return credentials(
      titles.accessTokenInvalid,
      `Dropbox could not read the access token (HTTP ${status}: the token is malformed or the Authorization ` +
        'header is invalid). The secret was most likely not copied whole, or contains extra characters. ' +
        `Generate a new access token in ${APP_CONSOLE} (your app → Settings → Generated access token), ` +
        'paste it as one line without spaces or quotes, or better, use "refresh-token" with "app-key" and ' +
        `"app-secret". ${README_CREDENTIALS}`,
    );
  }
  if (text.includes('entire Dropbox Business team')) {
    return credentials(
      titles.teamTokenNeedsMember,
      "The token belongs to a whole Dropbox team (a team-linked app), but uploading works in one member's " +
        'Dropbox, which Dropbox selects with the Dropbox-API-Select-User header. Set "select-user" to the ' +
        'team member id (dbmid:…) of the member whose Dropbox should receive the files (a team admin finds ' +
        'it with the team/members/list API); add "namespace: team" to upload into team folders. Or use a ' +
        'token of a user-linked app instead, authorized while signed in as that member. ' +
        `See the README's "Team spaces" section.`,
    );
  }
  if (/did not match pattern|request body: (path|commit)/.test(text)) {
    return file(
      titles.malformedPath,
      `Dropbox does not accept the path ${where(context)} (HTTP ${status}). Check the "destination" input ` +
        'and the file name for characters Dropbox refuses, rename the file or change "destination", and ' +
        're-run the job.',
    );
  }
  return undefined;
}

function explainAuthError(tags: string[], body: unknown): Explanation {
  if (tags.includes('expired_access_token')) {
    return credentials(
      titles.accessTokenExpired,
      'Dropbox says the access token has expired. Short-lived access tokens (the ones starting with "sl.") ' +
        'stop working 4 hours after they are created, so one stored in a secret fails on later runs. Use a ' +
        'refresh token instead: set "refresh-token", "app-key" and "app-secret", and the action gets a fresh ' +
        `access token on every run. ${README_CREDENTIALS}`,
    );
  }
  if (tags.includes('missing_scope')) {
    const scope = safeIdentifier(findField(body, 'required_scope'));
    const named = scope === undefined ? 'a permission (scope)' : `the "${scope}" permission (scope)`;
    return credentials(
      titles.missingScope,
      `The Dropbox app behind the token lacks ${named} that this upload needs. In ${APP_CONSOLE}, open the ` +
        `app, tick ${scope === undefined ? 'the missing scope' : `"${scope}"`} on its Permissions tab and ` +
        'click Submit. Then get a NEW token: existing access and refresh tokens keep the scopes they were ' +
        'issued with, so generate a new access token, or authorize the app again to get a new refresh ' +
        `token, and update the secret. ${README_CREDENTIALS}`,
    );
  }
  if (tags.includes('user_suspended')) {
    return credentials(
      titles.accountSuspended,
      'The Dropbox account the token belongs to is suspended (user_suspended). Sign in at dropbox.com to ' +
        'see why (or ask the team admin to restore the member), or use a token of another account.',
    );
  }
  if (tags.includes('invalid_select_user') || tags.includes('invalid_select_admin')) {
    return credentials(
      titles.teamMemberInvalid,
      'The team member the token acts as is not valid (invalid_select_user): the member may have left the ' +
        'team or been suspended. Use a token authorized by a current member of the team.',
    );
  }
  if (tags.includes('route_access_denied')) {
    return credentials(
      titles.routeAccessDenied,
      'Dropbox does not let this app and token use the upload routes (route_access_denied). Check the ' +
        `app's access type and Permissions tab in ${APP_CONSOLE}, then generate a new token. ${README_CREDENTIALS}`,
    );
  }
  const tag = tags[0] === undefined ? '' : `, ${tags[0]}`;
  return credentials(
    titles.accessTokenInvalid,
    `Dropbox does not accept the access token (HTTP 401${tag}): it was revoked, copied wrongly, or belongs ` +
      `to another app. Generate a new one in ${APP_CONSOLE} (your app → Settings → Generated access token), ` +
      'update the secret, and check it was copied whole, without spaces or line breaks. Better: use ' +
      `"refresh-token" with "app-key" and "app-secret". ${README_CREDENTIALS}`,
  );
}

function explainAccessError(tags: string[]): Explanation {
  if (tags.includes('invalid_account_type')) {
    return credentials(
      titles.accountTypeNotSupported,
      `Dropbox refused the request because the account's plan does not allow it (${tags.join('/')}). Use ` +
        'a token of an account or team whose plan includes this feature.',
    );
  }
  return credentials(
    titles.accessDenied,
    `Dropbox denied access (HTTP 403${tags.length > 0 ? `, ${tags.join('/')}` : ''}): this account or app ` +
      'may not be used this way. Check that the token belongs to the intended account and that the app has ' +
      `the right access type in ${APP_CONSOLE}, then generate a new token. ${README_CREDENTIALS}`,
  );
}

/** 409-style route errors, found anywhere in the nested union. */
function explainRouteError(tags: string[], body: unknown, context: ExplainContext): Explanation | undefined {
  const at = where(context);
  const has = (tag: string): boolean => tags.includes(tag);

  if (has('content_hash_mismatch')) {
    return file(
      titles.corrupted,
      `The bytes Dropbox received for ${at} differ from the ones read from the local file ` +
        '(content_hash_mismatch), so Dropbox refused them. Was the file still being written while it was ' +
        'uploaded? Make sure the step that produces it has finished, then re-run the job.',
    );
  }
  if (has('conflict')) return explainConflict(tagOf(findTagged(body, 'conflict')?.conflict), context);
  if (has('insufficient_space')) {
    return file(
      titles.outOfSpace,
      `Dropbox has no room for ${at}: the account (or the team's shared space) is full. Free up space in ` +
        'Dropbox or upgrade the plan, then re-run the job.',
    );
  }
  if (has('no_write_permission') || has('access_restricted')) {
    return file(
      titles.noWritePermission,
      `Dropbox does not let this account write to ${at}. The folder may be a shared folder the account can ` +
        'only view, or a team folder where it lacks edit rights. Ask the owner for edit access, or choose ' +
        'another "destination".',
    );
  }
  if (has('disallowed_name')) {
    return file(
      titles.disallowedName,
      `Dropbox does not allow the name of ${at} (it refuses names such as desktop.ini, thumbs.db and ` +
        '.ds_store). Leave the file out with a "!" pattern in "path", e.g. "!**/.DS_Store".',
    );
  }
  if (has('malformed_path')) {
    return file(
      titles.malformedPath,
      `Dropbox says ${at} is not a valid path. Check the "destination" input and the file name for ` +
        'characters Dropbox refuses, rename the file or change "destination", and re-run the job.',
    );
  }
  if (has('team_folder')) {
    return file(
      titles.teamFolder,
      `${capitalise(at)} is a team folder, which an upload cannot replace. Set "destination" to a folder ` +
        'inside the team folder instead.',
    );
  }
  if (has('too_large')) {
    return file(
      titles.fileTooLarge,
      `${capitalise(at)} is larger than Dropbox allows for one file (2,199,019,061,248 bytes, about 2 TiB; ` +
        'older limit 350 GB). Split it, e.g. into a multi-part archive, and upload the parts.',
    );
  }
  if (has('encryption_not_supported')) {
    return file(
      titles.encryptedFolder,
      `${capitalise(at)} is in an encrypted Dropbox folder, which the API cannot upload to. Choose a ` +
        '"destination" outside encrypted folders.',
    );
  }
  if (has('locked')) {
    return file(
      titles.fileLocked,
      `${capitalise(at)} is locked in Dropbox (someone locked it for editing). Ask them to unlock it, or ` +
        'upload to another path, then re-run the job.',
    );
  }
  if (has('incorrect_offset')) {
    const correct = findField(body, 'correct_offset');
    const known = typeof correct === 'number' ? `; Dropbox has ${correct} bytes` : '';
    return file(
      titles.sessionOutOfSync,
      `Dropbox and the action disagree on how much of ${at} was already sent (incorrect_offset${known}). ` +
        'Re-run the job; if it happens again, please open an issue with this log.',
    );
  }
  const inUploadSession = has('lookup_failed') || !(has('path') || has('path_lookup'));
  if (has('not_found') && inUploadSession) {
    return file(
      titles.sessionExpired,
      `Dropbox no longer knows the upload session of ${at} (not_found): sessions expire after 7 days, or ` +
        'the session was already finished. Re-run the job to upload the file again.',
    );
  }
  if (has('not_found') || has('not_folder') || has('not_file')) {
    return file(
      titles.pathNotFound,
      `Dropbox found no folder or file where it expected one for ${at} (${tags.join('/')}). Check ` +
        '"destination" and that nothing in Dropbox was moved during the upload, then re-run the job.',
    );
  }
  const sessionTag = tags.find(
    (tag) => ['closed', 'not_closed'].includes(tag) || tag.startsWith('concurrent_'),
  );
  if (sessionTag !== undefined) {
    return file(
      titles.sessionRefused,
      `Dropbox refused the upload session of ${at} (${sessionTag}). This points to a bug in the action: ` +
        're-run the job, and if it happens again, please open an issue with this log.',
    );
  }
  return undefined;
}

function explainConflict(kind: string | undefined, context: ExplainContext): Explanation {
  const at = where(context);
  if (kind === 'folder') {
    return file(
      titles.folderInTheWay,
      `A folder already exists in Dropbox at ${at}, so the file cannot be written there; no "if-exists" ` +
        'setting replaces a folder. Delete or rename that folder in Dropbox, or set "destination" to another ' +
        'folder.',
    );
  }
  if (kind === 'file_ancestor') {
    return file(
      titles.fileInTheWay,
      `A file exists in Dropbox where a folder above ${at} should be, so the path cannot be created. Delete ` +
        'or rename that file in Dropbox, or set "destination" to another folder.',
    );
  }
  const choices =
    'To replace it, set "if-exists: overwrite"; to keep both, "if-exists: rename" (Dropbox adds a number ' +
    'to the new name); to leave it as it is and go on, "if-exists: skip".';
  switch (context.ifExists) {
    case 'overwrite':
      return file(
        titles.fileExists,
        `Dropbox refused to overwrite ${at} (conflict): the file changed in Dropbox while it was being ` +
          'replaced, most likely by another upload to the same path. Make sure only one job uploads there at a ' +
          'time, then re-run the job.',
      );
    case 'rename':
      return file(
        titles.fileExists,
        `${capitalise(at)} already exists in Dropbox and Dropbox could not pick a new name next to it for ` +
          '"if-exists: rename". Clean up the renamed copies in that folder, or choose another ' +
          '"if-exists" mode. ' +
          choices,
      );
    case 'skip':
      return file(
        titles.fileExists,
        `${capitalise(at)} already exists in Dropbox, so with "if-exists: skip" it was left as it is. ` +
          choices,
      );
    default:
      return file(
        titles.fileExists,
        `${capitalise(at)} already exists in Dropbox${context.ifExists === 'fail' ? ' and "if-exists" is "fail"' : ''}. ` +
          choices,
      );
  }
}

function explainGeneric(status: number, tags: string[], body: unknown, context: ExplainContext): Explanation {
  let detail = '';
  if (tags.length > 0) detail = ` (${tags.join('/')})`;
  else if (typeof body === 'string' && body.trim() !== '')
    detail = `: "${clip(redactSecrets(body.trim()), 200)}"`;
  return file(
    titles.requestFailed,
    `Dropbox answered HTTP ${status} for ${where(context)}${detail}. Re-run the job; if it fails again, ` +
      `look the error up in the README's "Troubleshooting" section or open an issue with this message.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Network, local and unknown failures

function explainUnreachable(code: string, context: ExplainContext): Explanation {
  return file(
    titles.unreachable,
    `The connection to Dropbox failed while ${doing(context)} (${code}) on every attempt, so the ` +
      "retries are exhausted. Check the runner's network, proxy and firewall (api.dropboxapi.com and " +
      `content.dropboxapi.com must be reachable on port 443) and ${STATUS_PAGE}, then re-run the job. ` +
      'Raising "max-attempts" rides out short network trouble.',
  );
}

const LOCAL_FILE_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'EBUSY', 'EIO', 'EMFILE']);

function localFileError(error: unknown): { code: string; path: string } | undefined {
  if (error instanceof LocalReadError) {
    const code =
      isRecord(error.cause) && typeof error.cause.code === 'string' ? error.cause.code : 'read failed';
    return { code: safeIdentifier(code) ?? 'read failed', path: error.localPath };
  }
  if (!isRecord(error)) return undefined;
  const { code, path, syscall } = error;
  if (typeof code !== 'string' || typeof path !== 'string' || typeof syscall !== 'string') return undefined;
  return LOCAL_FILE_CODES.has(code) ? { code, path } : undefined;
}

function isOutOfMemory(error: unknown): boolean {
  if (!isRecord(error)) return false;
  if (error.code === 'ENOMEM' || error.code === 'ERR_MEMORY_ALLOCATION_FAILED') return true;
  return error instanceof RangeError && /allocation failed|out of memory/i.test(error.message);
}

function describeUnknown(error: unknown): string {
  if (error instanceof Error) return clip(redactSecrets(`${error.name}: ${error.message}`), 200);
  if (typeof error === 'string') return clip(redactSecrets(error), 200);
  return 'an unknown error';
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Only identifier-like values (scopes, tags) are echoed; anything else could be arbitrary text. */
function safeIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(value) ? value : undefined;
}

/**
 * Removes what could be a credential from text Dropbox (or a library) wrote: URLs (the token URL carries
 * the refresh token and app secret), Authorization values, key=value secrets and long token-like runs.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, '(URL hidden)')
    .replace(/\b(Bearer|Basic)\s+[^\s"'<>]+/gi, '$1 (hidden)')
    .replace(
      /\b(access_token|refresh_token|client_secret|client_id|code_verifier|authorization)(\s*[=:]\s*)[^\s"'&,;]+/gi,
      '$1$2(hidden)',
    )
    .replace(/[A-Za-z0-9_\-.~+=]{20,}/g, (run) =>
      /[0-9]/.test(run) && /[A-Za-z]/.test(run) ? '(hidden)' : run,
    );
}

function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length <= max ? single : `${single.slice(0, max)}…`;
}

function quotePath(p: string): string {
  return `"${p}"`;
}

function where(context: ExplainContext): string {
  return context.dropboxPath === undefined ? 'the file' : quotePath(context.dropboxPath);
}

/** What the failed request was doing, as in "failed while …". */
function doing(context: ExplainContext): string {
  switch (context.action) {
    case 'list':
      return `listing ${context.dropboxPath ? quotePath(context.dropboxPath) : 'the Dropbox folder'}`;
    case 'share':
      return `creating a shared link for ${where(context)}`;
    case 'team-space-lookup':
      return "looking up the account's team space";
    default:
      return `uploading ${where(context)}`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function file(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'file' };
}

function credentials(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'credentials' };
}
