/**
 * The 4 MiB block digests of the planned files, computed range by range and shared by everything that
 * needs them: hashing ahead while the run connects, the transfer's requests (each carries the hash of its
 * own bytes), skip-unchanged and the committed file's check. A range is read and hashed once.
 */
import { requestRanges, type ByteRange } from './chunks.ts';
import { createHash } from 'node:crypto';
import { blockDigestsOfRange, combineBlockDigests, HASH_BLOCK_BYTES, readWholeFile } from './content-hash.ts';
import type { PlannedFile } from '../model.ts';

/** Reads a block-aligned range of a file and returns the SHA-256 of each of its 4 MiB blocks. */
export type BlockReader = (localPath: string, offset: number, length: number) => Promise<Buffer[]>;

export class FileDigests {
  readonly file: PlannedFile;
  readonly #readBlocks: BlockReader;
  /** SHA-256 of each 4 MiB block, by block number, filled as ranges are hashed. */
  readonly #digests: (Buffer | undefined)[];
  /**
   * Ranges being hashed now, by `offset:length`: a second caller waits for the first one's work. Made on
   * first use, as most files are hashed in one range by one caller.
   */
  #inFlight: Map<string, Promise<void>> | undefined;
  /** Once computed: the results and the commit share one string. */
  #contentHash: string | undefined;
  /** A small file is read whole, once, up to this size; its bytes are kept for its first request. */
  readonly #keepUpTo: number;
  #kept: Buffer | undefined;

  /**
   * `keepBytesUpTo`: a file no bigger than this (and no bigger than a hash block) is read in one go when
   * it is hashed, and those very bytes are what its first request sends (takeBytes), instead of reading
   * the file a second time; a retry reads it again, so a file that changed in between is still refused
   * by its content hash. 0 keeps nothing.
   */
  constructor(file: PlannedFile, readBlocks: BlockReader = blockDigestsOfRange, keepBytesUpTo = 0) {
    this.file = file;
    this.#readBlocks = readBlocks;
    this.#keepUpTo = Math.min(keepBytesUpTo, HASH_BLOCK_BYTES);
    this.#digests = new Array<Buffer | undefined>(Math.ceil(file.size / HASH_BLOCK_BYTES));
  }

  /** The bytes read to hash `range`, if they were kept and not taken yet: for one request only. */
  takeBytes(range: ByteRange): Buffer | undefined {
    const kept = this.#kept;
    if (kept === undefined || range.offset !== 0 || range.length !== kept.length) return undefined;
    this.#kept = undefined;
    return kept;
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
    const inFlight = (this.#inFlight ??= new Map());
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = this.#read(range).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
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
    this.#contentHash ??= this.hashOf({ offset: 0, length: this.file.size });
    return this.#contentHash;
  }

  /** The content hash when every block is hashed, else '' (a file that failed before it was read). */
  get contentHashIfKnown(): string {
    return this.has({ offset: 0, length: this.file.size }) ? this.contentHash : '';
  }

  async #read(range: ByteRange): Promise<void> {
    const whole = range.offset === 0 && range.length === this.file.size;
    if (whole && range.length > 0 && range.length <= this.#keepUpTo) {
      const bytes = readWholeFile(this.file.localPath, range.length);
      this.#digests[0] = createHash('sha256').update(bytes).digest();
      this.#kept = bytes;
      return;
    }
    const digests = await this.#readBlocks(this.file.localPath, range.offset, range.length);
    const first = range.offset / HASH_BLOCK_BYTES;
    for (const [index, digest] of digests.entries()) this.#digests[first + index] = digest;
  }
}

/**
 * One FileDigests per planned file, made on first use and released once the transfer is done with the
 * file, so that a run of 100,000 files does not keep 100,000 of them.
 */
export class DigestStore {
  readonly #byFile = new Map<PlannedFile, FileDigests>();
  readonly #keepBytesUpTo: number;

  /** `keepBytesUpTo`: see FileDigests; the transfer's budget for a small file's bytes. */
  constructor(keepBytesUpTo = 0) {
    this.#keepBytesUpTo = keepBytesUpTo;
  }

  of(file: PlannedFile): FileDigests {
    let digests = this.#byFile.get(file);
    if (digests === undefined) {
      digests = new FileDigests(file, blockDigestsOfRange, this.#keepBytesUpTo);
      this.#byFile.set(file, digests);
    }
    return digests;
  }

  /** The transfer is done with `file`: its digests go (whoever still holds them keeps them). */
  release(file: PlannedFile): void {
    this.#byFile.delete(file);
  }

  /** Files whose digests are kept now. */
  get size(): number {
    return this.#byFile.size;
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
