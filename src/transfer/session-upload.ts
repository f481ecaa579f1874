/**
 * Sends one file's bytes into an upload session, leaving the session closed and ready to commit:
 * a file that fits in one request goes up as a session start that carries all its bytes and closes;
 * a bigger one through a concurrent session whose appends run in parallel, the closing one last.
 * Every request carries the content hash of its own bytes, and is streamed from disk.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AttemptContext, DropboxApi } from '../dropbox/client.ts';
import { fitsInOneRequest, requestRanges, sessionLayout, type ByteRange } from './chunks.ts';
import { LocalReadError } from '../dropbox/errors.ts';
import type { RemoteState } from './decide.ts';
import type { FileDigests } from './file-digests.ts';
import { RANK_FIRST, type Limiter } from './limiter.ts';
import type { PlannedFile } from '../model.ts';
import { FileProgress } from './progress.ts';
import { failureFacts } from '../dropbox/retry.ts';

export interface SessionUploadOptions {
  api: DropboxApi;
  /** The file's block digests, perhaps partly hashed ahead already. */
  digests: FileDigests;
  /** Requests in flight, shared by every request of the run: the pacer's width. */
  slots: Limiter;
  /** Requests that carry a big file's chunk: `concurrency`, which bounds memory however wide `slots` is. */
  chunks: Limiter;
  /**
   * Big files' ranges hashed or in flight, shared by every big file and larger than `chunks`: a range is
   * hashed while it waits for a slot, so a freed slot sends at once instead of hashing first, yet hashing
   * stays a bounded distance ahead of sending and the second read of those bytes still comes from the
   * page cache.
   */
  lookahead: Limiter;
  /** Hashing is CPU work: a couple at a time, in queue order, so the first range to send is ready first. */
  hashing: Limiter;
  chunkSizeBytes: number;
  /** This file's place in the queue for slots: lower goes first. */
  rank: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Told the bytes of each request Dropbox answered: the run's progress. */
  arrived?: (bytes: number) => void;
}

/**
 * Request bodies are streamed from disk, one fresh stream per attempt, so memory never holds a chunk
 * (a small file's first request aside: see FileDigests.takeBytes). The stream's default 64 KiB reads:
 * 1 MiB reads saved no time measured (1 GiB, 2 vCPU: 6.6–7.4 s either way) and raised peak RSS from
 * 138–166 MiB to 212–223 MiB.
 */
function rangeBody(localPath: string, range: ByteRange): Readable | Uint8Array {
  if (range.length === 0) return new Uint8Array(0);
  return createReadStream(localPath, { start: range.offset, end: range.offset + range.length - 1 });
}

export class SessionUpload {
  readonly file: PlannedFile;
  private readonly options: SessionUploadOptions;
  private readonly digests: FileDigests;
  /** Bytes handed to requests, retries included. */
  bytesSent = 0;
  /** Bytes of requests Dropbox answered: each byte once. */
  bytesArrived = 0;

  constructor(file: PlannedFile, options: SessionUploadOptions) {
    this.file = file;
    this.options = options;
    this.digests = options.digests;
  }

  /**
   * Hashes the whole file now (to compare it with what Dropbox has before sending anything), a range at a
   * time in the shared hashing queue, like the ranges it sends.
   */
  async hashAll(): Promise<string> {
    const { chunkSizeBytes, hashing, rank, signal } = this.options;
    for (const range of requestRanges(this.file.size, chunkSizeBytes))
      await hashing.run(() => this.hash(range), { rank, signal });
    return this.digests.contentHash;
  }

  /** The file's Dropbox content hash; only once every block is hashed. */
  get contentHash(): string {
    return this.digests.contentHash;
  }

  /** The content hash when every block is hashed, else '' (a file that failed before it was read). */
  get contentHashIfKnown(): string {
    return this.digests.contentHashIfKnown;
  }

  /** Sends every byte; resolves with the id of the closed session. */
  send(): Promise<string> {
    return fitsInOneRequest(this.file.size, this.options.chunkSizeBytes)
      ? this.sendWhole()
      : this.sendInParts();
  }

  /**
   * What Dropbox holds at the file's path, from one metadata lookup: how if-exists is decided for a big
   * file before any of its bytes are sent, when there is no listing to ask.
   */
  async remoteState(): Promise<RemoteState> {
    const { api } = this.options;
    try {
      const found = await this.request('check', undefined, (context) =>
        api.sdk.filesGetMetadata({ path: this.file.dropboxPath }, { signal: context.signal }),
      );
      const metadata = found.result;
      if (metadata['.tag'] === 'folder') return { kind: 'folder' };
      if (metadata['.tag'] !== 'file') return { kind: 'nothing' };
      return metadata.content_hash === undefined
        ? { kind: 'file' }
        : { kind: 'file', contentHash: metadata.content_hash };
    } catch (error) {
      const { tags } = failureFacts(error);
      if (tags.includes('not_found')) return { kind: 'nothing' };
      // A file where a folder above the path should be.
      if (tags.includes('not_folder')) return { kind: 'file-above' };
      throw error;
    }
  }

  /** Digests are computed once per range, before its first attempt: a retry sends the hash of the bytes first read. */
  private hash(range: ByteRange): Promise<void> {
    return this.readingFile(() => this.digests.hash(range, this.options.signal));
  }

