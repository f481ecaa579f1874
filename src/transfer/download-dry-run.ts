/**
 * The restore's dry run: what a real run would write, skip or fail, from the same decision the restore
 * makes (download-decision.ts), with nothing written: no folder made, no file touched, no request sent.
 */
import path from 'node:path';
import type { DownloadResult, FolderResult, RestorePlan } from '../model.ts';
import { decideLocal, hashingLimiter } from './download-decision.ts';
import { explainDownloadError, explainRestoreCancelled } from './download-explanations.ts';
import {
  downloadResultLine,
  finishedOutcome,
  folderResultLine,
  planItems,
  problemResult,
  resultOf,
  stoppedOutcome,
  type RestoreOutcome,
} from './download-results.ts';
import type { RestoreOptions } from './download.ts';
import { folderWouldBeBlocked, localEntryAt } from './local-target.ts';

/** Files looked at at once: each is an lstat or two, and a hash for skip-unchanged (limited on its own). */
const LOOKING_AT_ONCE = 8;

export type DryRunOptions = Pick<RestoreOptions, 'ifExists' | 'skipUnchanged' | 'log' | 'signal'>;

/**
 * Every planned file as a real run would report it: `downloaded` (would download), `skipped` with its
 * reason, or `failed` with the explanation a real run would give before sending anything (a local file
 * with `if-exists: fail`, a folder in the way, a name the runner cannot hold). Failures that only the
 * transfer finds (bytes, disk space) cannot be foreseen.
 */
export async function dryRunRestore(plan: RestorePlan, options: DryRunOptions): Promise<RestoreOutcome> {
  const signal = options.signal ?? new AbortController().signal;
  const items = planItems(plan);
  const finish = (result: DownloadResult): DownloadResult => {
    options.log(downloadResultLine(result, true));
    return result;
  };

  const targetBlocked = await folderWouldBeBlocked(plan.target, plan.target).catch((error: unknown) => error);
  if (targetBlocked !== undefined) {
    const explanation = explainDownloadError(targetBlocked, {
      dropboxPath: plan.source,
      localPath: plan.target,
    });
    return stoppedOutcome(plan, items, explanation);
  }

  const folders: FolderResult[] = [];
  for (const folder of plan.folders) {
    try {
      const blocked = await folderWouldBeBlocked(plan.target, folder.localPath);
      if (blocked !== undefined) throw blocked;
      const exists = (await localEntryAt(folder.localPath)).kind === 'folder';
      folders.push({ ...folder, status: exists ? 'exists' : 'created' });
    } catch (error) {
      folders.push({ ...folder, status: 'failed', error: explainDownloadError(error, folder) });
    }
  }
  for (const folder of folders) options.log(folderResultLine(folder, true));

  const hashing = hashingLimiter();
  const results: DownloadResult[] = new Array<DownloadResult>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as (typeof items)[number];
      if (item.kind === 'problem') {
        results[index] = finish(problemResult(item.problem));
        continue;
      }
      const { file } = item;
      try {
        signal.throwIfAborted();
        const blocked = await folderWouldBeBlocked(plan.target, path.dirname(file.localPath));
        if (blocked !== undefined) throw blocked;
        const decision = await decideLocal(file, { ...options, hashing, signal });
        results[index] = finish(
          decision.action === 'download'
            ? resultOf(file, 'downloaded', 0)
            : decision.action === 'skip'
              ? resultOf(file, 'skipped', 0, { reason: decision.reason })
              : resultOf(file, 'failed', 0, { error: decision.error }),
        );
      } catch (error) {
        const explanation = signal.aborted ? explainRestoreCancelled() : explainDownloadError(error, file);
        results[index] = finish(resultOf(file, 'failed', 0, { error: explanation }));
      }
    }
  };
  await Promise.all(Array.from({ length: LOOKING_AT_ONCE }, worker));
  return finishedOutcome(
    plan,
    items,
    results,
    folders,
    signal.aborted ? explainRestoreCancelled() : undefined,
  );
}
