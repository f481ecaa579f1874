/**
 * Retention after a run in which nothing failed: list the series' folders next to the run's folder,
 * keep what the keep-* rules keep, and delete the rest. The dry run asks the same choice and deletes nothing.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { listRemoteFolder } from '../dropbox/listing.ts';
import { retentionRules, type ActionInputs, type Explanation, type RetentionOutcome } from '../model.ts';
import { retentionTableLines } from '../report/retention-table.ts';
import { display, parentOf } from './folders.ts';
import { lastSegment, seriesMatcher, type WorkflowContext } from './placeholders.ts';
import { deleteEntries, explainPruneFailures } from './prune.ts';
import { selectRetention, type RetentionSelection } from './retention.ts';

type RetentionInputs = Pick<ActionInputs, 'destination' | 'retention'>;

/** Whether any keep-* rule is on: only then is anything considered for deletion. */
export function retentionIsOn(inputs: Pick<ActionInputs, 'retention'>): boolean {
  return retentionRules.some((rule) => (inputs.retention[rule] ?? 0) > 0);
}

export interface RetentionResult {
  /** Display paths of the folders deleted (in a dry run: to be deleted). */
  pruned: string[];
  /** The table of what was considered; absent when the series could not be listed. */
  retention?: RetentionOutcome;
  /** Why retention did not (fully) happen; the step fails with it. */
  failure?: Explanation;
}

/** The series' folders next to the run's folder, each kept or deleted by the rules: one listing of the parent. */
export async function chooseRetention(
  api: DropboxApi,
  inputs: RetentionInputs,
  destination: string,
  context: WorkflowContext,
): Promise<RetentionSelection> {
  const siblings = await listRemoteFolder(api, parentOf(destination), { recursive: false });
  return selectRetention({
    siblings,
    matcher: seriesMatcher(inputs.destination, context),
    currentName: lastSegment(destination),
    policy: inputs.retention,
  });
}

/** The listing failed: nothing is deleted, and the step fails saying so. */
function notListed(error: unknown, destination: string): RetentionResult {
  return {
    pruned: [],
    failure: explainDropboxError(error, { dropboxPath: display(parentOf(destination)), action: 'list' }),
  };
}

/** The choice, said in the log as a table; or, when the series could not be listed, why nothing is deleted. */
async function chooseAndSay(
  api: DropboxApi,
  inputs: RetentionInputs,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<{ selection: RetentionSelection } | { failed: RetentionResult }> {
  try {
    const selection = await chooseRetention(api, inputs, destination, context);
    for (const line of retentionTableLines(selection.rows, inputs.retention, { tense: 'plan' })) log(line);
    return { selection };
  } catch (error) {
    return { failed: notListed(error, destination) };
  }
}

/** A dry run's retention: what a real run would keep and delete, with read requests only. */
export async function planRetention(
  api: DropboxApi,
  inputs: RetentionInputs,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<RetentionResult> {
  const choice = await chooseAndSay(api, inputs, destination, context, log);
  if ('failed' in choice) return choice.failed;
  const { selection } = choice;
  return {
    pruned: selection.toDelete.map((entry) => entry.pathDisplay),
    retention: { policy: inputs.retention, rows: selection.rows, notDeleted: [] },
  };
}

/** Retention for real: choose, say what is kept and why, delete the rest with delete_batch. */
export async function applyRetention(
  api: DropboxApi,
  inputs: RetentionInputs,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<RetentionResult> {
  const choice = await chooseAndSay(api, inputs, destination, context, log);
  if ('failed' in choice) return choice.failed;
  const { selection } = choice;
  const outcome = await deleteEntries(api, selection.toDelete, { log });
  const notDeleted = outcome.failures.map((failure) => failure.path);
  const retention = { policy: inputs.retention, rows: selection.rows, notDeleted };
  if (outcome.failures.length === 0) return { pruned: outcome.deleted, retention };
  for (const failure of outcome.failures) log(`not deleted: ${failure.path}: ${failure.explanation.title}`);
  return {
    pruned: outcome.deleted,
    retention,
    failure: explainPruneFailures(outcome.failures, selection.toDelete.length),
  };
}
