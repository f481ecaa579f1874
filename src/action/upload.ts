import * as core from '@actions/core';
import { dryRun } from '../backups/dry-run.ts';
import { pruneAfterRun, type PruneResult } from '../backups/keep-last.ts';
import { listForSkipUnchanged } from '../backups/skip-unchanged.ts';
import { resolveRunDestination } from '../inputs/run-destination.ts';
import { watchForCancellation } from '../cancellation.ts';
import { TokenSource } from '../dropbox/credentials.ts';
import { InputError, readInputs, secretInputNames } from '../inputs/inputs.ts';
import type { ActionInputs, FileResult, UploadPlan } from '../model.ts';
import { PlanError, planUploads } from '../plan/plan.ts';
import { failedResult } from '../report/file-results.ts';
import { formatBytes, formatDuration, formatRate } from '../report/format.ts';
import { redactSecrets } from '../dropbox/explain.ts';
import { annotateFailure, annotateRunFailure, writeReport } from '../report/report.ts';
import { connectToNamespace } from '../dropbox/namespace.ts';
import { findFiles } from '../plan/search.ts';
import {
  createSharedLinks,
  reportSharedLinkProblems,
  type SharedLinksOutcome,
} from '../transfer/shared-links.ts';
import { DigestStore, hashAhead } from '../transfer/file-digests.ts';
import { firstRanges, transferFiles, type TransferOutcome } from '../transfer/transfer.ts';
import { readWorkflowContext } from '../inputs/workflow-context.ts';

function workspace(): string {
  return process.env['GITHUB_WORKSPACE'] || process.cwd();
}

/** Registers each secret with the runner once, however many places hand it over. */
function secretMasker(): (secret: string) => void {
  const masked = new Set<string>();
  return (secret) => {
    if (secret === '' || masked.has(secret)) return;
    masked.add(secret);
    core.setSecret(secret);
  };
}

async function planFromInputs(inputs: ActionInputs, destination: string): Promise<UploadPlan | undefined> {
  const found = await findFiles(inputs.patterns, {
    includeHiddenFiles: inputs.includeHiddenFiles,
    followSymbolicLinks: inputs.followSymbolicLinks,
  });
  if (found.files.length === 0) {
    const message = `No files were found with the provided path: ${inputs.patterns.join(', ')}. No files were uploaded.`;
    if (inputs.ifNoFilesFound === 'error') throw new PlanError(message);
    if (inputs.ifNoFilesFound === 'warn') core.warning(message);
    else core.info(message);
    return undefined;
  }
  const plan = planUploads({
    files: found.files,
    searchPaths: found.searchPaths,
    destination,
  });
  const bytes = plan.files.reduce((sum, file) => sum + file.size, 0);
  core.info(`${plan.files.length} file(s), ${bytes} bytes, going to Dropbox folder ${plan.destination}`);
  return plan;
}

