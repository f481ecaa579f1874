import * as core from '@actions/core';
import { DropboxApi } from './client.ts';
import { TokenSource } from './credentials.ts';
import { InputError, readInputs, secretInputNames } from './inputs.ts';
import type { ActionInputs, FileResult, UploadPlan } from './model.ts';
import { PlanError, planUploads } from './plan.ts';
import { formatBytes, formatDuration, formatRate } from './format.ts';
import { annotateFailure, annotateRunFailure, writeReport } from './report.ts';
import { findFiles } from './search.ts';
import { transferFiles } from './transfer.ts';

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

async function planFromInputs(inputs: ActionInputs): Promise<UploadPlan | undefined> {
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
    destination: inputs.destination,
  });
  const bytes = plan.files.reduce((sum, file) => sum + file.size, 0);
  core.info(`${plan.files.length} file(s), ${bytes} bytes, going to Dropbox folder ${plan.destination}`);
  return plan;
}

export async function run(): Promise<void> {
  const startedAt = Date.now();
  try {
    const mask = secretMasker();
    // Before anything else runs, so not even a validation error can show a credential.
    for (const name of secretInputNames) mask(core.getInput(name));
    const inputs = await core.group('Inputs', async () => {
      const parsed = readInputs((name) => core.getInput(name));
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

    const plan = await core.group('Find files', () => planFromInputs(inputs));
    if (!plan) {
      await writeReport([], {
        destination: inputs.destination || '/',
        elapsedMs: Date.now() - startedAt,
        workspace: workspace(),
      });
      return;
    }

    const tokens = new TokenSource(inputs.credentials, { mask });
    const api = new DropboxApi(tokens, {
      maxAttempts: inputs.maxAttempts,
      onRetry: (line) => core.info(line),
    });
    const outcome = await core.group('Upload', () =>
      transferFiles(plan.files, api, {
        chunkSizeBytes: inputs.chunkSizeBytes,
        concurrency: inputs.concurrency,
        ifExists: inputs.ifExists,
        log: (line) => core.info(line),
      }),
    );

    await core.group('Report', () =>
      report(outcome.results, plan, startedAt, outcome.stoppedBy !== undefined),
    );
    if (outcome.stoppedBy) annotateRunFailure(outcome.stoppedBy);
    const failedCount = outcome.results.filter((result) => result.status === 'failed').length;
    if (failedCount > 0) {
      core.setFailed(
        `${failedCount} of ${outcome.results.length} file(s) did not reach Dropbox${outcome.stoppedBy ? `: ${outcome.stoppedBy.title}` : ''}.`,
      );
    }
  } catch (error) {
    if (error instanceof InputError || error instanceof PlanError) {
      core.setFailed(error.message);
      return;
    }
    core.setFailed(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function report(
  results: FileResult[],
  plan: UploadPlan,
  startedAt: number,
  stopped: boolean,
): Promise<void> {
  // After a credential stop the run-level annotation says it all; one per file would repeat it.
  if (!stopped)
    for (const result of results) if (result.status === 'failed') annotateFailure(result, workspace());
  const elapsedMs = Date.now() - startedAt;
  const sums = await writeReport(results, {
    destination: plan.destination,
    elapsedMs,
    workspace: workspace(),
  });
  const sent = results.reduce((sum, result) => sum + result.bytesSent, 0);
  core.info(
    `Uploaded ${sums.uploaded}, skipped ${sums.skipped}, failed ${sums.failed}: ${formatBytes(sums.uploadedBytes)} ` +
      `in ${formatDuration(elapsedMs)} (${formatRate(sent, elapsedMs)}).`,
  );
}
