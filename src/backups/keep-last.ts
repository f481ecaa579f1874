/** keep-last, after a run in which nothing failed: delete the series' older run folders. */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { listRemoteFolder, type RemoteEntry } from '../dropbox/listing.ts';
import type { ActionInputs, Explanation } from '../model.ts';
import { lastSegment, seriesMatcher, type WorkflowContext } from './placeholders.ts';
import { display, parentOf } from './folders.ts';
import { choosePrune, deleteEntries, explainPruneFailures } from './prune.ts';

export interface PruneResult {
  /** Display paths of the folders deleted (in a dry run: to be deleted). */
  pruned: string[];
  /** Why retention did not (fully) happen; the step fails with it. */
  failure?: Explanation;
}

/** The series' folders next to the run's folder that keep-last would delete: one listing of the parent. */
export async function chooseOldFolders(
  api: DropboxApi,
  inputs: Pick<ActionInputs, 'destination' | 'keepLast'>,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<RemoteEntry[]> {
  const siblings = await listRemoteFolder(api, parentOf(destination), { recursive: false });
  const chosen = choosePrune({
    siblings,
    matcher: seriesMatcher(inputs.destination, context),
    currentName: lastSegment(destination),
    keepLast: inputs.keepLast,
  });
  log(
    `keep-last ${inputs.keepLast}: ${chosen.length} older folder(s) of ${display(parentOf(destination))}/` +
      `${lastSegment(inputs.destination)} to delete.`,
  );
  return chosen;
}

/**
 * keep-last, after a run in which nothing failed: list the destination's parent, keep the newest
 * `keepLast` folders of the series (and the run's own) and delete the rest with delete_batch.
 */
export async function pruneAfterRun(
  api: DropboxApi,
  inputs: Pick<ActionInputs, 'destination' | 'keepLast'>,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<PruneResult> {
  let chosen: RemoteEntry[];
  try {
    chosen = await chooseOldFolders(api, inputs, destination, context, log);
  } catch (error) {
    return {
      pruned: [],
      failure: explainDropboxError(error, { dropboxPath: display(parentOf(destination)), action: 'list' }),
    };
  }
  const outcome = await deleteEntries(api, chosen, { log });
  if (outcome.failures.length === 0) return { pruned: outcome.deleted };
  for (const failure of outcome.failures) log(`not deleted: ${failure.path}: ${failure.explanation.title}`);
  return { pruned: outcome.deleted, failure: explainPruneFailures(outcome.failures, chosen.length) };
}
