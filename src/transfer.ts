import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { files } from 'dropbox';
import type { AttemptContext, DropboxApi } from './client.ts';
import { blockDigestsOfRange, combineBlockDigests, HASH_BLOCK_BYTES } from './content-hash.ts';
import { ContentHashMismatchError, LocalReadError } from './errors.ts';
import { explainDropboxError } from './explain.ts';
import { Limiter } from './limiter.ts';
import type { Explanation, FileResult, IfExists, PlannedFile } from './model.ts';
import { FileProgress } from './progress.ts';
import { formatBytes } from './format.ts';
import { failureFacts } from './retry.ts';

export interface TransferOptions {
  chunkSizeBytes: number;
  concurrency: number;
  ifExists: IfExists;
  /** Lines for the log: retries, progress. */
  log: (line: string) => void;
  /** Aborts everything; set by the caller on cancellation. */
  signal?: AbortSignal;
  /**
   * Content hashes of files already in Dropbox, by lower-cased Dropbox path. A file whose local hash
   * equals its remote one is not sent, and is reported skipped as "unchanged".
   */
  remoteHashes?: ReadonlyMap<string, string>;
}

export interface TransferOutcome {
  /** One per planned file, in plan order. */
  results: FileResult[];
  /** Set when a credential problem stopped the run; every file not done carries it too. */
  stoppedBy?: Explanation;
}

/** Hashing is CPU and disk work: a few files at a time keep both busy without starving the requests. */
const HASHING_CONCURRENCY = 4;

const EMPTY_CONTENT_HASH = combineBlockDigests([]);

interface ByteRange {
  offset: number;
  length: number;
}

/** Thrown inside a file's transfer when if-exists: skip meets an existing file. */
class AlreadyExists extends Error {}

function commitFor(dropboxPath: string, ifExists: IfExists): files.CommitInfo {
  switch (ifExists) {
    case 'overwrite':
      return { path: dropboxPath, mode: { '.tag': 'overwrite' }, autorename: false, mute: true };
    case 'rename':
      return { path: dropboxPath, mode: { '.tag': 'add' }, autorename: true, mute: true };
    case 'skip':
    case 'fail':
      // strict_conflict: an identical file that already exists is still "existing" for skip and fail.
      return {
        path: dropboxPath,
        mode: { '.tag': 'add' },
        autorename: false,
        mute: true,
        strict_conflict: true,
      };
  }
}

/** Request bodies are streamed from disk, one fresh stream per attempt, so memory never holds a chunk. */
function rangeBody(localPath: string, range: ByteRange): Readable | Uint8Array {
  if (range.length === 0) return new Uint8Array(0);
  return createReadStream(localPath, { start: range.offset, end: range.offset + range.length - 1 });
}

function isConflict(error: unknown): boolean {
  return failureFacts(error).tags.includes('conflict');
}

function skippedResult(
  file: PlannedFile,
  contentHash: string,
  reason: string,
): Omit<FileResult, 'bytesSent'> {
  return {
    localPath: file.localPath,
    dropboxPath: file.dropboxPath,
    size: file.size,
    contentHash,
    status: 'skipped',
    reason,
  };
}

function resultLine(result: FileResult): string {
  if (result.status === 'uploaded') return `uploaded ${result.dropboxPath} (${formatBytes(result.size)})`;
  if (result.status === 'skipped') return `skipped ${result.dropboxPath}: ${result.reason ?? ''}`;
  return `FAILED ${result.dropboxPath}: ${result.error?.title ?? 'unknown error'}`;
}

export function chunkRanges(size: number, chunkSize: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let offset = 0; offset < size; offset += chunkSize) {
    ranges.push({ offset, length: Math.min(chunkSize, size - offset) });
  }
  return ranges;
}

class FileTransfer {
  private readonly api: DropboxApi;
  private readonly options: TransferOptions;
  private readonly requests: Limiter;
  private readonly signal: AbortSignal;
  private readonly file: PlannedFile;
  private readonly digests: Buffer[];
  readonly contentHash: string;
  bytesSent = 0;

  constructor(
    file: PlannedFile,
    digests: Buffer[],
    api: DropboxApi,
    requests: Limiter,
    options: TransferOptions,
    signal: AbortSignal,
  ) {
    this.file = file;
    this.digests = digests;
    this.contentHash = combineBlockDigests(digests);
    this.api = api;
    this.requests = requests;
    this.options = options;
    this.signal = signal;
  }

  private hashOf(range: ByteRange): string {
    const first = range.offset / HASH_BLOCK_BYTES;
    return combineBlockDigests(this.digests.slice(first, first + Math.ceil(range.length / HASH_BLOCK_BYTES)));
  }

