/**
 * The run phases scheduled backups add around the upload, each a small step main.ts calls in order:
 * resolve the destination (plan phase), list it to skip unchanged files (before the upload), prune old
 * run folders (after a run in which nothing failed), and the dry run (no write request at all).
 * The decisions live in pure modules (placeholders, prune, dry-run); this is their Dropbox and log edge.
 */
import * as core from '@actions/core';
import type { DropboxApi } from './client.ts';
import { hashLocalFiles, planDryRun } from './dry-run.ts';
import { explainDropboxError, titles, type ExplainContext } from './explain.ts';
import { resultLine } from './file-results.ts';
import { InputError, normaliseDestination } from './inputs.ts';
import type { ActionInputs, Explanation, FileResult, PlannedFile } from './model.ts';
import {
  lastSegment,
  resolveTemplate,
  seriesMatcher,
  TemplateError,
  type WorkflowContext,
} from './placeholders.ts';
import { choosePrune, deleteEntries, explainPruneFailures } from './prune.ts';
import { listRemoteFolder, remoteHashesOf, type RemoteEntry } from './remote-listing.ts';
import { failureFacts } from './retry.ts';

const APP_CONSOLE = 'the Dropbox App Console (https://www.dropbox.com/developers/apps)';

/**
 * The run's Dropbox folder: the template's placeholders resolved from one instant, so every file of the
 * run lands in the same folder, then checked like the input itself. Fails before any request.
 */
