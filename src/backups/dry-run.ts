/**
 * A dry run: check the credentials, list what the plan depends on, hash the local files, and decide
 * what a real run would upload, skip and delete. Only read requests are made.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { listRemoteFolder } from '../dropbox/listing.ts';
import { RemoteIndex } from '../transfer/decide.ts';
import type {
  ActionInputs,
  Explanation,
  FileResult,
  FolderResult,
  RetentionOutcome,
  UploadPlan,
} from '../model.ts';
import { folderLine, planFolders } from '../transfer/create-folders.ts';
import type { WorkflowContext } from './placeholders.ts';
import { resultLine } from '../report/file-results.ts';
import { failureFacts } from '../dropbox/retry.ts';
import { hashLocalFiles, planDryRun } from './dry-run-plan.ts';
import { display } from './folders.ts';
import { planRetention, retentionIsOn } from './retention-phase.ts';

export interface DryRunResult {
  /** What a real run would do with each file. */
  results: FileResult[];
  /** What a real run would do with each empty folder. */
  folders: FolderResult[];
  /** Retention's plan: folders a real run would delete; undefined when no keep-* rule is on. */
  pruned?: string[];
  /** Retention's table: what a real run would keep, and why. */
  retention?: RetentionOutcome;
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
    'destination' | 'retention' | 'skipUnchanged' | 'ifExists' | 'chunkSizeBytes' | 'concurrency'
  >,
  plan: Pick<UploadPlan, 'files' | 'folders'>,
  destination: string,
  context: WorkflowContext,
  log: (line: string) => void,
): Promise<DryRunResult> {
  const { files } = plan;
  try {
    await checkCredentials(api);
  } catch (error) {
    return { results: [], folders: [], failure: explainDropboxError(error, {}) };
  }
  log('The Dropbox credentials work: Dropbox accepted them and answered.');

  const needsListing =
    (files.length > 0 || plan.folders.length > 0) &&
    (inputs.skipUnchanged || ['skip', 'fail'].includes(inputs.ifExists));
  let remote: RemoteIndex | undefined;
  if (needsListing) {
    try {
      remote = new RemoteIndex(await listRemoteFolder(api, destination, { recursive: true }));
    } catch (error) {
      return {
        results: [],
        folders: [],
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
  const folders = planFolders(
    plan.folders,
    remote === undefined ? undefined : (path) => remote.stateAt(path),
  );
  for (const folder of folders) log(folderLine(folder, true));

  if (!retentionIsOn(inputs)) return { results, folders };
  const failed = [...results, ...folders].some((result) => result.status === 'failed');
  if (failed) {
    log('Retention: a real run with a failed file deletes nothing, so nothing would be deleted.');
    return { results, folders, pruned: [] };
  }
  const planned = await planRetention(api, inputs, destination, context, log);
  for (const path of planned.pruned) log(`would delete ${path}`);
  return {
    results,
    folders,
    pruned: planned.pruned,
    ...(planned.retention === undefined ? {} : { retention: planned.retention }),
    ...(planned.failure === undefined ? {} : { failure: planned.failure }),
  };
}
