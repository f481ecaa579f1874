/**
 * Uploads the planned files: one `concurrency` budget shared by every request, bigger files first,
 * small files in one request each, big ones in concurrent sessions, all committed in batches.
 * session-upload.ts sends a file's bytes; commit-batch.ts commits; this module schedules and reports.
 */
import { DropboxResponseError, type files } from 'dropbox';
import type { DropboxApi } from '../dropbox/client.ts';
import { fitsInOneRequest, requestRanges, type ByteRange } from './chunks.ts';
import { CommitBatcher, type BatchPolicy } from './commit-batch.ts';
import { commitFor } from './commit-info.ts';
import { findTagged, tagOf } from '../dropbox/error-body.ts';
import { ContentHashMismatchError } from '../dropbox/errors.ts';
import { DigestStore } from './file-digests.ts';
import { failedResult, resultLine, skippedResult, uploadedResult } from '../report/file-results.ts';
import { explainCancelled, explainDropboxError, titles } from '../dropbox/explain.ts';
import { abortReason } from '../cancellation.ts';
import { Limiter } from './limiter.ts';
import type { Explanation, FileResult, IfExists, PlannedFile } from '../model.ts';
import { SessionUpload } from './session-upload.ts';

export interface TransferOptions {
  chunkSizeBytes: number;
  concurrency: number;
  ifExists: IfExists;
  /** Lines for the log: retries, progress. */
  log: (line: string) => void;
  /** Cancellation: start nothing new, abort what is in flight, and report what did not arrive. */
  signal?: AbortSignal;
  /**
   * Content hashes of the files already in Dropbox, by lower-cased Dropbox path: the whole destination,
   * listed. A file whose local hash equals its remote one is not sent, and is reported skipped as
   * "unchanged"; with if-exists: skip, a path it lacks has no file yet.
   */
  remoteHashes?: ReadonlyMap<string, string>;
  /** How batches of commits are formed; the defaults suit real runs (tests shorten the wait). */
  batchPolicy?: Partial<BatchPolicy>;
  /** Block digests hashed before the transfer began (see hashAhead); by default it hashes everything itself. */
  digests?: DigestStore;
}

export interface TransferOutcome {
  /** One per planned file, in plan order. */
  results: FileResult[];
  /**
   * Set when something stopped the whole run: a credential problem, a full Dropbox or cancellation.
   * Every file not done carries it too.
   */
  stoppedBy?: Explanation;
}

/** Commits and checks go ahead of data: they finish files, and they are small. */
const RANK_COMMIT = Number.NEGATIVE_INFINITY;
/** Hashing runs on the main thread; two at a time keep the disk busy while one hashes. */
const HASHING_CONCURRENCY = 2;

/** Bigger files first, so they do not form the tail of the run; within a size, in plan order. */
function rankOf(file: PlannedFile): number {
  return -file.size;
}

/** The plan in the order its files are sent. */
function sendingOrder(plan: readonly PlannedFile[]): { file: PlannedFile; index: number }[] {
  return plan
    .map((file, index) => ({ file, index }))
    .sort((a, b) => rankOf(a.file) - rankOf(b.file) || a.index - b.index);
}

/** The byte ranges of the first `count` requests the transfer sends: the ones worth hashing ahead. */
export function firstRanges(
  plan: readonly PlannedFile[],
  chunkSizeBytes: number,
  count: number,
): { file: PlannedFile; range: ByteRange }[] {
  const ranges: { file: PlannedFile; range: ByteRange }[] = [];
  for (const { file } of sendingOrder(plan)) {
    for (const range of requestRanges(file.size, chunkSizeBytes)) {
      if (ranges.length === count) return ranges;
      ranges.push({ file, range });
    }
  }
  return ranges;
}

/** Files in their upload stage at once: enough to keep every slot busy while others hash or wait. */
function filesInProgress(concurrency: number): number {
  return Math.max(2, concurrency * 2);
}

/** What ends the run for every file: no credential works, the account is full, or the job was cancelled. */
function stopsTheRun(explanation: Explanation): boolean {
  return explanation.scope === 'credentials' || explanation.title === titles.outOfSpace;
}

/**
 * Dropbox refused the write because a file is already at the path. A folder there, or a file where a
 * parent folder should be, is a different problem that no if-exists setting resolves: such a file fails.
 */
function isExistingFile(error: unknown): boolean {
  const body = error instanceof DropboxResponseError ? (error.error as unknown) : undefined;
  return tagOf(findTagged(body, 'conflict')?.['conflict']) === 'file';
}

/**
 * Uploads every planned file. Requests share one `concurrency` budget; a file that fails is
 * reported and the others go on, except when the whole run must stop (credentials, a full Dropbox,
 * cancellation): then nothing new starts, what is in flight is aborted, and every file not
 * committed is reported failed with that reason.
 */
