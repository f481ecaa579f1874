import { tagged, writeLockContention, type Json } from './errors.ts';
import { sleep } from './sleep.ts';

/**
 * The namespace write lock behind `too_many_write_operations`: a commit holds it for `lockMs`, and a
 * commit arriving meanwhile is refused rather than queued, as Dropbox does under lock contention.
 * A batch takes it once for all its entries, which is why batching wins.
 */
export class CommitLock {
  readonly #lockMs: number;
  #busyUntil = 0;

  constructor(lockMs: number) {
    this.#lockMs = lockMs;
  }

  tryAcquire(): boolean {
    if (this.#lockMs <= 0) return true;
    const now = Date.now();
    if (now < this.#busyUntil) return false;
    this.#busyUntil = now + this.#lockMs;
    return true;
  }

  /** The holder answers only when its lock time is over: committing takes that long. */
  async heldOut(signal: AbortSignal): Promise<void> {
    const remaining = this.#busyUntil - Date.now();
    if (remaining > 0) await sleep(remaining, signal);
  }
}

/**
 * Runs a batch holding the lock once for all its entries, answering once the lock time is over. Under
 * contention nothing runs and each of the `count` entries fails with too_many_write_operations.
 */
export async function withBatchLock(
  lock: CommitLock,
  signal: AbortSignal,
  count: number,
  work: () => Json[] | Promise<Json[]>,
): Promise<Json[]> {
  if (!lock.tryAcquire()) {
    return Array.from({ length: count }, () => ({
      '.tag': 'failure',
      failure: tagged('too_many_write_operations'),
    }));
  }
  try {
    return await work();
  } finally {
    await lock.heldOut(signal);
  }
}

/** Runs a single commit holding the lock (429 when another commit holds it), answering once the lock time is over. */
export async function withCommitLock<T>(
  lock: CommitLock,
  signal: AbortSignal,
  work: () => T | Promise<T>,
): Promise<T> {
  if (!lock.tryAcquire()) throw writeLockContention();
  try {
    return await work();
  } finally {
    await lock.heldOut(signal);
  }
}
