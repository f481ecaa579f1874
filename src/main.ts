import * as core from '@actions/core';
import { DropboxApi } from './client.ts';
import { TokenSource } from './credentials.ts';
import { InputError, readInputs, secretInputNames } from './inputs.ts';
import type { ActionInputs, FileResult, UploadPlan } from './model.ts';
import { PlanError, planUploads } from './plan.ts';
import { annotateFailure, annotateRunFailure, writeReport } from './report.ts';
import { findFiles } from './search.ts';
import { transferFiles } from './transfer.ts';

function workspace(): string {
  return process.env['GITHUB_WORKSPACE'] || process.cwd();
}

/** Masks every credential input before anything else runs, so not even a validation error can show one. */
function maskCredentialInputs(): void {
  for (const name of secretInputNames) {
    const value = core.getInput(name);
    if (value !== '') core.setSecret(value);
  }
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
    maskCredentialInputs();
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

    const tokens = new TokenSource(inputs.credentials, { mask: (secret) => core.setSecret(secret) });
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
  for (const result of results) {
    if (result.status === 'uploaded') core.info(`uploaded ${result.dropboxPath} (${result.size} bytes)`);
    else if (result.status === 'skipped') core.info(`skipped ${result.dropboxPath}: ${result.reason ?? ''}`);
    else if (!stopped) annotateFailure(result, workspace());
  }
  await writeReport(results, {
    destination: plan.destination,
    elapsedMs: Date.now() - startedAt,
    workspace: workspace(),
  });
}
