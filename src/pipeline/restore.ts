/**
 * The restore, front to back: read inputs → connect → find the source (the newest match of its pattern)
 * → plan → download (or dry run) → report. Every front door runs this with its own host; each phase
 * returns what it found, and one report writes it all, however the run ended.
 */
import path from 'node:path';
import { watchForCancellation } from '../cancellation.ts';
import type { RestoreSourceSpec } from '../backups/newest-backup.ts';
import type { WorkflowContext } from '../backups/placeholders.ts';
import { findRestoreSource, RestoreSourceError, type RestoreSource } from '../backups/restore-source.ts';
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { unexpectedFailure } from '../dropbox/redact.ts';
import {
  readRestoreInputs,
  resolveRestoreSource,
  restoreSecretInputNames,
  type RestoreInputs,
} from '../inputs/restore-inputs.ts';
import { InputError } from '../inputs/values.ts';
import type { Explanation, RestorePlan } from '../model.ts';
import { planRestore } from '../plan/restore-plan.ts';
import { formatBytes } from '../report/format.ts';
import type { RunHost } from '../report/host.ts';
import type { RestoreRunOutcome } from '../report/restore-outcome.ts';
import { restoreReportTitles, writeRestoreReport } from '../report/restore-report.ts';
import { dryRunRestore } from '../transfer/download-dry-run.ts';
import { explainRestoreCancelled } from '../transfer/download-explanations.ts';
import { restoreFiles, type RestoreOptions, type RestoreOutcome } from '../transfer/download.ts';
import { RunProgress } from '../transfer/run-progress.ts';
import { connect, credentialNotices } from './connect.ts';

export interface RestoreEnvironment {
  /** An input's raw value, '' when not given (the action's INPUT_* variables, or command-line flags). */
  input: (name: string) => string;
  /** `path` is relative to it, and local paths are shown relative to it. */
  workspace: string;
  /** Where the `files-json` file goes; none is written without it. */
  tempDir?: string;
  /** The CI run's context, for the placeholders of `source`. */
  context: WorkflowContext;
}

export async function runRestore(host: RunHost, environment: RestoreEnvironment): Promise<void> {
  const startedAt = Date.now();
  // SIGINT/SIGTERM (a cancelled workflow) abort every request; the report says what arrived.
  const cancellation = watchForCancellation((line) => host.info(line));
  try {
    const outcome = await restore(host, environment, cancellation.signal).catch(
      (error: unknown): RestoreRunOutcome =>
        ended(environment, error instanceof InputError ? error.message : unexpectedFailure(error)),
    );
    await host.group('Report', () =>
      writeRestoreReport(host, outcome, {
        elapsedMs: Date.now() - startedAt,
        ...(environment.tempDir === undefined ? {} : { tempDir: environment.tempDir }),
      }),
    );
  } finally {
    cancellation.dispose();
  }
}

/** The outcome of a run that ended before its inputs could be read: the inputs as given, one failure. */
function ended(environment: RestoreEnvironment, failure: string): RestoreRunOutcome {
  return {
    dryRun: false,
    source: environment.input('source').trim(),
    target: path.resolve(environment.workspace, environment.input('path').trim() || '.'),
    results: [],
    folders: [],
    annotations: [],
    failures: [failure],
  };
}

