import type { Readable } from 'node:stream';
import { Dropbox } from 'dropbox';
import type { TokenSource } from './credentials.ts';
import { abortReason } from '../cancellation.ts';
import { ProgressWatchdog, RequestStalledError } from './request-timeout.ts';
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
  /** True once an earlier attempt may have reached Dropbox without its answer reaching us. */
  outcomeUnknown: boolean;
  /**
   * Pass to the SDK call (`{ signal: context.signal }`). Aborts this attempt on cancellation, when the
   * run stops, or after `requestTimeoutMs` without progress (then it is retried like a network
   * failure). The attempt is abandoned then even if the request ignores it, but only a request given
   * it stops its fetch and frees the connection.
   */
  signal: AbortSignal;
  /** Wrap a streamed request body with this, so that sending it counts as progress. */
  watch: (body: Readable | Uint8Array) => Readable | Uint8Array;
}

export interface CallOptions {
  /**
   * Runs each attempt, e.g. in a slot of the concurrency budget. The waits between attempts happen
   * outside it, so a request backing off does not hold a slot that others could use.
   */
  gate?: <R>(attempt: () => Promise<R>) => Promise<R>;
  /** Aborts this call, on top of the client's own signal (e.g. when the file's other requests failed). */
  signal?: AbortSignal;
}

export interface DropboxApiOptions {
  maxAttempts: number;
  backoff?: BackoffPolicy;
  /** Aborts every request and the waits between attempts: cancellation, or a run stopped for credentials. */
  signal?: AbortSignal;
  /** An attempt that makes no progress (no body bytes sent, no answer) for this long is aborted and retried. */
  requestTimeoutMs?: number;
  /** Called before each retry; gets a line fit for the log (no secrets). */
  onRetry?: (line: string) => void;
  /** `Dropbox-API-Path-Root` (a JSON PathRoot) on every API request: which namespace paths start in. */
  pathRoot?: string;
  /** `Dropbox-API-Select-User`: the team member (`dbmid:…`) a team token acts as. */
  selectUser?: string;
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

  constructor(tokens: TokenSource, options: DropboxApiOptions) {
    this.tokens = tokens;
    this.options = options;
    this.sdk = new Dropbox({
      auth: tokens.clientAuth,
      fetch: streamingFetch,
      ...(options.pathRoot === undefined ? {} : { pathRoot: options.pathRoot }),
      ...(options.selectUser === undefined ? {} : { selectUser: options.selectUser }),
    });
  }

  /** Attempts per request; the commit batcher applies the same to entries Dropbox refuses for a passing reason. */
  get maxAttempts(): number {
    return this.options.maxAttempts;
  }

  get backoff(): BackoffPolicy {
    return this.options.backoff ?? defaultBackoff;
  }

  /** The client's own signal (cancellation, a stopped run), for waits a caller makes between calls. */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /**
   * The namespace and team-member headers the SDK puts on every request (`Dropbox-API-Path-Root`,
   * `Dropbox-API-Select-User`), for requests this project makes with fetch itself (streamed downloads).
   */
  get commonHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.options.pathRoot !== undefined) headers['Dropbox-API-Path-Root'] = this.options.pathRoot;
    if (this.options.selectUser !== undefined) headers['Dropbox-API-Select-User'] = this.options.selectUser;
    return headers;
  }

  /**
   * Runs `request` until it succeeds, fails for good, or runs out of attempts. `request` gets the
   * attempt context so that it can reconcile after an answer that was lost (an upload session's
   * `correct_offset`, or a commit that did land); whatever it throws is judged here.
   */
  async call<T>(
    label: string,
    request: (context: AttemptContext) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const signal = anySignal(this.options.signal, options.signal);
    let outcomeUnknown = false;
    let renewals = 0;
    for (let attempt = 1; ;) {
      signal?.throwIfAborted();
      let tokenUsed: string | undefined;
      const once = async (): Promise<T> => {
        signal?.throwIfAborted();
        const watchdog = new ProgressWatchdog(this.options.requestTimeoutMs, signal);
        try {
          // Inside the attempt: a token endpoint that answers 5XX, or stalls, is retried like any request.
          await untilAborted(this.tokens.ensureFresh(watchdog.signal), watchdog.signal);
          tokenUsed = this.tokens.currentToken();
          watchdog.touch();
          // Abandoned when the watchdog fires even if `request` ignores its signal, so that no request
          // can outlast request-timeout or cancellation.
          return await untilAborted(
            request({ outcomeUnknown, signal: watchdog.signal, watch: (body) => watchdog.watch(body) }),
            watchdog.signal,
          );
        } finally {
          watchdog.stop();
        }
      };
      try {
        return await (options.gate ? options.gate(once) : once());
      } catch (error) {
        signal?.throwIfAborted();
        const facts = failureFacts(error);
        if (isExpiredToken(facts) && renewals < MAX_RENEWALS_PER_CALL) {
          renewals += 1;
          if (await this.tokens.renewAfterExpiry(tokenUsed)) continue;
        }
        if (!isTransient(facts) || attempt >= this.options.maxAttempts) throw error;
        if (facts.network) outcomeUnknown = true;
        const delay = retryDelayMs(attempt, facts, this.backoff);
        const why = error instanceof RequestStalledError ? error.message : describeFailure(facts);
        this.options.onRetry?.(
          `${label}: ${why}; retry ${attempt} of ${this.options.maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s`,
        );
        await sleep(delay, signal);
        attempt += 1;
      }
    }
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const given = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return given.length > 1 ? AbortSignal.any(given) : given[0];
}

/** Waits for `work`, or rejects as soon as `signal` aborts (the work itself cannot be aborted). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

export function describeFailure(facts: FailureFacts): string {
  if (facts.network) return 'network error';
  if (facts.malformedAnswer === true) return 'malformed token answer';
  const tag =
    facts.tags.find((t) => t !== 'path' && t !== 'lookup_failed' && t !== 'reason') ?? facts.tags[0];
  return tag === undefined ? `HTTP ${facts.status}` : `HTTP ${facts.status} ${tag}`;
}