export async function run(): Promise<void> {
  const startedAt = Date.now();
  // SIGINT/SIGTERM (a cancelled workflow) abort every request; the upload reports what arrived.
  const cancellation = watchForCancellation((line) => core.info(line));
  const hashingAhead = new AbortController();
  try {
    const mask = secretMasker();
    // Before anything else runs, so not even a validation error can show a credential.
    for (const name of secretInputNames) mask(core.getInput(name));
    const inputs = await core.group('Inputs', async () => {
      // Untrimmed: readInputs trims by itself, and rejects a value of only whitespace, which core.getInput
      // would turn into '' and so into the default (a destination of "   " would upload to the root).
      const parsed = readInputs((name) => core.getInput(name, { trimWhitespace: false }));
      if (parsed.credentials.kind === 'refresh-token' && parsed.credentials.accessTokenIgnored) {
        core.notice(
          'Both access-token and refresh-token were given: using the refresh token; access-token is ignored.',
          {
            title: 'access-token ignored',
          },
        );
      }
      return parsed;
    });

    // Placeholders are resolved once, from one instant: every file of the run goes to the same folder.
    const context = readWorkflowContext();
    const destination = resolveRunDestination(inputs.destination, new Date(), context);
    const plan = await core.group('Find files', () => planFromInputs(inputs, destination));
    if (destination !== inputs.destination)
      core.info(`Destination ${inputs.destination} resolved to ${destination}.`);

    // Local work while the run waits on the network (token, listing): the bytes of the first requests are
    // hashed by the time the upload starts, so those requests all go at once.
    const digests = new DigestStore();
    if (plan && !inputs.dryRun) {
      void hashAhead(
        firstRanges(plan.files, inputs.chunkSizeBytes, inputs.concurrency),
        digests,
        AbortSignal.any([cancellation.signal, hashingAhead.signal]),
      );
    }

    const tokens = new TokenSource(inputs.credentials, { mask });
    // namespace: team looks the team space up first (one request); a failure there stops the run.
    const connection = await connectToNamespace(tokens, inputs, {
      maxAttempts: inputs.maxAttempts,
      requestTimeoutMs: inputs.requestTimeoutSeconds * 1000,
      signal: cancellation.signal,
      onRetry: (line) => core.info(line),
    });
    if ('failure' in connection) {
      const { failure } = connection;
      await writeReport(
        (plan?.files ?? []).map((file) => failedResult(file, '', failure)),
        {
          destination: plan?.destination ?? (destination || '/'),
          elapsedMs: Date.now() - startedAt,
          workspace: workspace(),
        },
      );
      annotateRunFailure(failure);
      core.setFailed(`Could not reach the Dropbox namespace to upload to: ${failure.title}.`);
      return;
    }
    const { api, pathRoot } = connection;
    if (pathRoot.line !== undefined) core.info(pathRoot.line);
    if (pathRoot.notice !== undefined) core.notice(pathRoot.notice, { title: 'namespace: team' });

    if (inputs.dryRun) {
      // Only read requests: the credentials, the listings the plan needs, and nothing else.
      const planned = await core.group('Dry run', () =>
        dryRun(api, inputs, plan?.files ?? [], destination, context),
      );
      if (planned.failure) {
        annotateRunFailure(planned.failure);
        core.setFailed(`Dry run: ${planned.failure.title}.`);
        return;
      }
      await core.group('Report', () =>
        writeReport(planned.results, {
          destination,
          elapsedMs: Date.now() - startedAt,
          workspace: workspace(),
          ...(planned.pruned === undefined ? {} : { pruned: planned.pruned }),
          dryRun: true,
        }),
      );
      return;
    }

    if (!plan) {
      await writeReport([], {
        destination: destination || '/',
        elapsedMs: Date.now() - startedAt,
        workspace: workspace(),
      });
      return;
    }

    const listing = inputs.skipUnchanged
      ? await core.group('List Dropbox', () => listForSkipUnchanged(api, destination, inputs.keepLast > 0))
      : {};
    const stoppedBy = listing.stoppedBy;
    const outcome: TransferOutcome = stoppedBy
      ? { results: plan.files.map((file) => failedResult(file, '', stoppedBy)), stoppedBy }
      : await core.group('Upload', () =>
          transferFiles(plan.files, api, {
            chunkSizeBytes: inputs.chunkSizeBytes,
            concurrency: inputs.concurrency,
            ifExists: inputs.ifExists,
            log: (line) => core.info(line),
            signal: cancellation.signal,
            digests,
            ...(listing.remoteHashes ? { remoteHashes: listing.remoteHashes } : {}),
          }),
        );
    // Links only for files that arrived; a link that cannot be made does not undo an upload.
    let shared: SharedLinksOutcome | undefined;
    if (inputs.sharedLinks && !outcome.stoppedBy) {
      shared = await core.group('Shared links', () =>
        createSharedLinks(outcome.results, api, {
          concurrency: inputs.concurrency,
          log: (line) => core.info(line),
        }),
      );
      outcome.results = shared.results;
    }
    const failedCount = outcome.results.filter((result) => result.status === 'failed').length;

    // Retention deletes only after a run in which every file arrived.
    let prune: PruneResult | undefined;
    if (inputs.keepLast > 0 && failedCount === 0 && !cancellation.signal.aborted) {
      prune = await core.group('Keep last', () => pruneAfterRun(api, inputs, destination, context));
    } else if (inputs.keepLast > 0) {
      core.info('keep-last: nothing is deleted after a run with a failed file.');
    }

    await core.group('Report', () =>
      report(outcome.results, plan, startedAt, outcome.stoppedBy !== undefined, prune?.pruned),
    );
    if (outcome.stoppedBy) annotateRunFailure(outcome.stoppedBy);
    if (failedCount > 0) {
      core.setFailed(
        `${failedCount} of ${outcome.results.length} file(s) did not reach Dropbox${outcome.stoppedBy ? `: ${outcome.stoppedBy.title}` : ''}.`,
      );
    } else if (prune?.failure) {
      annotateRunFailure(prune.failure);
      core.setFailed(`keep-last: ${prune.failure.title}.`);
    } else if (cancellation.signal.aborted) {
      core.setFailed('The run was cancelled; every file had already arrived in Dropbox.');
    }
    if (shared) reportSharedLinkProblems(shared.problems);
  } catch (error) {
    if (error instanceof InputError || error instanceof PlanError) {
      core.setFailed(error.message);
      return;
    }
    core.setFailed(
      `Unexpected failure: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
    );
  } finally {
    hashingAhead.abort();
    cancellation.dispose();
  }
}

async function report(
  results: FileResult[],
  plan: UploadPlan,
  startedAt: number,
  stopped: boolean,
  pruned: readonly string[] | undefined,
): Promise<void> {
  // After a credential stop the run-level annotation says it all; one per file would repeat it.
  if (!stopped)
    for (const result of results) if (result.status === 'failed') annotateFailure(result, workspace());
  const elapsedMs = Date.now() - startedAt;
  const sums = await writeReport(results, {
    destination: plan.destination,
    elapsedMs,
    workspace: workspace(),
    ...(pruned === undefined ? {} : { pruned }),
  });
  const sent = results.reduce((sum, result) => sum + result.bytesSent, 0);
  core.info(
    `Uploaded ${sums.uploaded}, skipped ${sums.skipped}, failed ${sums.failed}: ${formatBytes(sums.uploadedBytes)} ` +
      `in ${formatDuration(elapsedMs)} (${formatRate(sent, elapsedMs)} sent, retries included).`,
  );
}
