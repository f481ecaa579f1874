import type { Readable } from 'node:stream';
import { Dropbox } from 'dropbox';
import type { TokenSource } from './credentials.ts';
import { abortReason } from '../cancellation.ts';
import { followAbort } from './abort-signals.ts';
import { Pacer, type Departure } from './pacer.ts';
import { ProgressWatchdog, RequestStalledError } from './request-timeout.ts';
import {
  defaultBackoff,
  failureFacts,
  isExpiredToken,
  isSlowDown,
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
  /** Counts as progress now: called for each piece of a streamed answer that arrives. */
  touch: () => void;
}

export interface CallOptions {
  /**
   * Runs each attempt, e.g. in a slot of the concurrency budget. The waits between attempts happen
   * outside it, so a request backing off does not hold a slot that others could use. `retry` is true
   * for every attempt after the first: a gate may let it go first, so that a request Dropbox asked to
   * wait is not asked again and again while newer ones get through.
   */
  gate?: <R>(attempt: () => Promise<R>, retry: boolean) => Promise<R>;
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
  /** The run's pacer; by default one of its own, with `maxAttempts` windows and `backoff`, logging to onRetry. */
  pacer?: Pacer;
}

/** Thrown inside the gate when a slow-down window opened while the attempt waited for its slot: nothing was sent. */
class WindowOpened extends Error {}
const WINDOW_OPENED = new WindowOpened('a slow-down window opened before the attempt went');

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
 * backoff, one pacer for the whole run (a slow-down window every request waits out, and the width
 * of what is in flight), and a transparent token refresh shared by every request in flight.
 */
export class DropboxApi {
  readonly sdk: Dropbox;
  readonly tokens: TokenSource;
  readonly pacer: Pacer;
  private readonly options: DropboxApiOptions;

  constructor(tokens: TokenSource, options: DropboxApiOptions) {
    this.tokens = tokens;
    this.options = options;
    this.pacer =
      options.pacer ??
      new Pacer({
        maxWindows: options.maxAttempts,
        backoff: options.backoff ?? defaultBackoff,
        ...(options.onRetry === undefined ? {} : { log: options.onRetry }),
      });
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
   * `correct_offset`, or a commit that did land); whatever it throws is judged here. An attempt goes
   * only outside the pacer's slow-down windows; a slow-down answer counts as an attempt, and its wait
   * is the window every request shares (logged once for it by the pacer), not one of its own.
   */
  async call<T>(
    label: string,
    request: (context: AttemptContext) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const aborted = new AbortController();
    const unfollow = followAbort(aborted, [this.options.signal, options.signal]);
    try {
      return await this.attempts(label, request, options, aborted.signal);
    } finally {
      unfollow();
    }
  }

  private async attempts<T>(
    label: string,
    request: (context: AttemptContext) => Promise<T>,
    options: CallOptions,
    signal: AbortSignal,
  ): Promise<T> {
    let outcomeUnknown = false;
    let renewals = 0;
    for (let attempt = 1; ;) {
      signal.throwIfAborted();
      await this.pacer.ready(signal);
      let tokenUsed: string | undefined;
      const once = async (): Promise<T> => {
        signal.throwIfAborted();
        // A window that opened while this attempt waited for its slot is waited out before anything goes.
        if (this.pacer.mustWait) throw WINDOW_OPENED;
        const departure = this.pacer.depart();
        const watchdog = new ProgressWatchdog(this.options.requestTimeoutMs);
        const stopped = new AbortController();
        const unfollow = followAbort(stopped, [signal, watchdog.signal]);
        try {
          // Inside the attempt: a token endpoint that answers 5XX, or stalls, is retried like any request.
          await untilAborted(this.tokens.ensureFresh(stopped.signal), stopped.signal);
          tokenUsed = this.tokens.currentToken();
          watchdog.touch();
          // Abandoned when the watchdog fires even if `request` ignores its signal, so that no request
          // can outlast request-timeout or cancellation.
          const value = await untilAborted(
            request({
              outcomeUnknown,
              signal: stopped.signal,
              watch: (body) => watchdog.watch(body),
              touch: () => watchdog.touch(),
            }),
            stopped.signal,
          );
          this.pacer.answered(departure);
          return value;
        } catch (error) {
          this.paceAfter(departure, error);
          throw error;
        } finally {
          watchdog.stop();
          unfollow();
        }
      };
      try {
        return await (options.gate ? options.gate(once, attempt > 1) : once());
      } catch (error) {
        if (error === WINDOW_OPENED) continue;
        signal.throwIfAborted();
        const facts = failureFacts(error);
        if (isExpiredToken(facts) && renewals < MAX_RENEWALS_PER_CALL) {
          renewals += 1;
          if (await this.tokens.renewAfterExpiry(tokenUsed)) continue;
        }
        if (!isTransient(facts) || attempt >= this.options.maxAttempts) throw error;
        if (facts.network) outcomeUnknown = true;
        attempt += 1;
        // Waited out at the top of the loop, with every other request.
        if (isSlowDown(facts)) continue;
        const delay = retryDelayMs(attempt - 1, facts, this.backoff);
        const why = error instanceof RequestStalledError ? error.message : describeFailure(facts);
        this.options.onRetry?.(
          `${label}: ${why}; retry ${attempt - 1} of ${this.options.maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s`,
        );
        await sleep(delay, signal);
      }
    }
  }

  /** Tells the pacer how an attempt ended: a slow-down opens or joins a window; anything else only frees its place. */
  private paceAfter(departure: Departure, error: unknown): void {
    const facts = failureFacts(error);
    if (isSlowDown(facts)) this.pacer.slowedDown(departure, facts, describeFailure(facts), error);
    else this.pacer.failed(departure);
  }
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
