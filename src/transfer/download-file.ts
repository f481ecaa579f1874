/**
 * One file's download: streamed to a temporary name in its target folder, as parallel ranges written at
 * their offsets when it is bigger than a chunk, hashed block by block as the bytes arrive, checked
 * against the listing's content hash, given its time, and only then renamed into place. A range that
 * breaks off resumes from the bytes that arrived.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, rename, rm, utimes, type FileHandle } from 'node:fs/promises';
import { abortReason } from '../cancellation.ts';
import type { AttemptContext, DropboxApi } from '../dropbox/client.ts';
import type { PlannedDownload } from '../model.ts';
import { chunkRanges, type ByteRange } from './chunks.ts';
import { combineBlockDigests, HASH_BLOCK_BYTES } from './content-hash.ts';
import {
  DownloadHashMismatchError,
  LocalWriteError,
  TruncatedBodyError,
  UnexpectedAnswerError,
} from './download-errors.ts';
import { openDownload } from './download-request.ts';
import type { Limiter } from './limiter.ts';
import { temporaryPathFor } from './local-target.ts';
import { FileProgress } from './progress.ts';

/**
 * How many times a file whose bytes do not hash to the listing's content hash is downloaded, in all.
 * Dropbox gives no per-block hashes, so a retry cannot tell which range was bad: it is the whole file.
 */
export const DOWNLOADS_PER_FILE = 2;

/** Bytes of a range gathered before they are written and hashed (one such buffer per request in flight). */
const WRITE_BYTES = 1024 * 1024;

export interface FileDownloadOptions {
  api: DropboxApi;
  /** The shared concurrency budget: each request attempt holds a slot. */
  slots: Limiter;
  chunkSizeBytes: number;
  /** This file's place in the queue for slots: lower goes first, so started files finish first. */
  rank: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Told the body bytes as they arrive: the run's progress. */
  received?: (bytes: number) => void;
}

/** How far one range has come, kept across its attempts so that a retry asks only for the rest. */
interface RangeProgress {
  received: number;
  /** SHA-256 of the current 4 MiB block, fed as bytes arrive. */
  block: Hash;
  inBlock: number;
  /** Number of the current block in the file. */
  blockIndex: number;
  done: boolean;
}

/** Writes all of `bytes` at `position` (a positioned write may take fewer bytes than it was given). */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** One file's download: its temporary file, its ranges, its hash check, its rename into place. */
export class FileDownload {
  readonly file: PlannedDownload;
  /** Body bytes received, retries included. */
  bytesReceived = 0;
  readonly #options: FileDownloadOptions;
  #progress: FileProgress | undefined;

  constructor(file: PlannedDownload, options: FileDownloadOptions) {
    this.file = file;
    this.#options = options;
  }

