/**
 * One pace for every request of a run, as rclone's pacer keeps one per remote. When Dropbox asks to slow
 * down (a 429, or a 503 with Retry-After), every request waits out the same window, and the log says so
 * once for the window, not once per request. The width (requests in flight at once) adapts: it grows
 * while Dropbox answers and halves when it asks to slow down (additive increase, multiplicative
 * decrease). After `maxWindows` windows in a row with no request answered in between, Dropbox is
 * refusing the run, not pacing it: the pacer refuses every request from then on, so such a run ends in
 * about `maxWindows` × the wait, however many requests are waiting.
 */
import { retryDelayMs, sleep as sleepFor, type BackoffPolicy, type FailureFacts } from './retry.ts';

export interface PacerOptions {
  /** Slow-down windows in a row, with no request answered in between, after which the pacer refuses. */
  maxWindows: number;
  /** The wait when Dropbox gives no Retry-After, by the window's place in the streak. */
  backoff: BackoffPolicy;
  /** Gets one line per window (and one when the pacer refuses). */
  log?: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** An attempt on its way, as the pacer saw it leave. */
export interface Departure {
  /** Windows opened before it went: a slow-down answer opens a new window only if none opened since. */
  readonly window: number;
  /** Attempts in flight once it went, itself included: what Dropbox was refusing, if it refuses it. */
  readonly inFlight: number;
}

/**
 * After a slow-down, the width stays below the number in flight that Dropbox refused, and tries one more
 * only after this many rounds of answers (rounds of `width` answers) without another slow-down: each
 * slow-down stops the whole run for its Retry-After (at least 1 s), which costs more than a wider round
 * gains (a round is one latency, about 40 ms on the bench network).
 */
export const PROBE_ROUNDS = 32;

export class Pacer {
  readonly #options: PacerOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** No request goes before this instant. */
  #resumeAt = 0;
  #windowsOpened = 0;
  /** Windows opened in a row with no request answered in between. */
  #streak = 0;
  #refusal: { error: unknown; windows: number } | undefined;
  #inFlight = 0;
  #width = Number.POSITIVE_INFINITY;
  #maxWidth = Number.POSITIVE_INFINITY;
  /** The widest the width may grow: one less than what Dropbox last refused. */
  #ceiling = Number.POSITIVE_INFINITY;
  /** Until the first slow-down the width grows by one per answer (doubling per round), after it by one per round. */
  #slowStart = true;
  /** Answers at the ceiling since it last moved. */
  #answersAtCeiling = 0;

  constructor(options: PacerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleepFor;
  }

  /** Dropbox refused `maxWindows` windows in a row: every request now fails with the last refusal. */
  get refused(): boolean {
    return this.#refusal !== undefined;
  }

  /** The answer that made the pacer refuse, and the windows in a row before it, once it refuses. */
  get refusal(): { readonly error: unknown; readonly windows: number } | undefined {
    return this.#refusal;
  }

  /** Windows opened so far in the run. */
  get windows(): number {
    return this.#windowsOpened;
  }

  /** Requests that may be in flight at once now (whole; at least 1). Unbounded until setWidth. */
  get width(): number {
    return Math.max(1, Math.floor(this.#width));
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** True while a window is open (or the pacer refuses): an attempt about to go must wait instead. */
  get mustWait(): boolean {
    return this.#refusal !== undefined || this.#now() < this.#resumeAt;
  }

  /** Where the width starts and how far it may grow; a ceiling learned before (a slow-down) still holds. */
  setWidth(initial: number, max: number): void {
    this.#maxWidth = max;
    this.#ceiling = Math.min(this.#ceiling, max);
    this.#width = Math.max(1, Math.min(initial, this.#ceiling));
  }

  /** Resolves once no window is open; rejects with the last refusal once the pacer refuses. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.#refusal !== undefined) throw this.#refusal.error;
      const wait = this.#resumeAt - this.#now();
      if (wait <= 0) return;
      await this.#sleep(wait, signal);
    }
  }

  /** An attempt goes now. Pair with exactly one of answered, failed or slowedDown. */
  depart(): Departure {
    this.#inFlight += 1;
    return { window: this.#windowsOpened, inFlight: this.#inFlight };
  }

  /** Dropbox answered the attempt: the streak ends, and the width grows if it was all in use. */
  answered(_departure: Departure): void {
    const busy = this.#inFlight;
    this.#inFlight -= 1;
    this.#streak = 0;
    // Fewer in flight than the width: the answer says nothing about a wider one.
    if (busy < Math.floor(this.#width)) return;
    if (this.#width >= this.#ceiling) {
      this.#answersAtCeiling += 1;
      if (this.#answersAtCeiling < PROBE_ROUNDS * this.#ceiling || this.#ceiling >= this.#maxWidth) return;
      this.#ceiling += 1;
      this.#answersAtCeiling = 0;
    }
    const grown = this.#slowStart ? this.#width + 1 : this.#width + 1 / Math.floor(this.#width);
    this.#width = Math.min(grown, this.#ceiling, this.#maxWidth);
  }

  /** The attempt failed in a way that says nothing about the pace (a network error, a conflict). */
  failed(_departure: Departure): void {
    this.#inFlight -= 1;
  }

  /**
   * Dropbox asked to slow down (`facts`, described by `why`). The first such answer to an attempt sent
   * after the last window opened opens a new one; the others (sent before it, with it) join it.
   */
  slowedDown(departure: Departure, facts: FailureFacts, why: string, error: unknown): void {
    this.#inFlight -= 1;
    const now = this.#now();
    if (departure.window !== this.#windowsOpened || this.#refusal !== undefined) {
      // Part of the burst that opened the current window: its wait is that window's.
      const wait = retryDelayMs(Math.max(1, this.#streak), facts, this.#options.backoff);
      this.#resumeAt = Math.max(this.#resumeAt, now + wait);
      // Refused with fewer in flight than the answer that opened the window: that is nearer the limit.
      if (departure.window === this.#windowsOpened - 1 && Number.isFinite(this.#width))
        this.#ceiling = Math.max(this.#width, Math.min(this.#ceiling, departure.inFlight - 1));
      return;
    }
    const wait = retryDelayMs(this.#streak + 1, facts, this.#options.backoff);
    this.#windowsOpened += 1;
    this.#streak += 1;
    if (this.#streak >= this.#options.maxWindows) {
      this.#refusal = { error, windows: this.#streak };
      this.#options.log?.(
        `Dropbox asked to slow down ${this.#streak} time(s) in a row (${why}) and answered nothing in ` +
          'between: no more requests are sent.',
      );
      return;
    }
    this.#resumeAt = Math.max(this.#resumeAt, now + wait);
    this.#narrow(departure.inFlight);
    const then = Number.isFinite(this.#width) ? `, then at most ${this.width} at once` : '';
    this.#options.log?.(
      `Dropbox asked to slow down (${why}): every request waits ${(wait / 1000).toFixed(1)} s${then}.`,
    );
  }

  /**
   * Multiplicative decrease: half the width. It grows back by one per round, but not past what was in
   * flight when Dropbox refused (less one) until PROBE_ROUNDS rounds pass without another slow-down.
   */
  #narrow(refusedInFlight: number): void {
    this.#slowStart = false;
    this.#answersAtCeiling = 0;
    if (!Number.isFinite(this.#width)) return;
    this.#width = Math.max(1, Math.floor(this.#width / 2));
    this.#ceiling = Math.min(this.#maxWidth, Math.max(this.#width, refusedInFlight - 1));
  }
}
