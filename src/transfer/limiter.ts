import { abortReason } from '../cancellation.ts';

export interface LimiterRunOptions {
  /** Lower ranks start first; equal ranks start in arrival order. Default 0. */
  rank?: number;
  /** A task still waiting when this aborts never starts: its run() rejects with the abort reason. */
  signal?: AbortSignal;
}

interface Waiter {
  rank: number;
  arrival: number;
  start: () => void;
}

/**
 * A counting semaphore: at most `capacity` tasks run at once. Waiters start by rank, then in arrival
 * order, so the transfer can put commits and big files ahead without starving anything that is
 * already running. A slot is held only while a task runs, never while it waits.
 */
export class Limiter {
  private readonly capacity: number;
  private running = 0;
  private arrivals = 0;
  private readonly waiting: Waiter[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
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
    if (this.running < this.capacity && this.waiting.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        rank,
        arrival: this.arrivals++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.insert(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
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

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running -= 1;
  }
}
