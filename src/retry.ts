import { DropboxResponseError } from 'dropbox';
import { collectTags, findField, retryAfterSeconds } from './dropbox-body.ts';

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
}

const NETWORK_CODES =
  /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|ENETDOWN|EHOSTUNREACH|UND_ERR_)/;

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isNetworkError(error: unknown): boolean {
  if (error instanceof DropboxResponseError) return false;
  // Duck-typed rather than instanceof: fetch's errors may come from another realm (a test VM, a bundle).
  if (error === null || typeof error !== 'object') return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'TimeoutError') return true;
  const code = errorCode(error);
  if (code !== undefined && NETWORK_CODES.test(code)) return true;
  return (
    name === 'TypeError' &&
    typeof message === 'string' &&
    /fetch failed|terminated|other side closed/i.test(message)
  );
}

export function failureFacts(error: unknown): FailureFacts {
  if (error instanceof DropboxResponseError) {
    const body: unknown = error.error;
    const correctOffset = findField(body, 'correct_offset');
    return {
      status: error.status,
      tags: collectTags(body),
      retryAfterSeconds: retryAfterSeconds(error.headers, body),
      correctOffset: Number.isInteger(correctOffset) ? (correctOffset as number) : undefined,
      network: false,
    };
  }
  return { tags: [], network: isNetworkError(error) };
}

/** Transient: 5XX, 408, 429, write-lock contention (also as a 409) and network failures. */
export function isTransient(facts: FailureFacts): boolean {
  if (facts.network) return true;
  if (facts.status === undefined) return false;
  if (facts.status >= 500 || facts.status === 408 || facts.status === 429) return true;
  return facts.tags.includes('too_many_write_operations') || facts.tags.includes('internal_error');
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
