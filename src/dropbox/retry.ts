import { isPermanentConnectionFailure } from './connection-failure.ts';
import { TokenAnswerError } from './credentials.ts';
import { collectTags, findField, httpFailureOf, isRecord, retryAfterSeconds } from './error-body.ts';

/** Anything the SDK or fetch can throw for one request, seen through the fields retry decisions need. */
export interface FailureFacts {
  /** HTTP status, or undefined when no response came (reset, refused, timeout). */
  status?: number;
  /** Every `.tag` in the error body, outermost first, plus a `reason` tag of 429 bodies. */
  tags: string[];
  /** Seconds from a `Retry-After` header or a JSON `retry_after`, when given. */
  retryAfterSeconds?: number;
  /** The `correct_offset` Dropbox reported for an upload session, when it did. */
  correctOffset?: number;
  /** A network-level failure: the request may or may not have reached Dropbox. */
  network: boolean;
  /** The token endpoint answered with something that is not a token (a captive portal, a rewriting proxy). */
  malformedAnswer?: boolean;
}

/**
 * Error codes of a failed connection: the request may or may not have reached Dropbox, and another
 * attempt may well get through. ENOTFOUND is a DNS answer, which on CI runners is as often a passing
 * resolver hiccup as a wrong host (ours are fixed), so it is retried too; EPROTO is a TLS failure
 * (often a proxy) that the retries ride out when it passes and that the explanation names when not.
 * `UND_ERR_*` are undici's (fetch's) socket, connect and header/body timeout failures.
 */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPROTO',
]);

/**
 * Timeouts: `TimeoutError` is fetch's `AbortSignal.timeout` and our own RequestStalledError (the
 * request-timeout watchdog); the others are undici's. `AbortError` is deliberately not one: only an
 * abort signal makes it, and ours carry a reason (cancellation, a stopped run), so an AbortError means
 * the request was stopped on purpose; it must be neither retried nor explained as the network.
 */
const TIMEOUT_NAMES = new Set([
  'TimeoutError',
  'ConnectTimeoutError',
  'HeadersTimeoutError',
  'BodyTimeoutError',
]);

/** How fetch (undici) words a connection that failed or dropped, on a TypeError with the cause under it. */
const FETCH_FAILED = /fetch failed|terminated|other side closed/i;

/**
 * The one reading of "the network failed": the error, or an error in its `cause` chain, is a failed
 * connection. Returns its code (the first network code in the chain, e.g. `ECONNRESET` under an
 * `ERR_*`-coded wrapper), else `timeout`, else `connection failed`; undefined when it is not a network
 * failure (an HTTP answer, a local error, a bug, or an abort). retry.ts retries exactly these and
 * explain.ts explains exactly these as "Could not reach Dropbox", so the two never disagree.
 * Duck-typed rather than instanceof: fetch's errors may come from another realm (a test VM, a bundle).
 */
export function networkFailure(error: unknown): string | undefined {
  // A certificate or a proxy refusal fails every attempt alike: not a passing network failure.
  if (httpFailureOf(error) !== undefined || isPermanentConnectionFailure(error)) return undefined;
  let timedOut = false;
  let fetchFailed = false;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth += 1) {
    const { code, name, message } = current;
    if (name === 'AbortError') return undefined;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return code;
    if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) timedOut = true;
    if (name === 'TypeError' && typeof message === 'string' && FETCH_FAILED.test(message)) fetchFailed = true;
    current = current.cause;
  }
  if (timedOut) return 'timeout';
  return fetchFailed ? 'connection failed' : undefined;
}

export function isNetworkError(error: unknown): boolean {
  return networkFailure(error) !== undefined;
}

export function failureFacts(error: unknown): FailureFacts {
  const http = httpFailureOf(error);
  if (http !== undefined) {
    const correctOffset = findField(http.body, 'correct_offset');
    return {
      status: http.status,
      tags: collectTags(http.body),
      retryAfterSeconds: retryAfterSeconds(http.headers, http.body),
      correctOffset: Number.isInteger(correctOffset) ? (correctOffset as number) : undefined,
      network: false,
    };
  }
  if (error instanceof TokenAnswerError) return { tags: [], network: false, malformedAnswer: true };
  return { tags: [], network: isNetworkError(error) };
}

/** Transient: 5XX, 408, 429, write-lock contention (also as a 409), network failures and a garbled token answer. */
export function isTransient(facts: FailureFacts): boolean {
  if (facts.network || facts.malformedAnswer === true) return true;
  if (facts.status === undefined) return false;
  if (facts.status >= 500 || facts.status === 408 || facts.status === 429) return true;
  return facts.tags.includes('too_many_write_operations') || facts.tags.includes('internal_error');
}

/**
 * Dropbox asks the client to slow down: a 429 (a rate limit, or namespace lock contention), or a 503 that
 * says how long to wait. The whole run waits that out together (pacer.ts), not each request on its own.
 */
export function isSlowDown(facts: FailureFacts): boolean {
  return facts.status === 429 || (facts.status === 503 && facts.retryAfterSeconds !== undefined);
}

export function isExpiredToken(facts: FailureFacts): boolean {
  return facts.status === 401 && facts.tags.includes('expired_access_token');
}

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const defaultBackoff: BackoffPolicy = { baseDelayMs: 500, maxDelayMs: 20_000, random: Math.random };

/**
 * Delay before retry number `attempt` (1 = the first retry): Retry-After when Dropbox gives it,
 * otherwise exponential backoff with full jitter over the upper half, so parallel requests that
 * failed together do not all come back at the same instant.
 */
export function retryDelayMs(attempt: number, facts: FailureFacts, policy: BackoffPolicy): number {
  if (facts.retryAfterSeconds !== undefined) return Math.min(facts.retryAfterSeconds * 1000, 300_000);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
