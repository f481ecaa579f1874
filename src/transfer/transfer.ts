/**
 * Uploads the planned files: every request within the pacer's width (it starts at `concurrency` and
 * adapts to Dropbox's answers), big files' chunks within `concurrency`, bigger files first, small files in
 * one request each, big ones in concurrent sessions, all committed in batches. session-upload.ts sends a
 * file's bytes; commit-batch.ts commits; this module schedules and reports. What it keeps per file is
 * the file's result and nothing else, so memory does not grow with the number of files beyond that.
 */
import { DropboxResponseError, type files } from 'dropbox';
import type { DropboxApi } from '../dropbox/client.ts';
import { fitsInOneRequest } from './chunks.ts';
import { budgetsFor } from './budgets.ts';
import { CommitBatcher, type BatchPolicy } from './commit-batch.ts';
import { commitFor } from './commit-info.ts';
import { decide, needsLocalHash, type RemoteIndex, type RemoteState } from './decide.ts';
import { findTagged, tagOf } from '../dropbox/error-body.ts';
import { ContentHashMismatchError } from '../dropbox/errors.ts';
import { DigestStore } from './file-digests.ts';
import { fitHeapToFiles } from './heap.ts';
import { failedResult, resultLine, skippedResult, uploadedResult } from '../report/file-results.ts';
import { explainCancelled, explainConflict, explainDropboxError } from '../dropbox/explain/explain.ts';
import { abortReason } from '../cancellation.ts';
import { Limiter, RANK_FIRST } from './limiter.ts';
import type { Explanation, FileResult, IfExists, PlannedFile } from '../model.ts';
import { Outstanding } from './outstanding.ts';
import type { ProgressSink } from './run-progress.ts';
import { explainRefusedRun, RunStop, stopsTheRun } from './run-stops.ts';
import { rankOf, sendingOrder } from './sending-order.ts';
import { SessionUpload } from './session-upload.ts';

export { firstRanges, startHashingAhead } from './sending-order.ts';