export function resolveRunDestination(template: string, now: Date, context: WorkflowContext): string {
  if (template === '') return '';
  try {
    return normaliseDestination(resolveTemplate(template, now, context));
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new InputError(`Input "destination" is ${JSON.stringify(template)}; ${error.reason}`);
    }
    throw error;
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function display(path: string): string {
  return path === '' ? '/' : path;
}

/**
 * Why the skip-unchanged listing failed. A missing scope gets its own explanation, scoped to the
 * listing only: the run goes on and sends every file, so the fix is optional and says how.
 */
export function explainSkipUnchangedListing(error: unknown, context: ExplainContext): Explanation {
  const explanation = explainDropboxError(error, context);
  if (explanation.title !== titles.missingScope) return explanation;
  return {
    title: titles.skipUnchangedNeedsPermission,
    message:
      'skip-unchanged needs the "files.metadata.read" permission to see what Dropbox already has, and the ' +
      'app behind this token lacks it, so every file is sent. To skip unchanged files, open the app in ' +
      `${APP_CONSOLE}, tick "files.metadata.read" on its Permissions tab and click Submit, then get a NEW ` +
      'token (existing tokens keep the permissions they were issued with) and update the secret. Or set ' +
      '"skip-unchanged: false".',
    scope: 'file',
  };
}

export interface UploadListing {
  /** Content hashes of what the destination holds; undefined when it could not be listed. */
  remoteHashes?: ReadonlyMap<string, string>;
  /** A credential problem (or a missing scope keep-last needs): the run stops before the upload. */
  stoppedBy?: Explanation;
}

/**
 * One recursive listing of the destination, for skip-unchanged. The listing is an optimisation: when the
 * app lacks files.metadata.read, or Dropbox does not answer, one warning says so and every file is sent.
 * keep-last needs the same permission, so then a missing scope stops the run before anything is sent.
 */
export async function listForSkipUnchanged(
  api: DropboxApi,
  destination: string,
  scopeRequired: boolean,
): Promise<UploadListing> {
  try {
    const entries = await listRemoteFolder(api, destination, { recursive: true });
    const remoteHashes = remoteHashesOf(entries);
    core.info(
      `${display(destination)} holds ${remoteHashes.size} file(s) in Dropbox; a file with the same content is not sent again.`,
    );
    return { remoteHashes };
  } catch (error) {
    const context = { dropboxPath: display(destination), action: 'list' } as const;
    const explanation = scopeRequired
      ? explainDropboxError(error, context)
      : explainSkipUnchangedListing(error, context);
    if (explanation.title === titles.skipUnchangedNeedsPermission) {
      core.warning(explanation.message, { title: explanation.title });
      return {};
    }
    if (explanation.scope === 'credentials') return { stoppedBy: explanation };
    core.warning(
      `Could not list ${display(destination)} in Dropbox to skip unchanged files, so every file is sent. ` +
        explanation.message,
      { title: explanation.title },
    );
    return {};
  }
}

export interface PruneResult {
  /** Display paths of the folders deleted (in a dry run: to be deleted). */
  pruned: string[];
  /** Why retention did not (fully) happen; the step fails with it. */
  failure?: Explanation;
}

/** The series' folders next to the run's folder that keep-last would delete: one listing of the parent. */
async function chooseOldFolders(
  api: DropboxApi,
  inputs: Pick<ActionInputs, 'destination' | 'keepLast'>,
  destination: string,
  context: WorkflowContext,
): Promise<RemoteEntry[]> {
  const siblings = await listRemoteFolder(api, parentOf(destination), { recursive: false });
  const chosen = choosePrune({
    siblings,
    matcher: seriesMatcher(inputs.destination, context),
    currentName: lastSegment(destination),
    keepLast: inputs.keepLast,
  });
  core.info(
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
): Promise<PruneResult> {
  let chosen: RemoteEntry[];
  try {
    chosen = await chooseOldFolders(api, inputs, destination, context);
  } catch (error) {
    return {
      pruned: [],
      failure: explainDropboxError(error, { dropboxPath: display(parentOf(destination)), action: 'list' }),
    };
  }
  const outcome = await deleteEntries(api, chosen, { log: (line) => core.info(line) });
  if (outcome.failures.length === 0) return { pruned: outcome.deleted };
  for (const failure of outcome.failures)
    core.info(`not deleted: ${failure.path}: ${failure.explanation.title}`);
  return { pruned: outcome.deleted, failure: explainPruneFailures(outcome.failures, chosen.length) };
}

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
  inputs: Pick<ActionInputs, 'destination' | 'keepLast' | 'skipUnchanged' | 'ifExists' | 'chunkSizeBytes'>,
  files: readonly PlannedFile[],
  destination: string,
  context: WorkflowContext,
): Promise<DryRunResult> {
  try {
    await checkCredentials(api);
  } catch (error) {
    return { results: [], failure: explainDropboxError(error, {}) };
  }
  core.info('The Dropbox credentials work: Dropbox accepted them and answered.');

  const needsListing =
    files.length > 0 && (inputs.skipUnchanged || ['skip', 'fail'].includes(inputs.ifExists));
  let remote: RemoteEntry[] = [];
  if (needsListing) {
    try {
      remote = await listRemoteFolder(api, destination, { recursive: true });
    } catch (error) {
      return {
        results: [],
        failure: explainDropboxError(error, { dropboxPath: display(destination), action: 'list' }),
      };
    }
  }
  const results = planDryRun({
    files,
    remote: new Map(remote.map((entry) => [entry.pathLower, entry])),
    localHashes: await hashLocalFiles(files, inputs.chunkSizeBytes),
    skipUnchanged: inputs.skipUnchanged,
    ifExists: inputs.ifExists,
  });
  for (const result of results) core.info(resultLine(result, true));

  if (inputs.keepLast === 0) return { results };
  if (results.some((result) => result.status === 'failed')) {
    core.info('keep-last: a real run with a failed file deletes nothing, so nothing would be deleted.');
    return { results, pruned: [] };
  }
  try {
    const chosen = await chooseOldFolders(api, inputs, destination, context);
    for (const entry of chosen) core.info(`would delete ${entry.pathDisplay}`);
    return { results, pruned: chosen.map((entry) => entry.pathDisplay) };
  } catch (error) {
    return {
      results,
      failure: explainDropboxError(error, { dropboxPath: display(parentOf(destination)), action: 'list' }),
    };
  }
}
