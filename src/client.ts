import { Dropbox } from 'dropbox';
import type { TokenSource } from './credentials.ts';
import {
  defaultBackoff,
  failureFacts,
  isExpiredToken,
  isTransient,
  retryDelayMs,
  sleep,
  type BackoffPolicy,
  type FailureFacts,
} from './retry.ts';

export interface AttemptContext {
  /** 1 for the first try. */
  attempt: number;
  /** The failure of the previous attempt, when it was transient; undefined on the first try. */
  previousFailure: FailureFacts | undefined;
  /** True once an earlier attempt may have reached Dropbox without its answer reaching us. */
  outcomeUnknown: boolean;
}

export interface DropboxApiOptions {
  maxAttempts: number;
  backoff?: BackoffPolicy;
  /** Aborts waits between attempts, e.g. once a credential problem stops the run. */
  signal?: AbortSignal;
  /** Called before each retry; gets a line fit for the log (no secrets). */
  onRetry?: (line: string) => void;
}

/**
 * Node's fetch keeps a streamed request body in memory until the response, in case a redirect
 * needs it again (nodejs/undici#4058): a 148 MiB chunk would cost 148 MiB more. Dropbox's API does
 * not redirect, so refusing redirects lets the body stream with constant memory. The global fetch is
 * looked up at call time, so whatever fetch the process has (a proxy agent, a test redirect) is used.
 */
export const streamingFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
  globalThis.fetch(input, init?.body ? { ...init, redirect: 'error' } : init);

/** How many times one call may be refused with an expired token and retried after a refresh. */
const MAX_RENEWALS_PER_CALL = 2;

/**
 * The SDK client, plus what the SDK lacks for a CI upload: retries of transient failures with
 * backoff and Retry-After, and a transparent token refresh shared by every request in flight.
 */
export class DropboxApi {
  readonly sdk: Dropbox;
  readonly tokens: TokenSource;
  private readonly options: DropboxApiOptions;
  private retryCount = 0;

  constructor(tokens: TokenSource, options: DropboxApiOptions) {
    this.tokens = tokens;
    this.options = options;
    this.sdk = new Dropbox({ auth: tokens.clientAuth, fetch: streamingFetch });
  }

  get retries(): number {
    return this.retryCount;
  }

  /**
   * Runs `request` until it succeeds, fails for good, or runs out of attempts. `request` gets the
   * attempt context so that it can reconcile after an answer that was lost (an upload session's
   * `correct_offset`, or a commit that did land); whatever it throws is judged here.
   */
  async call<T>(label: string, request: (context: AttemptContext) => Promise<T>): Promise<T> {
    const backoff = this.options.backoff ?? defaultBackoff;
    let previousFailure: FailureFacts | undefined;
    let outcomeUnknown = false;
    let renewals = 0;
    for (let attempt = 1; ;) {
      this.options.signal?.throwIfAborted();
      let tokenUsed: string | undefined;
      try {
        // Inside the try: a token endpoint that answers 5XX is retried like any other request.
        await this.tokens.ensureFresh();
        tokenUsed = this.tokens.currentToken();
        return await request({ attempt, previousFailure, outcomeUnknown });
      } catch (error) {
        this.options.signal?.throwIfAborted();
        const facts = failureFacts(error);
        if (isExpiredToken(facts) && renewals < MAX_RENEWALS_PER_CALL) {
          renewals += 1;
          if (await this.tokens.renewAfterExpiry(tokenUsed)) continue;
        }
        if (!isTransient(facts) || attempt >= this.options.maxAttempts) throw error;
        if (facts.network) outcomeUnknown = true;
        previousFailure = facts;
        const delay = retryDelayMs(attempt, facts, backoff);
        this.retryCount += 1;
        this.options.onRetry?.(
          `${label}: ${describeFailure(facts)}; retry ${attempt} of ${this.options.maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s`,
        );
        await sleep(delay, this.options.signal);
        attempt += 1;
      }
    }
  }
}

export function describeFailure(facts: FailureFacts): string {
  if (facts.network) return 'network error';
  const tag =
    facts.tags.find((t) => t !== 'path' && t !== 'lookup_failed' && t !== 'reason') ?? facts.tags[0];
  return tag === undefined ? `HTTP ${facts.status}` : `HTTP ${facts.status} ${tag}`;
}