  /** A local file that cannot be read fails as such, not as a network problem; cancellation stays itself. */
  private async readingFile<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (this.options.signal.aborted) throw error;
      throw new LocalReadError(this.file.localPath, error);
    }
  }

  /**
   * One request of this file, retried as api.call decides. Each attempt runs in a slot of the pacer's
   * width; a big file's chunk also holds a place among `chunks`, and its range is hashed before, while it
   * holds only a lookahead place; it waits for `sendAfter` (its session's start) without holding a slot.
   * A `sendAfter` that ends by aborting `signal` stops the request before it takes a slot. An attempt
   * after a failed one goes first.
   */
  private request<T>(
    label: string,
    range: ByteRange | undefined,
    attempt: (context: AttemptContext) => Promise<T>,
    signal = this.options.signal,
    sendAfter: Promise<void> = Promise.resolve(),
  ): Promise<T> {
    const { slots, chunks, lookahead, hashing, rank, chunkSizeBytes } = this.options;
    const chunk = !fitsInOneRequest(this.file.size, chunkSizeBytes);
    return this.options.api.call(`${label} ${this.file.dropboxPath}`, attempt, {
      signal,
      gate: (once, retry) => {
        const order = { rank: retry ? RANK_FIRST : rank, signal };
        if (range === undefined) return slots.run(once, order);
        const hashed = (): Promise<void> =>
          this.digests.has(range) ? Promise.resolve() : hashing.run(() => this.hash(range), order);
        if (!chunk) return hashed().then(() => slots.run(once, order));
        return lookahead.run(async () => {
          await hashed();
          await sendAfter;
          return chunks.run(() => slots.run(once, order), order);
        }, order);
      },
    });
  }

  /** Dropbox answered a request carrying `bytes` of the file. */
  private arrived(bytes: number): void {
    this.bytesArrived += bytes;
    this.options.arrived?.(bytes);
  }

  /** A small file's first request sends the bytes read to hash it; any other reads the file again. */
  private body(range: ByteRange, context: AttemptContext): Readable | Uint8Array {
    this.bytesSent += range.length;
    return context.watch(this.digests.takeBytes(range) ?? rangeBody(this.file.localPath, range));
  }

  private async sendWhole(): Promise<string> {
    const whole = { offset: 0, length: this.file.size };
    const { api } = this.options;
    const sessionId = await this.request('upload', whole, async (context) => {
      const response = await api.sdk.filesUploadSessionStart(
        { close: true, content_hash: this.digests.hashOf(whole), contents: this.body(whole, context) },
        { signal: context.signal },
      );
      return response.result.session_id;
    });
    this.arrived(whole.length);
    return sessionId;
  }

  private async sendInParts(): Promise<string> {
    const { api, chunkSizeBytes, signal, log } = this.options;
    const layout = sessionLayout(this.file.size, chunkSizeBytes);
    const progress = new FileProgress(this.file.dropboxPath, this.file.size, log);
    // The first append that fails for good, or a session start that does, fails the file: its other
    // appends stop.
    const failed = new AbortController();
    const appendSignal = AbortSignal.any([signal, failed.signal]);
    try {
      const started = this.request('start session', undefined, (context) =>
        api.sdk.filesUploadSessionStart(
          { close: false, session_type: { '.tag': 'concurrent' }, contents: new Uint8Array(0) },
          { signal: context.signal },
        ),
      ).then((response) => response.result.session_id);
      // The appends' ranges are hashed while the session start is in flight; none is sent before it answers.
      const sessionStarted = started.then(
        () => undefined,
        (error: unknown) => failed.abort(error),
      );
      const appends = layout.appends.map(async (range) => {
        try {
          await this.append(started, range, false, appendSignal, sessionStarted);
          progress.add(range.length);
          this.arrived(range.length);
        } catch (error) {
          failed.abort(error);
          throw error;
        }
      });
      const settled = await Promise.allSettled(appends);
      const sessionId = await started;
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure) throw (failed.signal.reason as unknown) ?? failure.reason;
      // Sent last, once every other append has arrived (API reference, "Could not confirm" #11).
      await this.append(started, layout.closing, true, signal);
      progress.add(layout.closing.length);
      this.arrived(layout.closing.length);
      return sessionId;
    } finally {
      progress.stop();
    }
  }

  private append(
    session: Promise<string>,
    range: ByteRange,
    close: boolean,
    signal: AbortSignal,
    sendAfter?: Promise<void>,
  ): Promise<void> {
    const { api } = this.options;
    const end = range.offset + range.length;
    const attempt = async (context: AttemptContext): Promise<void> => {
      try {
        await api.sdk.filesUploadSessionAppendV2(
          {
            cursor: { session_id: await session, offset: range.offset },
            close,
            content_hash: this.digests.hashOf(range),
            contents: this.body(range, context),
          },
          { signal: context.signal },
        );
      } catch (error) {
        const facts = failureFacts(error);
        // An earlier attempt arrived and only its answer was lost: Dropbox already holds these bytes
        // (incorrect_offset ending where this range ends), or this closing append already closed the
        // session (closed). Nothing is written twice.
        if (facts.correctOffset === end) return;
        if (close && facts.tags.includes('closed')) return;
        throw error;
      }
    };
    return this.request(close ? 'close session' : 'append', range, attempt, signal, sendAfter);
  }
}
