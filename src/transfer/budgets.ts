/**
 * Every budget one `concurrency` input becomes, in one place. The multipliers were chosen on
 * `npm run bench` (2 vCPU runner, fake Dropbox at 40 ms latency); the figures are in the comments.
 */

export interface Budgets {
  /** Requests in flight at once: uploads, commits and lookups share it, so memory stays at concurrency × chunk. */
  requests: number;
  /**
   * Ranges hashed or in flight: a range is hashed while it waits for a request slot, so a freed slot
   * sends at once. 2× lets the next round hash while this one sends; bench B went from 1.46× to 1.21×
   * of its physical bound with hashing ahead of the slot, and 3× added nothing but memory.
   */
  lookahead: number;
  /**
   * Files in their upload stage at once (hashing, deciding, sending): 2× the requests keeps every slot
   * busy while other files hash or wait for a lookup; bench A (1,000 × 8 KiB) runs at 7.3× its
   * concurrency-1 time with it.
   */
  filesInProgress: number;
  /**
   * Ranges hashed at once. Hashing is CPU work on the main thread: two keep the disk busy while one
   * hashes, on the 2 vCPUs of a GitHub-hosted runner; more only competes with sending.
   */
  hashing: number;
  /** Shared links made at once: small requests, one per uploaded file, like uploads. */
  sharedLinks: number;
}

export function budgetsFor(concurrency: number): Budgets {
  return {
    requests: concurrency,
    lookahead: 2 * concurrency,
    filesInProgress: Math.max(2, 2 * concurrency),
    hashing: 2,
    sharedLinks: concurrency,
  };
}
