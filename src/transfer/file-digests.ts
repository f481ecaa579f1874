/**
 * The 4 MiB block digests of the planned files, computed range by range and shared by everything that
 * needs them: hashing ahead while the run connects, the transfer's requests (each carries the hash of its
 * own bytes), skip-unchanged and the committed file's check. A range is read and hashed once.
 */
import { requestRanges, type ByteRange } from './chunks.ts';
import { blockDigestsOfRange, combineBlockDigests, HASH_BLOCK_BYTES } from './content-hash.ts';
import type { PlannedFile } from '../model.ts';

/** Reads a block-aligned range of a file and returns the SHA-256 of each of its 4 MiB blocks. */
export type BlockReader = (localPath: string, offset: number, length: number) => Promise<Buffer[]>;

export class FileDigests {
  readonly file: PlannedFile;
  readonly #readBlocks: BlockReader;
  /** SHA-256 of each 4 MiB block, by block number, filled as ranges are hashed. */
  readonly #digests: (Buffer | undefined)[];
  /** Ranges being hashed now, by `offset:length`: a second caller waits for the first one's work. */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(file: PlannedFile, readBlocks: BlockReader = blockDigestsOfRange) {
    this.file = file;
    this.#readBlocks = readBlocks;
    this.#digests = new Array<Buffer | undefined>(Math.ceil(file.size / HASH_BLOCK_BYTES));
  }

  /** Whether every block of `range` is hashed. */
  has(range: ByteRange): boolean {
    const first = range.offset / HASH_BLOCK_BYTES;
    const count = Math.ceil(range.length / HASH_BLOCK_BYTES);
    for (let block = first; block < first + count; block += 1)
      if (this.#digests[block] === undefined) return false;
    return true;
  }

  /**
   * Hashes `range` (block-aligned) unless it is hashed already. A range is read without interruption (it
   * is at most one request long, so that costs little): `signal` is checked before and after the read, so
   * a cancelled caller gets its cancellation once the read ends, and one caller's cancellation never fails
   * another that joined the same read.
   */
  async hash(range: ByteRange, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.has(range)) return;
    const key = `${range.offset}:${range.length}`;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#read(range).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    await pending;
    signal?.throwIfAborted();
  }

  /** Hashes the whole file, one request-sized range at a time (sharing what was hashed already). */
  async hashAll(chunkSizeBytes: number, signal?: AbortSignal): Promise<string> {
    for (const range of requestRanges(this.file.size, chunkSizeBytes)) await this.hash(range, signal);
    return this.contentHash;
  }

  /** The Dropbox content hash of `range`'s bytes, from its block digests; only once it is hashed. */
  hashOf(range: ByteRange): string {
    if (!this.has(range))
      throw new Error(`${this.file.localPath} is not hashed at ${range.offset}+${range.length} yet`);
    const first = range.offset / HASH_BLOCK_BYTES;
    const digests = this.#digests.slice(first, first + Math.ceil(range.length / HASH_BLOCK_BYTES));
    return combineBlockDigests(digests as Buffer[]);
  }

  /** The file's Dropbox content hash, from the digests of every block; only once all are hashed. */
  get contentHash(): string {
    return this.hashOf({ offset: 0, length: this.file.size });
  }

  /** The content hash when every block is hashed, else '' (a file that failed before it was read). */
  get contentHashIfKnown(): string {
    return this.has({ offset: 0, length: this.file.size }) ? this.contentHash : '';
  }

  async #read(range: ByteRange): Promise<void> {
    const digests = await this.#readBlocks(this.file.localPath, range.offset, range.length);
    const first = range.offset / HASH_BLOCK_BYTES;
    for (const [index, digest] of digests.entries()) this.#digests[first + index] = digest;
  }
}

/** One FileDigests per planned file, made on first use. */
export class DigestStore {
  readonly #byFile = new Map<PlannedFile, FileDigests>();

  of(file: PlannedFile): FileDigests {
    let digests = this.#byFile.get(file);
    if (digests === undefined) {
      digests = new FileDigests(file);
      this.#byFile.set(file, digests);
    }
    return digests;
  }
}

/**
 * Hashes, one after another, the ranges the transfer sends first (`ranges`, in its order), while the run
 * still waits on the network for a token and a listing: the first requests can then all go at once,
 * instead of one after another as each is hashed. Stops at the first failure or when `signal` aborts;
 * whatever it did not hash, the transfer hashes itself (and reports a file it cannot read).
 */
export async function hashAhead(
  ranges: readonly { file: PlannedFile; range: ByteRange }[],
  store: DigestStore,
  signal: AbortSignal,
): Promise<void> {
  try {
    for (const { file, range } of ranges) await store.of(file).hash(range, signal);
  } catch {
    // Not this function's to report: the transfer meets the same problem and explains it for its file.
  }
}
