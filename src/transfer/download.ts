/**
 * Restores the planned files: one `concurrency` budget shared by every request, bigger files first.
 * Each file is decided (download-decision.ts), then downloaded (download-file.ts): streamed to a
 * temporary name, checked against the listing's content hash, and only then renamed into place.
 */
import path from 'node:path';
import { abortReason } from '../cancellation.ts';
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import type {
  DownloadResult,
  Explanation,
  FolderResult,
  PlannedDownload,
  RestoreIfExists,
  RestorePlan,
} from '../model.ts';
import { HASH_BLOCK_BYTES } from './content-hash.ts';
import { decideLocal, hashingLimiter } from './download-decision.ts';
import { explainDownloadError, explainRestoreCancelled } from './download-explanations.ts';
import { FileDownload } from './download-file.ts';
import {
  downloadResultLine,
  finishedOutcome,
  folderResultLine,
  planItems,
  problemResult,
  resultOf,
  stoppedOutcome,
  type PlanItem,
  type RestoreOutcome,
} from './download-results.ts';
import { Limiter } from './limiter.ts';
import { LocalFolders, localEntryAt } from './local-target.ts';
import type { ProgressSink } from './run-progress.ts';
import { RunStop, stopsTheRun } from './run-stops.ts';

export { DOWNLOADS_PER_FILE } from './download-file.ts';
export { downloadResultLine, type RestoreOutcome } from './download-results.ts';

export interface RestoreOptions {
  /** Bytes per ranged request for files bigger than this; a positive multiple of 4 MiB. */
  chunkSizeBytes: number;
  concurrency: number;
  ifExists: RestoreIfExists;
  /** A local file whose content hash equals the listing's is not downloaded: skipped, "unchanged". */
  skipUnchanged: boolean;
  /** Lines for the log: results, retries, progress. Outside text in them is the host's to make inert. */
  log: (line: string) => void;
  /** Cancellation: start nothing new, abort what is in flight, leave no partial file, report the rest. */
  signal?: AbortSignal;
  /** The run's overall progress: told the bytes that arrive and each file (or file problem) finished. */
  progress?: ProgressSink;
}

/** Files whose requests may wait for slots at once: enough to keep every slot busy. */
function filesInProgress(concurrency: number): number {
  return Math.max(2, concurrency * 2);
}

/**
 * Restores every planned file and empty folder into `plan.target`. A file that fails is reported and the
 * others go on, except when the whole run must stop (credentials, cancellation): then nothing new starts,
 * what is in flight is aborted, and every file not in place is reported failed with that reason. A file
 * that does not arrive byte-exact never appears under its name, and a local file it would replace stays
 * as it was.
 */
export async function restoreFiles(
  plan: RestorePlan,
  api: DropboxApi,
  options: RestoreOptions,
): Promise<RestoreOutcome> {
  if (
    !Number.isInteger(options.chunkSizeBytes) ||
    options.chunkSizeBytes <= 0 ||
    options.chunkSizeBytes % HASH_BLOCK_BYTES !== 0
  )
    throw new RangeError(`chunk size must be a positive multiple of 4 MiB, got ${options.chunkSizeBytes}`);
  const slots = new Limiter(options.concurrency);
  const hashing = hashingLimiter();
  const runStop = new RunStop(options.signal, explainRestoreCancelled);
  const { signal } = runStop;

  const explain = (file: PlannedDownload, error: unknown): Explanation => {
    if (runStop.stoppedBy) return runStop.stoppedBy;
    const explanation = explainDownloadError(error, file);
    return stopsTheRun(explanation) ? runStop.stop(explanation) : explanation;
  };

  const items = planItems(plan);
  const results: (DownloadResult | undefined)[] = items.map(() => undefined);
  const finish = (index: number, result: DownloadResult): void => {
    results[index] = result;
    options.progress?.fileDone(result.size, Math.min(result.size, result.bytesReceived));
    options.log(downloadResultLine(result));
  };
  items.forEach((item, index) => {
    if (item.kind === 'problem') finish(index, problemResult(item.problem));
  });
  const failEverything = (explanation: Explanation): RestoreOutcome =>
    stoppedOutcome(plan, items, runStop.stop(explanation), results);

  try {
    // One token for everybody before anything runs in parallel; a credential problem stops here.
    await api.call('get an access token', () => api.tokens.ensureFresh(), { signal });
  } catch (error) {
    return failEverything(explainDropboxError(error, { action: 'download' }));
  }

  const local = new LocalFolders(plan.target);
  try {
    await local.ensure(plan.target);
  } catch (error) {
    return failEverything(explainDownloadError(error, { dropboxPath: plan.source, localPath: plan.target }));
  }
  const folders = await createFolders(plan, local, signal, () => runStop.stoppedBy);
  for (const folder of folders) options.log(folderResultLine(folder));

  const restoreOne = async (index: number, file: PlannedDownload, rank: number): Promise<void> => {
    const download = new FileDownload(file, {
      api,
      slots,
      chunkSizeBytes: options.chunkSizeBytes,
      rank,
      signal,
      log: options.log,
      ...(options.progress === undefined ? {} : { received: (bytes) => options.progress?.addBytes(bytes) }),
    });
    try {
      signal.throwIfAborted();
      await local.ensure(path.dirname(file.localPath));
      const decision = await decideLocal(file, { ...options, hashing, signal });
      if (decision.action === 'skip') {
        finish(index, resultOf(file, 'skipped', 0, { reason: decision.reason }));
        return;
      }
      if (decision.action === 'fail') {
        finish(index, resultOf(file, 'failed', 0, { error: decision.error }));
        return;
      }
      await download.run();
      finish(index, resultOf(file, 'downloaded', download.bytesReceived));
    } catch (error) {
      finish(index, resultOf(file, 'failed', download.bytesReceived, { error: explain(file, error) }));
    }
  };

  const order = items
    .map((item, index) => ({ item, index }))
    .filter(
      (entry): entry is { item: Extract<PlanItem, { kind: 'file' }>; index: number } =>
        entry.item.kind === 'file',
    )
    .sort((a, b) => b.item.file.size - a.item.file.size || a.index - b.index);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let rank = next++; rank < order.length; rank = next++) {
      const { item, index } = order[rank] as (typeof order)[number];
      if (signal.aborted) {
        // Start nothing new.
        finish(index, resultOf(item.file, 'failed', 0, { error: explain(item.file, abortReason(signal)) }));
        continue;
      }
      await restoreOne(index, item.file, rank);
    }
  };
  await Promise.all(Array.from({ length: filesInProgress(options.concurrency) }, worker));

  const { stoppedBy } = runStop;
  return finishedOutcome(plan, items, results, folders, stoppedBy, stoppedBy ?? explainRestoreCancelled());
}

/** The plan's empty folders, made inside the target (never through a link). */
async function createFolders(
  plan: RestorePlan,
  local: LocalFolders,
  signal: AbortSignal,
  stoppedBy: () => Explanation | undefined,
): Promise<FolderResult[]> {
  const results: FolderResult[] = [];
  for (const folder of plan.folders) {
    try {
      signal.throwIfAborted();
      const existed = (await localEntryAt(folder.localPath)).kind === 'folder';
      await local.ensure(folder.localPath);
      results.push({ ...folder, status: existed ? 'exists' : 'created' });
    } catch (error) {
      const explanation = stoppedBy() ?? explainDownloadError(error, folder);
      results.push({ ...folder, status: 'failed', error: explanation });
    }
  }
  return results;
}
