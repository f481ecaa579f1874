/** How far the JavaScript heap may grow during a run, so that memory follows what the run holds. */
import { setFlagsFromString } from 'node:v8';

const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/**
 * V8 sizes its heap for throughput, not footprint. A run that allocates as fast as a hundred requests in
 * flight do grows the young generation to its largest (two 64 MiB semispaces on a machine with 16 GiB or
 * more), and lets the old generation reach about 4× what survives a full collection before it collects
 * again, so memory grew with the file count at four times what the files cost.
 *
 * The settings are read by V8 at each collection, so setting them while the process runs works; setting
 * them after the heap has grown does not shrink it (100,000 files: 475 MiB when set after the search, and
 * 329 MiB when the old generation was held at 1.5× only from the transfer on), so the upload's doors call
 * boundHeapGrowth as they are loaded (upload-heap.ts), before the bundle and the search grow the heap.
 *
 * Measured through the bundled action (2 vCPU, 40 ms latency): 20,000 small files peaked at 386 MiB RSS
 * with V8's defaults and at 191 MiB bounded; 100,000 at 303 MiB with the old generation at 1.5× against
 * 358 MiB at 2×, for 14% more CPU (94 s against 75 s).
 */
export const HEAP_FLAGS = [
  // The young generation keeps its first size (1 MiB semispaces): objects that live across a request
  // are promoted, and collected with the old generation.
  YOUNG_GENERATION_FLAG,
  // The old generation may grow by half of what survived the last full collection, not by three times.
  '--heap-growing-percent=50',
] as const;

/**
 * Below this many files, what the run keeps per file (its plan entry and its result, about 800 bytes)
 * weighs less than everything else the heap holds (about 16 MiB), so holding the old generation close
 * only costs CPU: it may grow to twice what survived. Bench B (one 1 GiB file) took 6.3 s of CPU so,
 * 8.2 s at 1.5×, and 7.5 s with V8's defaults.
 */
export const MANY_FILES = 20_000;
export const FEW_FILES_HEAP_FLAG = '--heap-growing-percent=100';

export function boundHeapGrowth(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}

/** Once the plan is known: a run of few files lets its old generation grow further, for less CPU. */
export function fitHeapToFiles(fileCount: number): void {
  if (fileCount < MANY_FILES) setFlagsFromString(FEW_FILES_HEAP_FLAG);
}

/**
 * The restore's bound: the young generation only. What a restore allocates is mostly the download bodies
 * passing through (fetch hands over each piece in a fresh buffer), which the small young generation frees
 * a few pieces after they arrive. Bench R (1 GiB, 2 vCPU): peak RSS 205 MiB with V8's defaults, 160 MiB
 * so; holding the old generation as well (at 50% or 100%) only made it collect 2–4 times as often, for up
 * to 1.5 s more CPU and no memory saved.
 */
export function boundYoungGeneration(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}