  /** Downloads, checks and places the file; throws when it did not arrive byte-exact. */
  async run(): Promise<void> {
    const { file } = this;
    this.#progress = new FileProgress(file.dropboxPath, file.size, this.#options.log);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const received = await this.#attempt();
        if (received !== undefined) {
          if (attempt >= DOWNLOADS_PER_FILE)
            throw new DownloadHashMismatchError(file.dropboxPath, file.contentHash, received, attempt);
          this.#options.log(
            `${file.dropboxPath}: the bytes received hash to ${received}, not to ${file.contentHash} as listed; ` +
              `downloading the file again (${attempt + 1} of ${DOWNLOADS_PER_FILE})`,
          );
          continue;
        }
        return;
      }
    } finally {
      this.#progress.stop();
    }
  }

  /**
   * One download of the whole file into a fresh temporary file. Returns undefined once the file is in
   * place, or the hash the bytes had when it is not the listed one. The temporary file never outlives it.
   */
  async #attempt(): Promise<string | undefined> {
    const { file } = this;
    const { signal } = this.#options;
    const temporary = temporaryPathFor(file.localPath);
    let handle: FileHandle | undefined;
    let placed = false;
    try {
      handle = await open(temporary, 'wx').catch((error: unknown) => {
        throw new LocalWriteError(file.localPath, 'write', error);
      });
      const digests = await this.#fetchInto(handle);
      const closing = handle;
      handle = undefined;
      await closing.close().catch((error: unknown) => {
        throw new LocalWriteError(file.localPath, 'write', error);
      });
      const received = combineBlockDigests(digests);
      if (received !== file.contentHash) return received;
      const modified = file.clientModified === undefined ? Number.NaN : Date.parse(file.clientModified);
      if (Number.isFinite(modified)) {
        await utimes(temporary, new Date(), new Date(modified)).catch((error: unknown) => {
          throw new LocalWriteError(file.localPath, 'set time', error);
        });
      }
      // A run cancelled now leaves the file out rather than half-reported.
      signal.throwIfAborted();
      await rename(temporary, file.localPath).catch((error: unknown) => {
        throw new LocalWriteError(file.localPath, 'rename', error);
      });
      placed = true;
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
      if (!placed) await rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  /** Every range of the file, in parallel, into `handle`; the block digests of what was written. */
  async #fetchInto(handle: FileHandle): Promise<Buffer[]> {
    const { file } = this;
    const { chunkSizeBytes, signal } = this.#options;
    const digests = new Array<Buffer>(Math.ceil(file.size / HASH_BLOCK_BYTES));
    const whole = file.size <= chunkSizeBytes;
    const ranges = whole ? [{ offset: 0, length: file.size }] : chunkRanges(file.size, chunkSizeBytes);
    // The first range that fails for good fails the file: its other ranges stop.
    const failed = new AbortController();
    const rangeSignal = AbortSignal.any([signal, failed.signal]);
    const settled = await Promise.allSettled(
      ranges.map((range) =>
        this.#fetchRange(handle, range, whole, digests, rangeSignal).catch((error: unknown) => {
          failed.abort(error);
          throw error;
        }),
      ),
    );
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) throw (failed.signal.reason as unknown) ?? failure.reason;
    return digests;
  }

  /**
   * One range, retried as api.call decides; each retry asks only for the bytes that have not arrived. An
   * attempt api.call gave up on (a stall, cancellation) may still be finishing a write: the next attempt
   * waits for it, so that the bytes that arrived are counted before the rest is asked for.
   */
  async #fetchRange(
    handle: FileHandle,
    range: ByteRange,
    whole: boolean,
    digests: Buffer[],
    signal: AbortSignal,
  ): Promise<void> {
    const { api, slots, rank } = this.#options;
    const progress: RangeProgress = {
      received: 0,
      block: createHash('sha256'),
      inBlock: 0,
      blockIndex: range.offset / HASH_BLOCK_BYTES,
      done: false,
    };
    const label = whole
      ? `download ${this.file.dropboxPath}`
      : `download ${this.file.dropboxPath} (bytes ${range.offset}-${range.offset + range.length - 1})`;
    let previous: Promise<void> = Promise.resolve();
    await api.call(
      label,
      (context) => {
        const attempt = previous
          .catch(() => undefined)
          .then(() => this.#receive(context, handle, range, whole, progress, digests));
        previous = attempt;
        return attempt;
      },
      { signal, gate: (once) => slots.run(once, { rank, signal }) },
    );
    if (progress.inBlock > 0) digests[progress.blockIndex] = progress.block.digest();
  }

  /** One request for the rest of `range`: streamed to its offsets, hashed block by block as it comes. */
  async #receive(
    context: AttemptContext,
    handle: FileHandle,
    range: ByteRange,
    whole: boolean,
    progress: RangeProgress,
    digests: Buffer[],
  ): Promise<void> {
    if (progress.done) return;
    const { file } = this;
    const start = range.offset + progress.received;
    // The first request of a file that fits in one asks for all of it, without a Range: a 0-byte file must
    // not be asked for a range (reference §9). A resumed one asks for the rest.
    const span =
      whole && progress.received === 0 ? undefined : { start, end: range.offset + range.length - 1 };
    const body = await openDownload(this.#options.api, context, file, span);
    // Pieces are gathered into one buffer and written together: a write and a hash update per network read
    // cost the runner more CPU than the bytes themselves.
    const gathered = Buffer.allocUnsafe(Math.min(WRITE_BYTES, range.length - progress.received));
    let filled = 0;
    const flush = async (): Promise<void> => {
      if (filled === 0) return;
      const bytes = gathered.subarray(0, filled);
      await writeAt(handle, bytes, range.offset + progress.received).catch((error: unknown) => {
        throw new LocalWriteError(file.localPath, 'write', error);
      });
      hashBlocks(progress, bytes, digests);
      progress.received += filled;
      filled = 0;
    };
    try {
      for (let chunk = await body.next(); chunk !== undefined; chunk = await body.next()) {
        if (context.signal.aborted) throw abortReason(context.signal);
        if (progress.received + filled + chunk.length > range.length)
          throw new UnexpectedAnswerError(file.dropboxPath, `more than the ${range.length} bytes asked for`);
        this.bytesReceived += chunk.length;
        this.#options.received?.(chunk.length);
        this.#progress?.add(chunk.length);
        for (let offset = 0; offset < chunk.length;) {
          const take = Math.min(gathered.length - filled, chunk.length - offset);
          gathered.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === gathered.length) await flush();
        }
      }
      await flush();
    } catch (error) {
      // The bytes that came before the connection broke are good: kept, so the retry asks only for the rest.
      if (!(error instanceof LocalWriteError)) await flush();
      throw error;
    } finally {
      body.close();
    }
    if (progress.received < range.length)
      throw new TruncatedBodyError(file.dropboxPath, range.length, progress.received);
    progress.done = true;
  }
}

/** Feeds bytes to the range's block hashes; a block's digest is kept once its 4 MiB are in. */
function hashBlocks(progress: RangeProgress, chunk: Uint8Array, digests: Buffer[]): void {
  for (let offset = 0; offset < chunk.length;) {
    const take = Math.min(HASH_BLOCK_BYTES - progress.inBlock, chunk.length - offset);
    progress.block.update(chunk.subarray(offset, offset + take));
    progress.inBlock += take;
    offset += take;
    if (progress.inBlock === HASH_BLOCK_BYTES) {
      digests[progress.blockIndex] = progress.block.digest();
      progress.blockIndex += 1;
      progress.block = createHash('sha256');
      progress.inBlock = 0;
    }
  }
}
