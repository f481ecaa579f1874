/**
 * Every budget one `concurrency` input becomes, in one place. The multipliers were chosen on
 * `npm run bench` (2 vCPU runner, fake Dropbox at 40 ms latency); the figures are in the comments.
 */

/**
 * The most requests the pacer lets out at once (src/dropbox/pacer.ts), whatever `concurrency` is: it
 * widens from `concurrency` while Dropbox answers without 429. Many small files are bound by latency,
 * and a single-request upload holds no file bytes in memory (its body streams from disk, or is the few
 * KiB just hashed), so the width may grow past `concurrency`; big files' chunks stay within it. Bench A
 * (1,000 × 8 KiB, 40 ms latency, 2 vCPU), medians of three runs at each cap: 16: 4.3 s, 32: 3.1 s,
 * 64: 2.8 s, 128: 2.8 s (at 64 the runner's CPU, not the latency, is what is left); before the pacer,
 * at the fixed `concurrency: 8`, 7.5 s on the same machine.
 */
export const MAX_REQUEST_WIDTH = 64;

/** See Budgets.keptFileBytes. */
const KEPT_FILE_BYTES = 64 * 1024;

export interface Budgets {
  /**
   * Requests in flight at the start: uploads, commits and lookups share it. The pacer widens it up to
   * `maxRequests` while Dropbox answers, and narrows it when Dropbox asks to slow down.
   */
  requests: number;
  /** The widest the pacer may go: MAX_REQUEST_WIDTH, or `concurrency` if that is more. */
  maxRequests: number;
  /**
   * Requests that carry a chunk of a big file (one that takes more than one request): `concurrency`, so
   * memory stays at concurrency × chunk-size however wide the pacer goes.
   */
  chunks: number;
  /**
   * Big files' ranges hashed or in flight: a range is hashed while it waits for a request slot, so a
   * freed slot sends at once. 2× lets the next round hash while this one sends; bench B went from 1.46×
   * to 1.21× of its physical bound with hashing ahead of the slot, and 3× added nothing but memory.
   * A small file's one range needs no place here: the files in progress bound those.
   */
  lookahead: number;
  /**
   * Files in their upload stage at once (hashing, deciding, sending): 2× the widest the pacer goes
   * keeps every request slot busy while other files hash or wait for a lookup.
   */
  filesInProgress: number;
  /**
   * Big files among them: 2× `concurrency`, as before the pacer widened small files (bench B and D), so
   * a run of many big files does not open a session for each file at once.
   */
  bigFilesInProgress: number;
  /**
   * Ranges hashed at once. Hashing is CPU work on the main thread: two keep the disk busy while one
   * hashes, on the 2 vCPUs of a GitHub-hosted runner; more only competes with sending.
   */
  hashing: number;
  /** Shared links made at once: small requests, one per uploaded file, like uploads. */
  sharedLinks: number;
  /**
   * A file up to this size is read once, whole, to hash it, and its first request sends those bytes
   * instead of reading the file again: fewer file-system calls per small file (on bench A's tree, the
   * two reads of a file cost more CPU than its request). Held from hashing to the first request, so at
   * most `filesInProgress` × this (8 MiB) is held.
   */
  keptFileBytes: number;
}

export function budgetsFor(concurrency: number): Budgets {
  const maxRequests = Math.max(MAX_REQUEST_WIDTH, concurrency);
  return {
    requests: concurrency,
    maxRequests,
    chunks: concurrency,
    lookahead: 2 * concurrency,
    filesInProgress: 2 * maxRequests,
    bigFilesInProgress: Math.max(2, 2 * concurrency),
    hashing: 2,
    sharedLinks: concurrency,
    keptFileBytes: KEPT_FILE_BYTES,
  };
}
