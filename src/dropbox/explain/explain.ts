/**
 * Turns a Dropbox, network or local failure into an Explanation: a stable title, what is wrong and
 * exactly how to fix it, and whether the whole run or one file is affected. The rows live in tables
 * (route-errors, auth-errors, token-errors); this module picks the table for the failure.
 *
 * Decisions are made on HTTP status and on the `.tag`s of the error union (never on `error_summary`,
 * whose suffix varies). Messages never quote tokens, secrets, Authorization headers or request URLs:
 * the SDK puts refresh_token and client_secret in the token URL's query string.
 */
import type { Explanation } from '../../model.ts';
import { collectTags, httpFailureOf, isRecord, retryAfterSeconds, type HttpFailure } from '../error-body.ts';
import { TokenAnswerError } from '../credentials.ts';
import { ContentHashMismatchError, LocalReadError } from '../errors.ts';
import { explainConnectionFailure } from './connection-errors.ts';
import { clip, describeUnknown, redactSecrets, safeIdentifier } from '../redact.ts';
import { networkFailure } from '../retry.ts';
import {
  ACCESS_RULES,
  accessDenied,
  AUTH_RULES,
  explainTextBody,
  invalidToken,
  PATH_ROOT_RULES,
} from './auth-errors.ts';
import { explainByRules, ROUTE_RULES, type Failure } from './route-errors.ts';
import { titles } from './titles.ts';
import { explainCodeExchange, explainTokenEndpoint, oauthError } from './token-errors.ts';
import { capitalise, doing, type ExplainContext, file, quotePath, run, STATUS_PAGE, where } from './words.ts';

export { explainConflict } from './route-errors.ts';
export { explanationTitles, titles, type ExplanationTitle } from './titles.ts';
export type { ExplainContext } from './words.ts';

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
  const connection = explainConnectionFailure(error);
  if (connection !== undefined) return connection;
  if (error instanceof TokenAnswerError) {
    return run(
      titles.tokenAnswerMalformed,
      `Dropbox's token endpoint answered the token refresh with ${error.detail} on every attempt, not with ` +
        'an access token. Something between the runner and Dropbox answers in its place: a captive portal, or ' +
        "a proxy that rewrites answers. Check the runner's network and proxy settings and " +
        `${STATUS_PAGE}, then re-run the job. See the README's "Self-hosted runners" section.`,
    );
  }

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
      `The runner ran out of memory while ${doing(context)}. Memory use grows with "chunk-size" × ` +
        '"concurrency": lower "chunk-size" (e.g. to 8) or "concurrency", and re-run the job.',
    );
  }
  return file(
    titles.requestFailed,
    `${capitalise(doing(context))} failed: ${describeUnknown(error)}. Re-run the job; if it fails again, look ` +
      `the message up in the README's "Troubleshooting" section or open an issue with it.`,
  );
}

/** What an HTTP status says on its own, before any tag is read. */
function explainByStatus(
  http: HttpFailure,
  failure: Failure,
  context: ExplainContext,
): Explanation | undefined {
  const { status } = http;
  if (status >= 500) {
    if (context.grant === 'authorization_code') {
      return file(
        titles.serverFailing,
        `Dropbox returned HTTP ${status} to the access-code exchange. This is a problem on Dropbox's side: ` +
          `check ${STATUS_PAGE}, then open the authorize URL again for a new code (a code works once) and ` +
          'run the helper again.',
      );
    }
    return file(
      titles.serverFailing,
      `Dropbox returned HTTP ${status} while ${doing(context)} on every attempt, so the retries are ` +
        `exhausted. This is a problem on Dropbox's side: check ${STATUS_PAGE} and re-run the job later.` +
        (context.action === 'account-lookup' ? '' : ' Raising "max-attempts" rides out short outages.'),
    );
  }
  if (status === 413 || failure.tags.includes('payload_too_large')) {
    return file(
      titles.requestTooLarge,
      `A request uploading ${where(context)} was larger than Dropbox accepts: each upload request must stay ` +
        'under 150 MiB. Lower "chunk-size" (MiB, a multiple of 4 up to 148; e.g. 16) and re-run the job.',
    );
  }
  if (
    status === 429 ||
    failure.tags.includes('too_many_requests') ||
    failure.tags.includes('too_many_write_operations')
  ) {
    const retryAfter = retryAfterSeconds(http.headers, http.body);
    const busy = failure.tags.includes('too_many_write_operations')
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
  return undefined;
}

function explainHttpFailure(http: HttpFailure, context: ExplainContext): Explanation {
  const failure: Failure = { status: http.status, tags: collectTags(http.body), body: http.body };
  if (http.status >= 500) return explainByStatus(http, failure, context) as Explanation;

  const oauth = oauthError(http.body);
  if (oauth !== undefined) {
    return context.grant === 'authorization_code'
      ? explainCodeExchange(oauth, http.status)
      : explainTokenEndpoint(oauth, http.status);
  }
  if (typeof http.body === 'string') {
    const fromText = explainTextBody(http.body, http.status, context);
    if (fromText !== undefined) return fromText;
  }
  if (http.status === 401) return explainByRules(AUTH_RULES, failure, context) ?? invalidToken(failure);
  if (http.status === 422) {
    const pathRoot = explainByRules(PATH_ROOT_RULES, failure, context);
    if (pathRoot !== undefined) return pathRoot;
  }
  if (http.status === 403) return explainByRules(ACCESS_RULES, failure, context) ?? accessDenied(failure);
  return (
    explainByStatus(http, failure, context) ??
    explainByRules(ROUTE_RULES, failure, context) ??
    explainGeneric(failure, context)
  );
}

function explainGeneric(failure: Failure, context: ExplainContext): Explanation {
  const { status, tags, body } = failure;
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
      isRecord(error.cause) && typeof error.cause['code'] === 'string' ? error.cause['code'] : 'read failed';
    return { code: safeIdentifier(code) ?? 'read failed', path: error.localPath };
  }
  if (!isRecord(error)) return undefined;
  const { code, path, syscall } = error;
  if (typeof code !== 'string' || typeof path !== 'string' || typeof syscall !== 'string') return undefined;
  return LOCAL_FILE_CODES.has(code) ? { code, path } : undefined;
}

function isOutOfMemory(error: unknown): boolean {
  if (!isRecord(error)) return false;
  if (error['code'] === 'ENOMEM' || error['code'] === 'ERR_MEMORY_ALLOCATION_FAILED') return true;
  return error instanceof RangeError && /allocation failed|out of memory/i.test(error.message);
}