  private send<T>(label: string, request: (context: AttemptContext) => Promise<T>): Promise<T> {
    return this.requests.run(() => this.api.call(`${label} ${this.file.dropboxPath}`, request));
  }

  /**
   * After an attempt whose answer was lost, the commit may have landed. Dropbox's copy decides,
   * so a retry never commits the same file twice.
   */
  private async landedEarlier(context: AttemptContext): Promise<files.FileMetadata | undefined> {
    if (!context.outcomeUnknown) return undefined;
    try {
      const found = await this.api.call(`check ${this.file.dropboxPath}`, () =>
        this.api.sdk.filesGetMetadata({ path: this.file.dropboxPath }, { signal: this.signal }),
      );
      const metadata = found.result;
      if (metadata['.tag'] === 'file' && metadata.content_hash === this.contentHash) return metadata;
    } catch {
      // Not there, or not readable: the original failure is the one to report.
    }
    return undefined;
  }

  async upload(): Promise<files.FileMetadata> {
    if (this.file.size <= this.options.chunkSizeBytes) return this.uploadInOneRequest();
    if (this.options.ifExists === 'skip' && (await this.existsRemotely())) throw new AlreadyExists();
    return this.uploadInSession();
  }

  private async existsRemotely(): Promise<boolean> {
    try {
      await this.send('check', () =>
        this.api.sdk.filesGetMetadata({ path: this.file.dropboxPath }, { signal: this.signal }),
      );
      return true;
    } catch (error) {
      if (failureFacts(error).tags.includes('not_found')) return false;
      throw error;
    }
  }

  private uploadInOneRequest(): Promise<files.FileMetadata> {
    const whole = { offset: 0, length: this.file.size };
    return this.send('upload', async (context) => {
      const landed = await this.landedEarlier(context);
      if (landed) return landed;
      try {
        this.bytesSent += whole.length;
        const response = await this.api.sdk.filesUpload(
          {
            ...commitFor(this.file.dropboxPath, this.options.ifExists),
            content_hash: this.contentHash,
            contents: rangeBody(this.file.localPath, whole),
          },
          { signal: this.signal },
        );
        return response.result;
      } catch (error) {
        if (isConflict(error) && this.options.ifExists === 'skip') throw new AlreadyExists();
        throw error;
      }
    });
  }

  /**
   * A sequential session: the first chunk opens it, the middle ones are appended, and the last one
   * travels with the commit. Each request carries the content hash of its own bytes.
   */
  private async uploadInSession(): Promise<files.FileMetadata> {
    const ranges = chunkRanges(this.file.size, this.options.chunkSizeBytes);
    const first = ranges[0];
    const last = ranges[ranges.length - 1];
    if (!first || !last || ranges.length < 2) throw new Error('a session upload needs at least two chunks');
    const progress = new FileProgress(this.file.dropboxPath, this.file.size, this.options.log);
    try {
      const started = await this.send('start session', async () => {
        this.bytesSent += first.length;
        const response = await this.api.sdk.filesUploadSessionStart(
          { close: false, content_hash: this.hashOf(first), contents: rangeBody(this.file.localPath, first) },
          { signal: this.signal },
        );
        return response.result;
      });
      progress.add(first.length);
      const sessionId = started.session_id;
      for (const range of ranges.slice(1, -1)) {
        await this.append(sessionId, range);
        progress.add(range.length);
      }
      const metadata = await this.finish(sessionId, last);
      progress.add(last.length);
      return metadata;
    } finally {
      progress.stop();
    }
  }

  private append(sessionId: string, range: ByteRange): Promise<void> {
    const end = range.offset + range.length;
    return this.send('append', async () => {
      try {
        this.bytesSent += range.length;
        await this.api.sdk.filesUploadSessionAppendV2(
          {
            cursor: { session_id: sessionId, offset: range.offset },
            close: false,
            content_hash: this.hashOf(range),
            contents: rangeBody(this.file.localPath, range),
          },
          { signal: this.signal },
        );
      } catch (error) {
        // An earlier attempt landed and only its answer was lost: the session already ends here.
        if (failureFacts(error).correctOffset === end) return;
        throw error;
      }
    });
  }