async function restore(
  host: RunHost,
  environment: RestoreEnvironment,
  cancelled: AbortSignal,
): Promise<RestoreRunOutcome> {
  // Before anything else runs, so not even a validation error can show a credential.
  for (const name of restoreSecretInputNames) host.setSecret(environment.input(name).trim());
  const { inputs, spec } = await host.group('Inputs', async () => {
    const read = readRestoreInputs(environment.input);
    return { inputs: read, spec: resolveRestoreSource(read.source, environment.context) };
  });
  const outcome: RestoreRunOutcome = {
    dryRun: inputs.dryRun,
    source: inputs.source === '' ? '/' : inputs.source,
    target: path.resolve(environment.workspace, inputs.path),
    results: [],
    folders: [],
    annotations: credentialNotices(inputs.credentials),
    failures: [],
  };
  const connection = await connect(host, inputs, cancelled);
  if ('failure' in connection) return { ...outcome, stoppedBy: connection.failure };
  if (connection.pathRoot.notice !== undefined) {
    outcome.annotations.push({
      level: 'notice',
      title: 'namespace: team',
      message: connection.pathRoot.notice,
    });
  }
  const found = await host.group('Find the source', () =>
    findSource(host, connection.api, inputs, spec, cancelled),
  );
  if ('stoppedBy' in found) return { ...outcome, stoppedBy: found.stoppedBy };
  outcome.source = found.path;

  const plan = await host.group('Plan', async () => {
    const planned = planRestore({
      source: found.path,
      sourceKind: found.kind,
      entries: found.entries,
      target: outcome.target,
      include: inputs.include,
      workspace: environment.workspace,
    });
    host.info(planLine(planned));
    return planned;
  });
  if (plan.files.length + plan.folders.length + plan.problems.length === 0) {
    outcome.annotations.push({
      level: 'warning',
      title: restoreReportTitles.nothingToRestore,
      message:
        `${found.path} holds nothing to restore` +
        `${inputs.include.length > 0 ? ' that "include" picks' : ''}: no file and no empty folder was written.`,
    });
  }
  const log = (line: string): void => host.info(line);
  const restored = inputs.dryRun
    ? await host.group('Dry run', () => dryRunRestore(plan, { ...inputs, log, signal: cancelled }))
    : await download(host, plan, connection.api, { ...inputs, log, signal: cancelled });
  const everythingArrived =
    restored.results.every((result) => result.status !== 'failed') &&
    restored.folders.every((folder) => folder.status !== 'failed');
  if (cancelled.aborted && everythingArrived && !inputs.dryRun)
    outcome.failures.push('The run was cancelled; every file had already been restored.');
  return { ...outcome, ...restored };
}

/** The download, with one overall progress line every progressIntervalMs while it lasts. */
async function download(
  host: RunHost,
  plan: RestorePlan,
  api: DropboxApi,
  options: Omit<RestoreOptions, 'progress'>,
): Promise<RestoreOutcome> {
  const files = [...plan.files, ...plan.problems.filter((problem) => problem.kind === 'file')];
  const progress = new RunProgress(
    files.length,
    files.reduce((sum, file) => sum + file.size, 0),
  );
  const saying = progress.every(host.progressIntervalMs, (line) => host.progress(line));
  return host
    .group('Download', () => restoreFiles(plan, api, { ...options, progress }))
    .finally(() => saying.stop());
}

/** The source resolved and listed, or what stops the run: nothing there, nothing matching, or Dropbox's refusal. */
async function findSource(
  host: RunHost,
  api: DropboxApi,
  inputs: RestoreInputs,
  spec: RestoreSourceSpec,
  cancelled: AbortSignal,
): Promise<RestoreSource | { stoppedBy: Explanation }> {
  try {
    const found = await findRestoreSource(api, spec);
    if (found.path !== (inputs.source === '' ? '/' : inputs.source))
      host.info(`Source ${inputs.source} resolved to ${found.path}.`);
    return found;
  } catch (error) {
    if (error instanceof RestoreSourceError) return { stoppedBy: error.explanation };
    if (cancelled.aborted) return { stoppedBy: explainRestoreCancelled() };
    const where = spec.kind === 'newest' ? spec.parent : spec.path;
    return {
      stoppedBy: explainDropboxError(error, { action: 'list', dropboxPath: where === '' ? '/' : where }),
    };
  }
}

function planLine(plan: RestorePlan): string {
  const bytes = plan.files.reduce((sum, file) => sum + file.size, 0);
  const problems = plan.problems.length === 0 ? '' : `; ${plan.problems.length} cannot be restored here`;
  return (
    `${plan.source} → ${plan.target}: ${plan.files.length} file(s) (${formatBytes(bytes)}), ` +
    `${plan.folders.length} empty folder(s)${problems}.`
  );
}