export async function transferFiles(
  plan: readonly PlannedFile[],
  api: DropboxApi,
  options: TransferOptions,
): Promise<TransferOutcome> {
  const slots = new Limiter(options.concurrency);
  const lookahead = new Limiter(2 * options.concurrency);
  const hashing = new Limiter(HASHING_CONCURRENCY);
  const digests = options.digests ?? new DigestStore();
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let stoppedBy: Explanation | undefined;

  const stopRun = (explanation: Explanation): Explanation => {
    if (stoppedBy === undefined) {
      stoppedBy = explanation;
      stop.abort(new Error(explanation.title));
    }
    return stoppedBy;
  };
  options.signal?.addEventListener('abort', () => stopRun(explainCancelled()), { once: true });
  if (options.signal?.aborted) stopRun(explainCancelled());

  /** Why a file did not arrive: the reason the run stopped, or its own failure (which may stop the run). */
  const explain = (file: PlannedFile, error: unknown): Explanation => {
    if (stoppedBy) return stoppedBy;
    const explanation = explainDropboxError(error, {
      dropboxPath: file.dropboxPath,
      ifExists: options.ifExists,
    });
    return stopsTheRun(explanation) ? stopRun(explanation) : explanation;
  };

  try {
    // One token for everybody before anything runs in parallel; a credential problem stops here.
    await api.call('get an access token', () => api.tokens.ensureFresh(), { signal });
  } catch (error) {
    const explanation = stoppedBy ?? stopRun(explainDropboxError(error, {}));
    return { results: plan.map((file) => failedResult(file, '', explanation, 0)), stoppedBy: explanation };
  }

  const results: (FileResult | undefined)[] = plan.map(() => undefined);
  const finish = (index: number, result: FileResult): void => {
    results[index] = result;
    options.log(resultLine(result));
  };

  /** Files that may still become ready to commit; while there are some, a batch may wait for them. */
  let notReady = plan.length;
  const batcher = new CommitBatcher({
    api,
    gate: (once) => slots.run(once, { rank: RANK_COMMIT, signal }),
    signal,
    othersUploading: () => notReady > 0,
    log: options.log,
    ...(options.batchPolicy ? { policy: options.batchPolicy } : {}),
  });
  const commits: Promise<void>[] = [];

  const committedResult = (upload: SessionUpload, metadata: files.FileMetadata): FileResult => {
    const { file } = upload;
    const contentHash = upload.contentHash;
    if (metadata.content_hash !== contentHash) {
      const mismatch = new ContentHashMismatchError(
        file.dropboxPath,
        contentHash,
        metadata.content_hash ?? '(none)',
      );
      return failedResult(file, contentHash, explainDropboxError(mismatch, {}), upload.bytesSent);
    }
    return uploadedResult(file, contentHash, upload.bytesSent, metadata.path_display ?? file.dropboxPath);
  };

  const notCommittedResult = (upload: SessionUpload, error: unknown): FileResult => {
    const { file } = upload;
    if (isExistingFile(error) && options.ifExists === 'skip' && !stoppedBy) {
      return skippedResult(file, upload.contentHashIfKnown, 'already exists', upload.bytesSent);
    }
    return failedResult(file, upload.contentHashIfKnown, explain(file, error), upload.bytesSent);
  };

  /** A file's upload stage: hash, maybe skip, send its bytes, then hand it to the batcher. */
  const uploadOne = async (index: number, file: PlannedFile): Promise<void> => {
    const upload = new SessionUpload(file, {
      api,
      digests: digests.of(file),
      slots,
      lookahead,
      hashing,
      chunkSizeBytes: options.chunkSizeBytes,
      rank: rankOf(file),
      signal,
      log: options.log,
    });
    let ready = false;
    const becameReady = (): void => {
      if (ready) return;
      ready = true;
      notReady -= 1;
      batcher.poke();
    };
    try {
      signal.throwIfAborted();
      const remoteKey = file.dropboxPath.toLowerCase();
      const remoteHash = options.remoteHashes?.get(remoteKey);
      if (remoteHash !== undefined && (await upload.hashAll()) === remoteHash) {
        finish(index, skippedResult(file, remoteHash, 'unchanged', 0));
        return;
      }
      if (
        options.ifExists === 'skip' &&
        !fitsInOneRequest(file.size, options.chunkSizeBytes) &&
        // The listing for skip-unchanged, when there is one, already knows which files are there.
        (options.remoteHashes?.has(remoteKey) ?? (await upload.existsRemotely()))
      ) {
        // Looked up first, so none of a big file's bytes are sent for nothing.
        finish(index, skippedResult(file, upload.contentHashIfKnown, 'already exists', 0));
        return;
      }
      const sessionId = await upload.send();
      const committed = batcher.commit({
        dropboxPath: file.dropboxPath,
        sessionId,
        size: file.size,
        commit: commitFor(file.dropboxPath, options.ifExists),
        contentHash: upload.contentHash,
      });
      commits.push(
        committed.then(
          (metadata) => finish(index, committedResult(upload, metadata)),
          (error: unknown) => finish(index, notCommittedResult(upload, error)),
        ),
      );
    } catch (error) {
      finish(index, notCommittedResult(upload, error));
    } finally {
      becameReady();
    }
  };

  const order = sendingOrder(plan);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let item = order[next++]; item !== undefined; item = order[next++]) {
      if (signal.aborted) {
        // Start nothing new.
        notReady -= 1;
        finish(item.index, failedResult(item.file, '', explain(item.file, abortReason(signal)), 0));
        continue;
      }
      await uploadOne(item.index, item.file);
    }
  };
  await Promise.all(Array.from({ length: filesInProgress(options.concurrency) }, worker));
  batcher.poke();
  await Promise.all(commits);

  const complete = results.map(
    (result, index) =>
      result ??
      failedResult(
        plan[index] as PlannedFile,
        '',
        explain(plan[index] as PlannedFile, new Error('not transferred')),
        0,
      ),
  );
  return stoppedBy ? { results: complete, stoppedBy } : { results: complete };
}