export interface TransferOptions {
  chunkSizeBytes: number;
  concurrency: number;
  ifExists: IfExists;
  /** Lines for the log: retries, progress. */
  log: (line: string) => void;
  /** Cancellation: start nothing new, abort what is in flight, and report what did not arrive. */
  signal?: AbortSignal;
  /**
   * The destination as listed before the upload (for skip-unchanged). Every file is decided from it before
   * any byte is sent: unchanged or (with if-exists: skip) existing files are skipped, and a file with
   * something in its way fails. Without it, a big file is looked up first when if-exists is skip or fail.
   */
  listing?: RemoteIndex;
  /** Skip a file whose content Dropbox already has at its path (needs `listing`, or a lookup). */
  skipUnchanged?: boolean;
  /** How batches of commits are formed; the defaults suit real runs (tests shorten the wait). */
  batchPolicy?: Partial<BatchPolicy>;
  /** Block digests hashed before the transfer began (see hashAhead); by default it hashes everything itself. */
  digests?: DigestStore;
  /** The run's overall progress: told the bytes that reach Dropbox and each file finished. */
  progress?: ProgressSink;
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
const RANK_COMMIT = RANK_FIRST;

/**
 * Dropbox refused the write because a file is already at the path. A folder there, or a file where a
 * parent folder should be, is a different problem that no if-exists setting resolves: such a file fails.
 */
function isExistingFile(error: unknown): boolean {
  const body = error instanceof DropboxResponseError ? (error.error as unknown) : undefined;
  return tagOf(findTagged(body, 'conflict')?.['conflict']) === 'file';
}

/**
 * Uploads every planned file. Requests share the pacer's width; a file that fails is reported and the
 * others go on, except when the whole run must stop (credentials, a full Dropbox, Dropbox refusing every
 * request, cancellation): then nothing new starts, what is in flight is aborted, and every file not
 * committed is reported failed with that reason.
 */
export async function transferFiles(
  plan: readonly PlannedFile[],
  api: DropboxApi,
  options: TransferOptions,
): Promise<TransferOutcome> {
  const budgets = budgetsFor(options.concurrency);
  fitHeapToFiles(plan.length);
  api.pacer.setWidth(budgets.requests, budgets.maxRequests);
  const slots = new Limiter(() => api.pacer.width);
  const chunks = new Limiter(budgets.chunks);
  const lookahead = new Limiter(budgets.lookahead);
  const hashing = new Limiter(budgets.hashing);
  const bigFiles = new Limiter(budgets.bigFilesInProgress);
  const digests = options.digests ?? new DigestStore(budgets.keptFileBytes);
  const runStop = new RunStop(options.signal, explainCancelled);
  const { signal } = runStop;

  /** Why a file did not arrive: the reason the run stopped, or its own failure (which may stop the run). */
  const explain = (file: PlannedFile, error: unknown): Explanation => {
    if (runStop.stoppedBy) return runStop.stoppedBy;
    const refusal = api.pacer.refusal;
    if (refusal !== undefined) return runStop.stop(explainRefusedRun(refusal.error, refusal.windows));
    const explanation = explainDropboxError(error, {
      dropboxPath: file.dropboxPath,
      ifExists: options.ifExists,
    });
    return stopsTheRun(explanation) ? runStop.stop(explanation) : explanation;
  };

  try {
    // One token for everybody before anything runs in parallel; a credential problem stops here.
    await api.call('get an access token', () => api.tokens.ensureFresh(), { signal });
  } catch (error) {
    const refusal = api.pacer.refusal;
    const explanation = runStop.stop(
      refusal === undefined
        ? explainDropboxError(error, {})
        : explainRefusedRun(refusal.error, refusal.windows),
    );
    return { results: plan.map((file) => failedResult(file, '', explanation, 0)), stoppedBy: explanation };
  }

  const results: (FileResult | undefined)[] = new Array<FileResult | undefined>(plan.length);
  /** A file's result, in its place in the plan; `arrived`: its bytes already counted as progress. */
  const finish = (index: number, result: FileResult, arrived = 0): void => {
    const file = plan[index] as PlannedFile;
    results[index] = result;
    options.log(resultLine(result));
    digests.release(file);
    options.progress?.fileDone(file.size, arrived);
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
  const commits = new Outstanding();

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
    // Dropbox's answer spelled the same way as the plan: keep the plan's string, not one more per file.
    const shown = metadata.path_display;
    const dropboxPath = shown === undefined || shown === file.dropboxPath ? file.dropboxPath : shown;
    return uploadedResult(file, contentHash, upload.bytesSent, dropboxPath);
  };

  const notCommittedResult = (upload: SessionUpload, error: unknown): FileResult => {
    const { file } = upload;
    if (isExistingFile(error) && options.ifExists === 'skip' && !runStop.stoppedBy) {
      return skippedResult(file, upload.contentHashIfKnown, 'already exists', upload.bytesSent);
    }
    return failedResult(file, upload.contentHashIfKnown, explain(file, error), upload.bytesSent);
  };

  const rules = {
    skipUnchanged: options.skipUnchanged === true && options.listing !== undefined,
    ifExists: options.ifExists,
  };

  /**
   * What is at the file's path, when it matters before sending: from the listing, or (if-exists skip or
   * fail, no listing) one lookup for a big file. A small file is decided by its commit, which costs no more.
   */
  const remoteStateOf = async (upload: SessionUpload): Promise<RemoteState | undefined> => {
    if (options.listing !== undefined) return options.listing.stateAt(upload.file.dropboxPath);
    const decidedBeforeSending = options.ifExists === 'skip' || options.ifExists === 'fail';
    if (!decidedBeforeSending || fitsInOneRequest(upload.file.size, options.chunkSizeBytes)) return undefined;
    return upload.remoteState();
  };

  const arrived = options.progress ? (bytes: number): void => options.progress?.addBytes(bytes) : undefined;

  /** A file's upload stage: hash, decide, send its bytes, then hand it to the batcher. */
  const uploadOne = async (index: number, file: PlannedFile): Promise<void> => {
    const upload = new SessionUpload(file, {
      api,
      digests: digests.of(file),
      slots,
      chunks,
      lookahead,
      hashing,
      chunkSizeBytes: options.chunkSizeBytes,
      rank: rankOf(file),
      signal,
      log: options.log,
      ...(arrived === undefined ? {} : { arrived }),
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
      const remote = await remoteStateOf(upload);
      if (remote !== undefined) {
        const localHash = needsLocalHash(remote, rules) ? await upload.hashAll() : undefined;
        const decision = decide(remote, localHash, rules);
        if (decision.action === 'skip') {
          finish(index, skippedResult(file, upload.contentHashIfKnown, decision.reason, 0));
          return;
        }
        if (decision.action === 'refuse') {
          const explanation = explainConflict(decision.conflict, {
            dropboxPath: file.dropboxPath,
            ifExists: options.ifExists,
          });
          finish(index, failedResult(file, upload.contentHashIfKnown, explanation, 0));
          return;
        }
      }
      const sessionId = await upload.send();
      const committed = batcher.commit({
        dropboxPath: file.dropboxPath,
        sessionId,
        size: file.size,
        commit: commitFor(file.dropboxPath, options.ifExists, file.modifiedMs),
        contentHash: upload.contentHash,
      });
      commits.track(
        committed.then(
          (metadata) => finish(index, committedResult(upload, metadata), upload.bytesArrived),
          (error: unknown) => finish(index, notCommittedResult(upload, error), upload.bytesArrived),
        ),
      );
    } catch (error) {
      finish(index, notCommittedResult(upload, error), upload.bytesArrived);
    } finally {
      becameReady();
    }
  };

  const order = sendingOrder(plan);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const index = order[next++] as number;
      const file = plan[index] as PlannedFile;
      if (signal.aborted) {
        // Start nothing new.
        notReady -= 1;
        finish(index, failedResult(file, '', explain(file, abortReason(signal)), 0));
        continue;
      }
      // A small file costs a request and little memory; big files in their upload stage are bounded.
      if (fitsInOneRequest(file.size, options.chunkSizeBytes)) await uploadOne(index, file);
      else await bigFiles.run(() => uploadOne(index, file));
    }
  };
  await Promise.all(Array.from({ length: Math.min(budgets.filesInProgress, plan.length) }, worker));
  batcher.poke();
  await commits.settled();

  const complete = plan.map(
    (file, index) => results[index] ?? failedResult(file, '', explain(file, new Error('not transferred')), 0),
  );
  const { stoppedBy } = runStop;
  return stoppedBy ? { results: complete, stoppedBy } : { results: complete };
}
