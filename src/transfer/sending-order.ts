/**
 * The order the transfer sends a plan in (bigger files first, then plan order), and hashing the first
 * requests' bytes ahead of it while the run still waits on the network.
 */
import { budgetsFor } from './budgets.ts';
import { requestRanges, type ByteRange } from './chunks.ts';
import { DigestStore, hashAhead } from './file-digests.ts';
import type { PlannedFile } from '../model.ts';

/** Bigger files first, so they do not form the tail of the run; within a size, in plan order. */
export function rankOf(file: PlannedFile): number {
  return -file.size;
}

/** The plan's indexes in the order its files are sent (an index array, not an object per file). */
export function sendingOrder(plan: readonly PlannedFile[]): Uint32Array {
  const order = new Uint32Array(plan.length);
  for (let index = 0; index < order.length; index += 1) order[index] = index;
  const sizeAt = (index: number): number => (plan[index] as PlannedFile).size;
  return order.sort((a, b) => sizeAt(b) - sizeAt(a) || a - b);
}

/** The byte ranges of the first `count` requests the transfer sends: the ones worth hashing ahead. */
export function firstRanges(
  plan: readonly PlannedFile[],
  chunkSizeBytes: number,
  count: number,
): { file: PlannedFile; range: ByteRange }[] {
  const ranges: { file: PlannedFile; range: ByteRange }[] = [];
  for (const index of sendingOrder(plan)) {
    const file = plan[index] as PlannedFile;
    for (const range of requestRanges(file.size, chunkSizeBytes)) {
      if (ranges.length === count) return ranges;
      ranges.push({ file, range });
    }
  }
  return ranges;
}

/**
 * Starts hashing what the transfer will send first, while the run still waits on the network (token,
 * listing): those requests can then all go at once. The transfer takes the returned store.
 */
export function startHashingAhead(
  plan: readonly PlannedFile[],
  options: { chunkSizeBytes: number; concurrency: number },
  signal: AbortSignal,
): DigestStore {
  const budgets = budgetsFor(options.concurrency);
  const digests = new DigestStore(budgets.keptFileBytes);
  void hashAhead(firstRanges(plan, options.chunkSizeBytes, budgets.requests), digests, signal);
  return digests;
}
