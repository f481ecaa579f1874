import { abortReason } from '../cancellation.ts';
import { whenAborted } from '../dropbox/abort-signals.ts';

export interface LimiterRunOptions {
  /** Lower ranks start first; equal ranks start in arrival order. Default 0. */
  rank?: number;
  /** A task still waiting when this aborts never starts: its run() rejects with the abort reason. */
  signal?: AbortSignal;
}

/** The rank of what goes before everything else: commits, and attempts after a first one failed. */
export const RANK_FIRST = Number.NEGATIVE_INFINITY;

interface Waiter {
  rank: number;
  arrival: number;
  start: () => void;
}

/**
 * A counting semaphore: at most `capacity` tasks run at once. Waiters start by rank, then in arrival
 * order, so the transfer can put commits and big files ahead without starving anything that is
 * already running. A slot is held only while a task runs, never while it waits.
 *
 * The capacity may be a function, read whenever a slot could be taken (the pacer's width): when it
 * shrinks, running tasks finish and fewer start; when it grows, the next release starts more.
 */
export class Limiter {
  private readonly capacity: () => number;
  private running = 0;
  private arrivals = 0;
  private readonly waiting: Waiter[] = [];

  constructor(capacity: number | (() => number)) {
    if (typeof capacity === 'number' && (!Number.isInteger(capacity) || capacity < 1))
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = typeof capacity === 'number' ? () => capacity : capacity;
  }

  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>, options: LimiterRunOptions = {}): Promise<T> {
    await this.acquire(options.rank ?? 0, options.signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(rank: number, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.room() && this.waiting.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let forget = (): void => undefined;
      const waiter: Waiter = {
        rank,
        arrival: this.arrivals++,
        start: () => {
          forget();
          this.running += 1;
          resolve();
        },
      };
      this.insert(waiter);
      if (signal !== undefined) {
        forget = whenAborted(signal, () => {
          const index = this.waiting.indexOf(waiter);
          if (index !== -1) this.waiting.splice(index, 1);
          reject(abortReason(signal));
        });
      }
      // The capacity may have grown since the last release.
      this.startWaiters();
    });
  }

  /** Keeps `waiting` sorted by (rank, arrival); a binary search finds the place. */
  private insert(waiter: Waiter): void {
    let low = 0;
    let high = this.waiting.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.waiting[middle];
      if (other === undefined) break;
      if (other.rank < waiter.rank || (other.rank === waiter.rank && other.arrival < waiter.arrival))
        low = middle + 1;
      else high = middle;
    }
    this.waiting.splice(low, 0, waiter);
  }

  private room(): number {
    return Math.max(1, this.capacity());
  }

  private startWaiters(): void {
    while (this.running < this.room()) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      next.start();
    }
  }

  private release(): void {
    this.running -= 1;
    this.startWaiters();
  }
}
