import { DropboxResponseError } from 'dropbox';
import { collectTags } from '../../../../src/dropbox/error-body.ts';
import { ProxyRefusedError } from '../../../../src/dropbox/connection-failure.ts';
import { TokenAnswerError } from '../../../../src/dropbox/credentials.ts';
import { ContentHashMismatchError, LocalReadError } from '../../../../src/dropbox/errors.ts';
import type { ExplainContext } from '../../../../src/dropbox/explain/explain.ts';
import type { Explanation } from '../../../../src/model.ts';
import { explainSkipUnchangedListing } from '../../../../src/backups/skip-unchanged.ts';
import { explainPruneFailures } from '../../../../src/backups/prune.ts';
import {
  explainCancelled,
  explainDropboxError,
  explainSharedLinkError,
  explanationTitles,
  titles,
} from '../../../../src/dropbox/explain/explain.ts';

const ACCESS_TOKEN = 'sl.u.AbCdEf0123456789-_GhIjKlMnOpQrStUvWxYz0123456789abcdefABCDEF';
const REFRESH_TOKEN = 'Rt0123456789abcdefGHIJKLmnopqrstUVWXYZ01234567';
const APP_SECRET = 'zx9secret8app7q';
const APP_KEY = 'k3y4pp0123abcde';

/** A DropboxResponseError as the SDK builds it: fetch Headers and the parsed JSON (or text) body. */
function response(status: number, body: unknown, headers: Record<string, string> = {}): unknown {
  const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  return new DropboxResponseError(status, new Headers({ 'content-type': contentType, ...headers }), body);
}

function networkError(code: string): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`read ${code}`), { code, syscall: 'read' }),
  });
}

const PATH = '/Backups/site/résumé ü.pdf';

interface Row {
  name: string;
  error: unknown;
  context?: ExplainContext;
  title: string;
  scope: Explanation['scope'];
  /** Fragments the message must contain: what is wrong and how to fix it. */
  says: (string | RegExp)[];
  /** The explainer under test, when not explainDropboxError. */
  explain?: (error: unknown, context: ExplainContext) => Explanation;
}

