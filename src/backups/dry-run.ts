/**
 * A dry run: check the credentials, list what the plan depends on, hash the local files, and decide
 * what a real run would upload, skip and delete. Only read requests are made.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { listRemoteFolder } from '../dropbox/listing.ts';
import { RemoteIndex } from '../transfer/decide.ts';
import type { ActionInputs, Explanation, FileResult, PlannedFile } from '../model.ts';
import type { WorkflowContext } from './placeholders.ts';
import { resultLine } from '../report/file-results.ts';
import { failureFacts } from '../dropbox/retry.ts';
import { hashLocalFiles, planDryRun } from './dry-run-plan.ts';
import { display, parentOf } from './folders.ts';
import { chooseOldFolders } from './keep-last.ts';

export interface DryRunResult {
  /** What a real run would do with each file. */
  results: FileResult[];
  /** keep-last's plan: folders a real run would delete; undefined when keep-last is off. */
  pruned?: string[];
  /** The credentials or a listing failed: the dry run could not tell. */
  failure?: Explanation;
}

/** One read-only request that needs a valid token, and nothing else of the app. */
async function checkCredentials(api: DropboxApi): Promise<void> {
  try {
    await api.call('check the credentials', (context) =>
      api.sdk.usersGetCurrentAccount({ signal: context.signal }),
    );
  } catch (error) {
    // Dropbox checks the token before the scope: a missing scope means the token itself is good.
    if (failureFacts(error).tags.includes('missing_scope')) return;
    throw error;
  }
}

/**
 * A dry run: check the credentials, list what the plan depends on, hash the local files, and decide
 * what a real run would upload, skip and delete. Only read requests are made.
 */
export async function dryRun(
  api: DropboxApi,
  inputs: Pick<
    ActionInputs,
    'destination' | 'keepLast' | 'skipUnchanged' | 'ifExists' | 'chunkSizeBytes' | 'concurrency'
  >,
  files: readonly PlannedFile[],
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<DryRunResult> {
  try {
    await checkCredentials(api);
  } catch (error) {
    return { results: [], failure: explainDropboxError(error, {}) };
  }
  log('The Dropbox credentials work: Dropbox accepted them and answered.');

  const needsListing =
    files.length > 0 && (inputs.skipUnchanged || ['skip', 'fail'].includes(inputs.ifExists));
  let remote: RemoteIndex | undefined;
  if (needsListing) {
    try {
      remote = new RemoteIndex(await listRemoteFolder(api, destination, { recursive: true }));
    } catch (error) {
      return {
        results: [],
        failure: explainDropboxError(error, { dropboxPath: display(destination), action: 'list' }),
      };
    }
  }
  const results = planDryRun({
    files,
    remote,
    localHashes: await hashLocalFiles(files, inputs.chunkSizeBytes, inputs.concurrency),
    skipUnchanged: inputs.skipUnchanged,
    ifExists: inputs.ifExists,
  });
  for (const result of results) log(resultLine(result, true));

  if (inputs.keepLast === 0) return { results };
  if (results.some((result) => result.status === 'failed')) {
    log('keep-last: a real run with a failed file deletes nothing, so nothing would be deleted.');
    return { results, pruned: [] };
  }
  try {
    const chosen = await chooseOldFolders(api, inputs, destination, context, log);
    for (const entry of chosen) log(`would delete ${entry.pathDisplay}`);
    return { results, pruned: chosen.map((entry) => entry.pathDisplay) };
  } catch (error) {
    return {
      results,
      failure: explainDropboxError(error, { dropboxPath: display(parentOf(destination)), action: 'list' }),
    };
  }
}