  private finish(sessionId: string, last: ByteRange): Promise<files.FileMetadata> {
    let pending: ByteRange = last;
    return this.send('commit', async (context) => {
      const landed = await this.landedEarlier(context);
      if (landed) return landed;
      try {
        this.bytesSent += pending.length;
        const response = await this.api.sdk.filesUploadSessionFinish(
          {
            cursor: { session_id: sessionId, offset: pending.offset },
            commit: commitFor(this.file.dropboxPath, this.options.ifExists),
            content_hash: pending.length === 0 ? EMPTY_CONTENT_HASH : this.hashOf(pending),
            contents: rangeBody(this.file.localPath, pending),
          },
          { signal: this.signal },
        );
        return response.result;
      } catch (error) {
        if (failureFacts(error).correctOffset === this.file.size && pending.length > 0) {
          // The last bytes arrived but the commit did not: commit without resending them.
          pending = { offset: this.file.size, length: 0 };
          return this.finishWithoutData(sessionId);
        }
        if (isConflict(error) && this.options.ifExists === 'skip') throw new AlreadyExists();
        throw error;
      }
    });
  }

  private async finishWithoutData(sessionId: string): Promise<files.FileMetadata> {
    const response = await this.api.call(`commit ${this.file.dropboxPath}`, () =>
      this.api.sdk.filesUploadSessionFinish(
        {
          cursor: { session_id: sessionId, offset: this.file.size },
          commit: commitFor(this.file.dropboxPath, this.options.ifExists),
          content_hash: EMPTY_CONTENT_HASH,
          contents: new Uint8Array(0),
        },
        { signal: this.signal },
      ),
    );
    return response.result;
  }
}

/**
 * Uploads every planned file. Requests share one `concurrency` budget; a file that fails is
 * reported and the others go on, except on a credential problem, which stops the whole run.
 */
export async function transferFiles(
  plan: readonly PlannedFile[],
  api: DropboxApi,
  options: TransferOptions,
): Promise<TransferOutcome> {
  const requests = new Limiter(options.concurrency);
  const hashing = new Limiter(Math.min(HASHING_CONCURRENCY, options.concurrency));
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let stoppedBy: Explanation | undefined;

  const failed = (
    file: PlannedFile,
    contentHash: string,
    error: Explanation,
    bytesSent: number,
  ): FileResult => ({
    localPath: file.localPath,
    dropboxPath: file.dropboxPath,
    size: file.size,
    contentHash,
    status: 'failed',
    error,
    bytesSent,
  });

  const transferOne = async (file: PlannedFile): Promise<FileResult> => {
    let digests: Buffer[];
    try {
      digests = await hashing.run(() => {
        signal.throwIfAborted();
        return blockDigestsOfRange(file.localPath, 0, file.size, signal);
      });
    } catch (error) {
      if (stoppedBy) return failed(file, '', stoppedBy, 0);
      return failed(file, '', explainDropboxError(new LocalReadError(file.localPath, error), {}), 0);
    }
    const transfer = new FileTransfer(file, digests, api, requests, options, signal);
    if (options.remoteHashes?.get(file.dropboxPath.toLowerCase()) === transfer.contentHash) {
      return { ...skippedResult(file, transfer.contentHash, 'unchanged'), bytesSent: 0 };
    }
    try {
      signal.throwIfAborted();
      const metadata = await transfer.upload();
      const remoteHash = metadata.content_hash;
      if (remoteHash !== transfer.contentHash) {
        const mismatch = new ContentHashMismatchError(
          file.dropboxPath,
          transfer.contentHash,
          remoteHash ?? '(none)',
        );
        return failed(file, transfer.contentHash, explainDropboxError(mismatch, {}), transfer.bytesSent);
      }
      return {
        localPath: file.localPath,
        dropboxPath: metadata.path_display ?? file.dropboxPath,
        size: file.size,
        contentHash: transfer.contentHash,
        status: 'uploaded',
        bytesSent: transfer.bytesSent,
      };
    } catch (error) {
      if (error instanceof AlreadyExists) {
        return {
          ...skippedResult(file, transfer.contentHash, 'already exists'),
          bytesSent: transfer.bytesSent,
        };
      }
      if (stoppedBy) return failed(file, transfer.contentHash, stoppedBy, transfer.bytesSent);
      const explanation = explainDropboxError(error, {
        dropboxPath: file.dropboxPath,
        ifExists: options.ifExists,
      });
      if (explanation.scope === 'credentials') {
        stoppedBy = explanation;
        stop.abort(new Error(explanation.title));
      }
      return failed(file, transfer.contentHash, explanation, transfer.bytesSent);
    }
  };

  try {
    // One token for everybody before anything runs in parallel; a credential problem stops here.
    await api.call('get an access token', () => api.tokens.ensureFresh());
  } catch (error) {
    stoppedBy = explainDropboxError(error, {});
    const stoppedFor = stoppedBy;
    return { results: plan.map((file) => failed(file, '', stoppedFor, 0)), stoppedBy };
  }
  const results = await Promise.all(
    plan.map(async (file) => {
      const result = await transferOne(file);
      options.log(resultLine(result));
      return result;
    }),
  );
  return stoppedBy ? { results, stoppedBy } : { results };
}