const rows: Row[] = [
  // ---- 401 AuthError
  {
    name: '401 expired_access_token',
    error: response(401, {
      error_summary: 'expired_access_token/.',
      error: { '.tag': 'expired_access_token' },
    }),
    title: 'Dropbox access token expired',
    scope: 'credentials',
    says: ['4 hours', '"refresh-token", "app-key" and "app-secret"', `README's "Credentials"`],
  },
  {
    name: '401 invalid_access_token',
    error: response(401, {
      error_summary: 'invalid_access_token/..',
      error: { '.tag': 'invalid_access_token' },
    }),
    title: 'Dropbox access token invalid',
    scope: 'credentials',
    says: ['App Console', 'Generate a new one', 'without spaces or line breaks'],
  },
  {
    name: '400 text: token malformed',
    error: response(
      400,
      'Error in call to API function "files/upload": The given OAuth 2 access token is malformed.',
    ),
    title: 'Dropbox access token invalid',
    scope: 'credentials',
    says: ['malformed', 'App Console', 'one line without spaces'],
  },
  {
    name: '400 text: invalid authorization value (quotes the header)',
    error: response(
      400,
      `Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS_TOKEN}".  Expecting "Bearer <oauth2-access-token>".`,
    ),
    title: 'Dropbox access token invalid',
    scope: 'credentials',
    says: ['Authorization header is invalid', 'Generate a new access token'],
  },
  {
    name: '400 text: no Authorization header',
    error: response(
      400,
      'Error in call to API function "files/create_folder_v2": Must provide HTTP header "Authorization" or URL parameter "authorization".',
    ),
    title: 'Dropbox access token invalid',
    scope: 'credentials',
    says: ['Generate a new access token'],
  },
  {
    name: '401 missing_scope',
    error: response(401, {
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'files.content.write' },
    }),
    title: 'Dropbox app is missing a permission',
    scope: 'credentials',
    says: [
      '"files.content.write"',
      'Permissions tab',
      'Submit',
      'NEW token',
      'keep the scopes',
      'authorize the app again',
    ],
  },
  {
    name: '401 user_suspended',
    error: response(401, { error_summary: 'user_suspended/', error: { '.tag': 'user_suspended' } }),
    title: 'Dropbox account suspended',
    scope: 'credentials',
    says: ['suspended', 'another account'],
  },
  {
    name: '401 invalid_select_user',
    error: response(401, { error_summary: 'invalid_select_user/', error: { '.tag': 'invalid_select_user' } }),
    title: 'Dropbox team member not valid',
    scope: 'credentials',
    says: ['left the team'],
  },
  {
    name: '401 route_access_denied',
    error: response(401, { error_summary: 'route_access_denied/', error: { '.tag': 'route_access_denied' } }),
    title: 'Dropbox app may not use this endpoint',
    scope: 'credentials',
    says: ['Permissions tab', 'new token'],
  },
  {
    name: '401 with an unknown tag',
    error: response(401, { error_summary: 'something_new/', error: { '.tag': 'something_new' } }),
    title: 'Dropbox access token invalid',
    scope: 'credentials',
    says: ['HTTP 401, something_new'],
  },
  // ---- token endpoint
  {
    name: '400 invalid_grant (revoked)',
    error: response(400, {
      error: 'invalid_grant',
      error_description: 'refresh token is invalid or revoked',
    }),
    title: 'Dropbox refresh token rejected',
    scope: 'credentials',
    says: ['refresh token is invalid or revoked', 'revoked', 'different app', 'authorization flow again'],
  },
  {
    name: '400 invalid_grant (malformed)',
    error: response(400, { error: 'invalid_grant', error_description: 'refresh token is malformed' }),
    title: 'Dropbox refresh token rejected',
    scope: 'credentials',
    says: ['malformed'],
  },
  {
    name: '400 invalid_client',
    error: response(400, { error: 'invalid_client: Invalid client_id or client_secret' }),
    title: 'Dropbox app key or secret rejected',
    scope: 'credentials',
    says: ['"app-key" and "app-secret"', 'Settings tab', 'PKCE'],
  },
  {
    name: '400 unsupported_grant_type',
    error: response(400, { error: 'unsupported_grant_type' }),
    title: 'Dropbox token request failed',
    scope: 'credentials',
    says: ['unsupported_grant_type'],
  },
  // ---- team tokens, 403
  {
    name: '400 text: team token without a member',
    error: response(
      400,
      'Error in call to API function "files/list_folder": This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team.  Since your API app key has team member file access permissions, you can operate on a team member\'s Dropbox by providing the "Dropbox-API-Select-User" HTTP header or "select_user" URL parameter to specify the exact user <https://www.dropbox.com/developers/documentation/http/teams>.',
    ),
    title: 'Dropbox team token needs a member',
    scope: 'credentials',
    says: ['Dropbox-API-Select-User', 'Set "select-user"', 'dbmid:', '"namespace: team"', 'user-linked app'],
  },
  {
    name: '403 invalid_account_type',
    error: response(403, {
      error_summary: 'invalid_account_type/feature/..',
      error: { '.tag': 'invalid_account_type', invalid_account_type: { '.tag': 'feature' } },
    }),
    title: 'Dropbox account type not supported',
    scope: 'credentials',
    says: ['invalid_account_type/feature', 'plan'],
  },
  {
    name: '403 no_permission',
    error: response(403, {
      error_summary: 'no_permission/..',
      error: { '.tag': 'no_permission', no_permission: { '.tag': 'unauthorized_account_id_usage' } },
    }),
    title: 'Dropbox access denied',
    scope: 'credentials',
    says: ['HTTP 403, no_permission/unauthorized_account_id_usage'],
  },
  // ---- 409 conflicts
  {
    name: '409 conflict (files/upload) under if-exists fail',
    error: response(409, {
      error_summary: 'path/conflict/file/..',
      error: {
        '.tag': 'path',
        reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } },
        upload_session_id: 'x',
      },
    }),
    context: { dropboxPath: PATH, ifExists: 'fail' },
    title: 'File already exists in Dropbox',
    scope: 'file',
    says: [PATH, '"if-exists" is "fail"', 'if-exists: overwrite', 'if-exists: rename', 'if-exists: skip'],
  },
  {
    name: '409 conflict (finish) under if-exists overwrite',
    error: response(409, {
      error_summary: 'path/conflict/file/..',
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
    }),
    context: { dropboxPath: PATH, ifExists: 'overwrite' },
    title: 'File already exists in Dropbox',
    scope: 'file',
    says: [PATH, 'refused to overwrite', 'another upload'],
  },
  {
    name: '409 conflict under if-exists rename',
    error: response(409, {
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
    }),
    context: { dropboxPath: PATH, ifExists: 'rename' },
    title: 'File already exists in Dropbox',
    scope: 'file',
    says: ['could not pick a new name'],
  },
  {
    name: '409 conflict under if-exists skip',
    error: response(409, {
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
    }),
    context: { dropboxPath: PATH, ifExists: 'skip' },
    title: 'File already exists in Dropbox',
    scope: 'file',
    says: ['left as it is'],
  },
  {
    name: '409 conflict with a folder',
    error: response(409, {
      error_summary: 'path/conflict/folder/..',
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } },
    }),
    context: { dropboxPath: PATH, ifExists: 'overwrite' },
    title: 'Folder in the way in Dropbox',
    scope: 'file',
    says: [PATH, 'A folder already exists', 'Delete or rename that folder'],
  },
  {
    name: '409 conflict with a file where a folder should be',
    error: response(409, {
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file_ancestor' } } },
    }),
    context: { dropboxPath: PATH },
    title: 'File in the way in Dropbox',
    scope: 'file',
    says: ['where a folder above'],
  },
  // ---- 409 other write errors
  {
    name: '409 insufficient_space (files/upload)',
    error: response(409, {
      error_summary: 'path/insufficient_space/',
      error: {
        '.tag': 'path',
        reason: { '.tag': 'insufficient_space' },
        upload_session_id: 'pid_upload_session:ABIKTyOk',
      },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox is out of space',
    scope: 'run',
    says: [PATH, 'Free up space'],
  },
  {
    name: '409 insufficient_space (finish)',
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'insufficient_space' } } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox is out of space',
    scope: 'run',
    says: ['full'],
  },
  {
    name: '409 no_write_permission',
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'no_write_permission' } } }),
    context: { dropboxPath: PATH },
    title: 'No write permission in Dropbox',
    scope: 'file',
    says: [PATH, 'shared folder', 'team folder', 'edit access'],
  },
  {
    name: '409 disallowed_name',
    error: response(409, {
      error: { '.tag': 'path', reason: { '.tag': 'disallowed_name' }, upload_session_id: 'x' },
    }),
    context: { dropboxPath: '/d/desktop.ini' },
    title: 'Name not allowed by Dropbox',
    scope: 'file',
    says: ['"/d/desktop.ini"', 'thumbs.db', '"!" pattern'],
  },
  {
    name: '409 malformed_path',
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'malformed_path' } } }),
    context: { dropboxPath: PATH },
    title: 'Malformed Dropbox path',
    scope: 'file',
    says: [PATH, '"destination"'],
  },
  {
    name: '400 text: path did not match pattern',
    error: response(
      400,
      "Error in call to API function \"files/upload\": request body: path: '%2Fphotos' did not match pattern '(/(.|[\\r\\n])*)?|(ns:[0-9]+(/.*)?)'",
    ),
    context: { dropboxPath: PATH },
    title: 'Malformed Dropbox path',
    scope: 'file',
    says: [PATH],
  },
  {
    name: '409 team_folder',
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'team_folder' } } }),
    context: { dropboxPath: '/Team Docs' },
    title: 'Dropbox team folder cannot be replaced',
    scope: 'file',
    says: ['inside the team folder'],
  },
  {
    name: '409 too_many_write_operations (finish)',
    error: response(409, {
      error_summary: 'too_many_write_operations/..',
      error: { '.tag': 'too_many_write_operations' },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox rate limit',
    scope: 'file',
    says: ['too_many_write_operations', 'Lower "concurrency"'],
  },
  // ---- sizes and sessions
  {
    name: '409 payload_too_large',
    error: response(409, { error_summary: 'payload_too_large/', error: { '.tag': 'payload_too_large' } }),
    context: { dropboxPath: PATH },
    title: 'Request too large for Dropbox',
    scope: 'file',
    says: ['150 MiB', 'Lower "chunk-size"'],
  },
  {
    name: '413 with an HTML body',
    error: response(413, '<html><head><title>413 Request Entity Too Large</title></head></html>'),
    context: { dropboxPath: PATH },
    title: 'Request too large for Dropbox',
    scope: 'file',
    says: ['150 MiB', 'chunk-size'],
  },
  {
    name: '409 too_large (finish lookup_failed)',
    error: response(409, { error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'too_large' } } }),
    context: { dropboxPath: PATH },
    title: 'File too large for Dropbox',
    scope: 'file',
    says: ['2 TiB', 'Split it'],
  },
  {
    name: '409 content_hash_mismatch (append)',
    error: response(409, {
      error_summary: 'content_hash_mismatch/',
      error: { '.tag': 'content_hash_mismatch' },
    }),
    context: { dropboxPath: PATH },
    title: 'Upload corrupted in transit',
    scope: 'file',
    says: [PATH, 'still being written'],
  },
  {
    name: 'ContentHashMismatchError after commit',
    error: new ContentHashMismatchError(PATH, 'a'.repeat(64), 'b'.repeat(64)),
    title: 'Upload corrupted in transit',
    scope: 'file',
    says: [PATH, 'a'.repeat(64), 'b'.repeat(64), 'still being written'],
  },
  {
    name: '409 lookup_failed/not_found (session expired)',
    error: response(409, {
      error_summary: 'lookup_failed/not_found/',
      error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox upload session expired',
    scope: 'file',
    says: ['7 days', 'Re-run'],
  },
  {
    name: '409 not_found at top level (append)',
    error: response(409, { error_summary: 'not_found/', error: { '.tag': 'not_found' } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox upload session expired',
    scope: 'file',
    says: ['7 days'],
  },
  {
    name: '409 lookup_failed/incorrect_offset',
    error: response(409, {
      error_summary: 'lookup_failed/incorrect_offset/..',
      error: {
        '.tag': 'lookup_failed',
        lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 12556930 },
      },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox upload out of sync',
    scope: 'file',
    says: ['12556930 bytes', 'open an issue'],
  },
  {
    name: '409 concurrent_session_invalid_offset',
    error: response(409, { error: { '.tag': 'concurrent_session_invalid_offset' } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox upload session refused',
    scope: 'file',
    says: ['concurrent_session_invalid_offset', 'bug'],
  },
  {
    name: '409 path/not_found (get_metadata)',
    error: response(409, {
      error_summary: 'path/not_found/..',
      error: { '.tag': 'path', path: { '.tag': 'not_found' } },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox path not found',
    scope: 'file',
    says: ['path/not_found'],
  },
  {
    name: '409 locked',
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'locked' } } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox file is locked',
    scope: 'file',
    says: ['unlock'],
  },
  {
    name: '409 encryption_not_supported',
    error: response(409, { error: { '.tag': 'encryption_not_supported' } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox encrypted folder not supported',
    scope: 'file',
    says: ['encrypted'],
  },
  // ---- rate limits, server, network
  {
    name: '429 too_many_requests with retry_after',
    error: response(
      429,
      {
        error_summary: 'too_many_requests/..',
        error: { reason: { '.tag': 'too_many_requests' }, retry_after: 15 },
      },
      { 'retry-after': '15' },
    ),
    context: { dropboxPath: PATH },
    title: 'Dropbox rate limit',
    scope: 'file',
    says: ['too_many_requests', '15 s', '"max-attempts"'],
  },
  {
    name: '429 plain text with Retry-After header',
    error: response(429, 'Too many requests', { 'retry-after': '30' }),
    context: { dropboxPath: PATH },
    title: 'Dropbox rate limit',
    scope: 'file',
    says: ['30 s'],
  },
  {
    name: '500 with an empty body',
    error: response(500, ''),
    context: { dropboxPath: PATH },
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['HTTP 500', 'https://status.dropbox.com', 'retries are exhausted', 're-run'],
  },
  {
    name: '503 on the token endpoint',
    error: response(503, {
      error: 'The server has either erred or is incapable of performing the requested operation.',
    }),
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['HTTP 503', 'https://status.dropbox.com'],
  },
  {
    name: '503 to the access-code exchange (authorize helper): a new code, no max-attempts',
    error: response(503, ''),
    context: { grant: 'authorization_code' },
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['HTTP 503', 'access-code exchange', 'a new code', 'https://status.dropbox.com'],
  },
  {
    name: '503 while reading the account (authorize helper)',
    error: response(503, ''),
    context: { action: 'account-lookup' },
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['HTTP 503', 'reading the account the new token belongs to', 'retries are exhausted'],
  },
  {
    name: 'network: ECONNRESET',
    error: networkError('ECONNRESET'),
    context: { dropboxPath: PATH },
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['ECONNRESET', 'retries are exhausted', 'firewall'],
  },
  {
    name: 'network: ECONNREFUSED',
    error: networkError('ECONNREFUSED'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['ECONNREFUSED'],
  },
  {
    name: 'network: undici socket error',
    error: networkError('UND_ERR_SOCKET'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['UND_ERR_SOCKET'],
  },
  {
    name: 'network: ETIMEDOUT',
    error: networkError('ETIMEDOUT'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['ETIMEDOUT'],
  },
  {
    name: 'network: fetch failed without a code',
    error: new TypeError('fetch failed'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['connection failed'],
  },
  {
    name: 'timeout: AbortSignal.timeout',
    error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['timeout'],
  },
  {
    // Only an abort signal makes an AbortError, and ours stop requests on purpose: not the network.
    name: 'an AbortError is not a network failure',
    error: Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
    title: 'Dropbox request failed',
    scope: 'file',
    says: ['AbortError'],
  },
  {
    name: 'network: ENOTFOUND (DNS)',
    error: networkError('ENOTFOUND'),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['ENOTFOUND'],
  },
  {
    name: 'network: ECONNRESET under an ERR_-coded wrapper',
    error: Object.assign(new Error('request failed', { cause: networkError('ECONNRESET') }), {
      code: 'ERR_X',
    }),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['(ECONNRESET)'],
  },
  {
    name: 'network: while listing the destination',
    error: networkError('ECONNRESET'),
    context: { dropboxPath: '/Backups/site', action: 'list' },
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['failed while listing "/Backups/site" (ECONNRESET)'],
  },
  {
    name: 'network: while listing the root',
    error: networkError('ECONNRESET'),
    context: { dropboxPath: '', action: 'list' },
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['failed while listing the Dropbox folder (ECONNRESET)'],
  },
  {
    name: 'network: while looking up the team space',
    error: networkError('EAI_AGAIN'),
    context: { action: 'team-space-lookup' },
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ["failed while looking up the account's team space (EAI_AGAIN)"],
  },
  {
    name: '408 Request Timeout',
    error: response(408, ''),
    title: 'Could not reach Dropbox',
    scope: 'file',
    says: ['408'],
  },
  // ---- local and unknown
  {
    name: 'LocalReadError',
    error: new LocalReadError(
      '/w/dist/a.txt',
      Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' }),
    ),
    title: 'Could not read local file',
    scope: 'file',
    says: ['"/w/dist/a.txt"', 'ENOENT'],
  },
  {
    name: 'a bare fs error',
    error: Object.assign(new Error('EACCES: permission denied'), {
      code: 'EACCES',
      syscall: 'open',
      path: '/w/x',
    }),
    context: { dropboxPath: '/d/x' },
    title: 'Could not read local file',
    scope: 'file',
    says: ['"/w/x"', 'EACCES', '"/d/x"'],
  },
  {
    name: 'out of memory',
    error: new RangeError('Array buffer allocation failed'),
    title: 'Runner out of memory',
    scope: 'file',
    says: ['"chunk-size"', '"concurrency"'],
  },
  // ---- 422 PathRootError (the namespace input)
  {
    name: '422 invalid_root',
    error: response(422, {
      error_summary: 'invalid_root/..',
      error: {
        '.tag': 'invalid_root',
        invalid_root: {
          '.tag': 'team',
          root_namespace_id: '3235641',
          home_namespace_id: '3235642',
          home_path: '/Ada',
        },
      },
    }),
    context: { dropboxPath: PATH },
    title: 'Dropbox team space root changed',
    scope: 'credentials',
    says: ['invalid_root', 'now 3235641', 'namespace: team', 'Re-run'],
  },
  {
    name: '422 no_permission',
    error: response(422, { error_summary: 'no_permission/.', error: { '.tag': 'no_permission' } }),
    title: 'Dropbox namespace not accessible',
    scope: 'credentials',
    says: ['"namespace"', 'no_permission', '"team"', '"home"', '"select-user"', 'App-folder'],
  },
  {
    name: '422 anything else',
    error: response(422, { error: { '.tag': 'other' } }),
    context: { dropboxPath: PATH },
    title: 'Dropbox request failed',
    scope: 'file',
    says: [`HTTP 422 for "${PATH}" (other)`],
  },
  // ---- the authorize helper's code exchange
  {
    name: 'code exchange: invalid_grant, expired',
    error: response(400, { error: 'invalid_grant', error_description: "code doesn't exist or has expired" }),
    context: { grant: 'authorization_code' },
    title: 'Dropbox access code expired',
    scope: 'credentials',
    says: ["code doesn't exist or has expired", 'a few minutes', 'only once', 'authorize URL again'],
  },
  {
    name: 'code exchange: invalid_grant, already used',
    error: response(400, { error: 'invalid_grant', error_description: 'code has already been used' }),
    context: { grant: 'authorization_code' },
    title: 'Dropbox access code already used',
    scope: 'credentials',
    says: ['already used', 'only once', 'authorize URL again'],
  },
  {
    name: 'code exchange: invalid_client',
    error: response(400, { error: 'invalid_client: Invalid client_id or client_secret' }),
    context: { grant: 'authorization_code' },
    title: 'Dropbox app key or secret rejected',
    scope: 'credentials',
    says: ['you entered', 'Settings tab', 'PKCE', 'leave the secret empty'],
  },
  {
    name: 'code exchange: a PKCE verifier mismatch',
    error: response(400, { error: 'invalid_grant', error_description: 'invalid code verifier' }),
    context: { grant: 'authorization_code' },
    title: 'Dropbox token request failed',
    scope: 'credentials',
    says: ['exchange the access code', 'invalid code verifier'],
  },
  // ---- shared links (explainSharedLinkError)
  {
    name: 'shared link: missing sharing.write',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: response(401, {
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'sharing.write' },
    }),
    title: 'Dropbox app is missing a permission',
    scope: 'credentials',
    says: ['the files themselves were uploaded', '"sharing.write"', 'Permissions tab'],
  },
  {
    name: 'shared link: email_not_verified',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: response(409, { error: { '.tag': 'email_not_verified' } }),
    title: 'Dropbox shared link not created',
    scope: 'file',
    says: [`"${PATH}" was uploaded`, 'email_not_verified', 'verify'],
  },
  {
    name: 'shared link: access_denied',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: response(409, { error: { '.tag': 'access_denied' } }),
    title: 'Dropbox shared link not created',
    scope: 'file',
    says: ['access_denied', 'team admin'],
  },
  {
    name: 'shared link: the file is gone',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: response(409, { error: { '.tag': 'path', path: { '.tag': 'not_found' } } }),
    title: 'Dropbox shared link not created',
    scope: 'file',
    says: ['moved or deleted'],
  },
  {
    name: 'shared link: an unexplained local error',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: new Error('listed none'),
    title: 'Dropbox shared link not created',
    scope: 'file',
    says: ['could not be made', 'listed none'],
  },
  {
    name: 'shared link: Dropbox failing keeps its own title',
    explain: (error) => explainSharedLinkError(error, PATH),
    error: response(503, ''),
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['HTTP 503'],
  },
  {
    name: '400 anything else, text',
    error: response(
      400,
      'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": could not decode input as JSON',
    ),
    title: 'Dropbox request failed',
    scope: 'file',
    says: [
      'HTTP 400 for the file: "Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg"',
    ],
  },
  {
    name: 'a duck-typed response error (another copy of the SDK)',
    error: {
      status: 409,
      headers: {},
      error: { error: { '.tag': 'path', path: { '.tag': 'insufficient_space' } } },
    },
    title: 'Dropbox is out of space',
    scope: 'run',
    says: ['the file'],
  },
  {
    name: 'an unknown error',
    error: new Error('something odd'),
    title: 'Dropbox request failed',
    scope: 'file',
    says: ['Error: something odd'],
  },
  {
    name: 'a thrown non-error',
    error: 42,
    title: 'Dropbox request failed',
    scope: 'file',
    says: ['an unknown error'],
  },
  // ---- a cancelled workflow run (SIGINT/SIGTERM)
  {
    name: 'the run was cancelled before every file was committed',
    explain: () => explainCancelled(),
    error: undefined,
    title: 'Upload cancelled',
    scope: 'file',
    says: ['SIGINT or SIGTERM', 'did not arrive', 'Re-run the job'],
  },
  // ---- scheduled backups: the skip-unchanged listing and keep-last retention
  {
    name: 'skip-unchanged listing without files.metadata.read: a warning, the files still go',
    explain: explainSkipUnchangedListing,
    context: { dropboxPath: '/backups/site' },
    error: response(401, {
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'files.metadata.read' },
    }),
    title: 'skip-unchanged needs a permission',
    scope: 'file',
    says: ['every file is sent', 'tick "files.metadata.read"', 'NEW token', '"skip-unchanged: false"'],
  },
  {
    name: 'skip-unchanged listing failing otherwise: the usual explanation',
    explain: explainSkipUnchangedListing,
    error: response(503, ''),
    title: 'Dropbox is failing (5XX)',
    scope: 'file',
    says: ['status.dropbox.com'],
  },
  {
    name: 'retention could not delete an old folder',
    explain: (error) =>
      explainPruneFailures(
        [
          { path: '/backups/site-2026-11-01T02-00-00Z', explanation: explainDropboxError(error, {}) },
          { path: '/backups/site-2026-11-02T02-00-00Z', explanation: explainDropboxError(error, {}) },
        ],
        5,
      ),
    error: response(409, {
      error: { '.tag': 'path_lookup', path_lookup: { '.tag': 'no_write_permission' } },
    }),
    title: 'Old backups not deleted (retention)',
    scope: 'file',
    says: [
      '2 of 5 old folder(s) could not be deleted; the files of this run did arrive.',
      '/backups/site-2026-11-01T02-00-00Z: ',
      '(1 more listed in the log.)',
      'The next run tries again.',
    ],
  },
  // ---- Connections that cannot work, and a token answer that is not one
  {
    name: 'a certificate no authority Node.js knows signed',
    error: new TypeError('fetch failed', {
      cause: Object.assign(new Error('unable to get local issuer certificate'), {
        code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      }),
    }),
    title: 'TLS certificate not trusted',
    scope: 'run',
    says: ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'NODE_EXTRA_CA_CERTS', 'Retrying cannot fix this'],
  },
  {
    name: 'a proxy that wants credentials',
    error: new TypeError('fetch failed', {
      cause: new ProxyRefusedError('http://proxy.corp:3128 (HTTPS_PROXY)', 407),
    }),
    title: 'Proxy authentication failed',
    scope: 'run',
    says: ['http://proxy.corp:3128 (HTTPS_PROXY)', '407', 'USER:PASSWORD@'],
  },
  {
    name: 'a proxy that refuses the tunnel',
    error: new TypeError('fetch failed', {
      cause: new ProxyRefusedError('http://proxy.corp:3128 (HTTPS_PROXY)', 403),
    }),
    title: 'Proxy connection failed',
    scope: 'run',
    says: ['refused to open a connection to Dropbox', 'NO_PROXY'],
  },
  {
    name: 'a token answer that is not a token',
    error: new TokenAnswerError('an HTML page (text/html, 1234 bytes)'),
    title: 'Dropbox token answer not understood',
    scope: 'run',
    says: ['an HTML page (text/html, 1234 bytes)', 'captive portal'],
  },
];

describe('explainDropboxError', () => {
  test.each(rows)('$name → $title', ({ error, context, title, scope, says, explain }) => {
    const explanation = (explain ?? explainDropboxError)(error, context ?? {});
    expect(explanation.title).toBe(title);
    expect(explanation.scope).toBe(scope);
    for (const fragment of says) {
      if (typeof fragment === 'string') expect(explanation.message).toContain(fragment);
      else expect(explanation.message).toMatch(fragment);
    }
  });

  test('every title in the table is a listed title', () => {
    for (const row of rows) expect(explanationTitles).toContain(row.title);
  });

  test('titles are unique, and every one is produced by some row', () => {
    expect(new Set(explanationTitles).size).toBe(explanationTitles.length);
    const produced = new Set(rows.map((row) => row.title));
    expect(explanationTitles.filter((title) => !produced.has(title))).toEqual([]);
    expect(Object.values(titles)).toEqual(explanationTitles);
  });

  test('a context-free file message still reads well', () => {
    const explanation = explainDropboxError(
      response(409, { error: { '.tag': 'path', path: { '.tag': 'no_write_permission' } } }),
      {},
    );
    expect(explanation.message).toMatch(/^Dropbox does not let this account write to the file\./);
  });

  test.each<[string, ExplainContext]>([
    ['the access-code exchange', { grant: 'authorization_code' }],
    ['the account lookup', { action: 'account-lookup' }],
  ])('a 5XX to %s speaks of no file and of no max-attempts the helper does not have', (_what, context) => {
    const { message } = explainDropboxError(response(503, ''), context);
    expect(message).not.toContain('the file');
    expect(message).not.toContain('max-attempts');
  });
});

describe('no message leaks a credential', () => {
  const secrets = [ACCESS_TOKEN, REFRESH_TOKEN, APP_SECRET, APP_KEY];
  const tokenUrl =
    `https://api.dropboxapi.com/oauth2/token?grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}` +
    `&client_id=${APP_KEY}&client_secret=${APP_SECRET}`;

  const leaky: [string, unknown][] = [
    [
      '400 text quoting the Authorization header',
      response(
        400,
        `Error in call to API function "files/upload": Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS_TOKEN}".`,
      ),
    ],
    [
      '400 unrecognised text quoting a bearer token',
      response(400, `Something new: Bearer ${ACCESS_TOKEN} refused`),
    ],
    ['400 unrecognised text quoting the token URL', response(400, `Bad request to ${tokenUrl}`)],
    ['400 unrecognised text with a bare token', response(400, `token ${ACCESS_TOKEN} is odd`)],
    [
      '400 unrecognised text with key=value secrets',
      response(400, `client_secret=${APP_SECRET}&client_id=${APP_KEY}`),
    ],
    [
      'invalid_grant whose description quotes the token',
      response(400, {
        error: 'invalid_grant',
        error_description: `refresh token ${REFRESH_TOKEN} is revoked`,
      }),
    ],
    [
      'token request failure with the secret in the description',
      response(400, { error: 'invalid_request', error_description: `client_secret: ${APP_SECRET}` }),
    ],
    [
      'response headers carrying an Authorization value',
      new DropboxResponseError(
        418,
        new Headers({ authorization: `Bearer ${ACCESS_TOKEN}`, 'x-url': tokenUrl }),
        { error: { '.tag': 'teapot' } },
      ),
    ],
    ['an error whose message holds the token URL', new TypeError(`Failed to parse URL from ${tokenUrl}`)],
    [
      'a network error whose cause names the URL',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error(`connect ECONNREFUSED ${tokenUrl}`), { code: 'ECONNREFUSED' }),
      }),
    ],
    ['a thrown string with a token', `Bearer ${ACCESS_TOKEN}`],
  ];

  test.each(leaky)('%s', (_name, error) => {
    const explanation = explainDropboxError(error, { dropboxPath: '/d/a.txt' });
    for (const secret of secrets) {
      expect(explanation.message).not.toContain(secret);
      expect(explanation.title).not.toContain(secret);
    }
    expect(explanation.message).not.toMatch(/https:\/\/api\.dropboxapi\.com\/oauth2/);
  });
});

describe('collectTags', () => {
  test.each<[unknown, string[]]>([
    [
      { error: { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } } } },
      ['path', 'conflict', 'file'],
    ],
    [{ error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 } }, ['too_many_requests']],
    ['text', []],
    [null, []],
  ])('%j', (body, expected) => {
    expect(collectTags(body)).toEqual(expected);
  });
});
