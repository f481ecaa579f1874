/** How a file is cut into requests. Pure. */
import { HASH_BLOCK_BYTES } from './content-hash.ts';

export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Concurrent upload sessions take appends at offsets that are multiples of 4 MiB, each a multiple of
 * 4 MiB long, except the closing one (API reference §4). It is also Dropbox's hash block size.
 */
export const SESSION_BLOCK_BYTES = HASH_BLOCK_BYTES;

export function chunkRanges(size: number, chunkSize: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let offset = 0; offset < size; offset += chunkSize) {
    ranges.push({ offset, length: Math.min(chunkSize, size - offset) });
  }
  return ranges;
}

/** A file no bigger than one request goes up in one request. */
export function fitsInOneRequest(size: number, chunkSize: number): boolean {
  return size <= chunkSize;
}

export interface SessionLayout {
  /** Sent in parallel: each at most `chunkSize`, 4 MiB-aligned, a multiple of 4 MiB long. */
  appends: ByteRange[];
  /**
   * Sent last, with `close: true`, once every other append has arrived. It carries only the tail that is
   * not a whole 4 MiB block, and nothing when the size is 4 MiB-aligned: every whole block then goes up
   * in parallel, and the closing request costs one round trip instead of a block's transfer time after
   * the last round (zero is a multiple of 4 MiB, so an empty closing append is within the rule).
   */
  closing: ByteRange;
}

/** The requests of a concurrent upload session for a file bigger than `chunkSize` (a multiple of 4 MiB). */
export function sessionLayout(size: number, chunkSize: number): SessionLayout {
  if (chunkSize % SESSION_BLOCK_BYTES !== 0 || chunkSize <= 0)
    throw new RangeError(`chunk size must be a positive multiple of 4 MiB, got ${chunkSize}`);
  if (fitsInOneRequest(size, chunkSize))
    throw new RangeError(`a file of ${size} bytes fits in one request of ${chunkSize} bytes`);
  const closingOffset = size - (size % SESSION_BLOCK_BYTES);
  return {
    appends: chunkRanges(closingOffset, chunkSize),
    closing: { offset: closingOffset, length: size - closingOffset },
  };
}

/** The ranges a file is sent in, in order: the whole file in one request, or its session's requests. */
export function requestRanges(size: number, chunkSize: number): ByteRange[] {
  if (fitsInOneRequest(size, chunkSize)) return [{ offset: 0, length: size }];
  const layout = sessionLayout(size, chunkSize);
  return layout.closing.length > 0 ? [...layout.appends, layout.closing] : layout.appends;
}
