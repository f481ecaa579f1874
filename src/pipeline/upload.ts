/**
 * The upload, front to back: read inputs → plan → connect → transfer (or dry run) → links and retention
 * → report. Every front door runs this with its own host; each phase returns what it found, and one
 * report writes it all, however the run ended.
 */
import { watchForCancellation } from '../cancellation.ts';
import { connect, credentialNotices } from './connect.ts';
import { dryRun } from '../backups/dry-run.ts';
import { applyRetention, retentionIsOn } from '../backups/retention-phase.ts';
import { listForSkipUnchanged } from '../backups/skip-unchanged.ts';
import type { DropboxApi } from '../dropbox/client.ts';
import { unexpectedFailure } from '../dropbox/redact.ts';
import { InputError, readInputs, secretInputNames } from '../inputs/inputs.ts';
import { resolveRunDestination } from '../inputs/run-destination.ts';
import type { ActionInputs, Annotation, Explanation, UploadOutcome, UploadPlan } from '../model.ts';
import { findUploadPlan } from '../plan/find.ts';
import { PlanError } from '../plan/plan.ts';
import type { WorkflowContext } from '../backups/placeholders.ts';
import { failedResult } from '../report/file-results.ts';
import type { DigestStore } from '../transfer/file-digests.ts';
import type { RunHost } from '../report/host.ts';
import { writeUploadReport } from '../report/report.ts';
import { RunProgress } from '../transfer/run-progress.ts';
import { createFolders } from '../transfer/create-folders.ts';
import { createSharedLinks, sharedLinkFindings } from '../transfer/shared-links.ts';
import { startHashingAhead, transferFiles } from '../transfer/transfer.ts';

export interface UploadEnvironment {
  /** An input's raw value, '' when not given (the action's INPUT_* variables, or command-line flags). */
  input: (name: string) => string;
  /** Local paths are shown relative to it. */
  workspace: string;
  /** Where the `files-json` file goes; none is written without it. */
  tempDir?: string;
  /** The CI run's context, for destination placeholders. */
  context: WorkflowContext;
}

export async function runUpload(host: RunHost, environment: UploadEnvironment): Promise<void> {
  const startedAt = Date.now();
  // SIGINT/SIGTERM (a cancelled workflow) abort every request; the report says what arrived.
  const cancellation = watchForCancellation((line) => host.info(line));
  const runOver = new AbortController();
  try {
    const outcome = await upload(host, environment, cancellation.signal, runOver.signal).catch(
      (error: unknown): UploadOutcome =>
        ended(
          error instanceof InputError || error instanceof PlanError
            ? error.message
            : unexpectedFailure(error),
        ),
    );
    runOver.abort();
    await host.group('Report', () =>
      writeUploadReport(host, outcome, {
        elapsedMs: Date.now() - startedAt,
        ...(environment.tempDir === undefined ? {} : { tempDir: environment.tempDir }),
      }),
    );
  } finally {
    runOver.abort();
    cancellation.dispose();
  }
}

/** The outcome of a run that ended before any file was planned. */
function ended(failure: string, destination = '/', annotations: Annotation[] = []): UploadOutcome {
  return { dryRun: false, destination, results: [], annotations, failures: [failure] };
}

/** Every planned file failed by what stopped the run. */
function stopped(
  outcome: UploadOutcome,
  plan: UploadPlan,
  by: Explanation,
  failures: string[] = [],
): UploadOutcome {
  return {
    ...outcome,
    results: plan.files.map((file) => failedResult(file, '', by)),
    stoppedBy: by,
    failures,
  };
}

/** What every phase after planning needs. */
interface Planned {
  host: RunHost;
  environment: UploadEnvironment;
  inputs: ActionInputs;
  destination: string;
  plan: UploadPlan;
  cancelled: AbortSignal;
  log: (line: string) => void;
}

async function upload(
  host: RunHost,
  environment: UploadEnvironment,
  cancelled: AbortSignal,
  runOver: AbortSignal,
): Promise<UploadOutcome> {
  // Before anything else runs, so not even a validation error can show a credential.
  for (const name of secretInputNames) host.setSecret(environment.input(name).trim());
  const inputs = await host.group('Inputs', async () => readInputs(environment.input));
  const annotations: Annotation[] = credentialNotices(inputs.credentials);
  // Placeholders are resolved once, from one instant: every file of the run goes to the same folder.
  const destination = resolveRunDestination(inputs.destination, new Date(), environment.context);
  const found = await host.group('Find files', () =>
    findUploadPlan(inputs, destination, {
      workspace: environment.workspace,
      debug: (line) => host.debug(line),
    }),
  );
  for (const line of found.lines) host.info(line);
  if (destination !== inputs.destination)
    host.info(`Destination ${inputs.destination} resolved to ${destination}.`);
  annotations.push(...found.annotations);
  const plan = found.plan ?? { destination: destination || '/', files: [], folders: [] };
  if (found.failure !== undefined) return ended(found.failure, plan.destination, annotations);

  // Local work while the run waits on the network (token, listing).
  const digests = inputs.dryRun
    ? undefined
    : startHashingAhead(plan.files, inputs, AbortSignal.any([cancelled, runOver]));
  const connection = await connect(host, inputs, cancelled);
  const outcome: UploadOutcome = {
    dryRun: inputs.dryRun,
    destination: plan.destination,
    results: [],
    annotations,
    failures: [],
  };
  if ('failure' in connection) return stopped(outcome, plan, connection.failure);
  if (connection.pathRoot.notice !== undefined) {
    annotations.push({ level: 'notice', title: 'namespace: team', message: connection.pathRoot.notice });
  }
  const planned: Planned = {
    host,
    environment,
    inputs,
    destination,
    plan,
    cancelled,
    log: (line) => host.info(line),
  };
  if (inputs.dryRun) return dryRunPhase(planned, connection.api, outcome);
  if (plan.files.length === 0) return outcome;
  return uploadPhase(planned, connection.api, outcome, digests);
}

async function dryRunPhase(run: Planned, api: DropboxApi, outcome: UploadOutcome): Promise<UploadOutcome> {
  // Only read requests: the credentials, the listings the plan depends on, and nothing else.
  const { inputs, plan, destination, environment, log } = run;
  const planned = await run.host.group('Dry run', () =>
    dryRun(api, inputs, plan, destination, environment.context, log),
  );
  if (planned.failure !== undefined)
    return stopped(outcome, plan, planned.failure, [`Dry run: ${planned.failure.title}.`]);
  return {
    ...outcome,
    results: planned.results,
    ...(planned.folders.length === 0 ? {} : { folders: planned.folders }),
    ...(planned.pruned === undefined ? {} : { pruned: planned.pruned }),
    ...(planned.retention === undefined ? {} : { retention: planned.retention }),
  };
}

async function uploadPhase(
  run: Planned,
  api: DropboxApi,
  outcome: UploadOutcome,
  digests: DigestStore | undefined,
): Promise<UploadOutcome> {
  const { host, inputs, plan, destination, log } = run;
  const listed = inputs.skipUnchanged
    ? await host.group('List Dropbox', () =>
        listForSkipUnchanged(api, destination, retentionIsOn(inputs), log),
      )
    : {};
  if (listed.warning) outcome.annotations.push(listed.warning);
  if (listed.stoppedBy) return stopped(outcome, plan, listed.stoppedBy);
  // One overall line every progressIntervalMs while the upload lasts.
  const progress = new RunProgress(
    plan.files.length,
    plan.files.reduce((sum, file) => sum + file.size, 0),
  );
  const saying = progress.every(host.progressIntervalMs, (line) => host.progress(line));
  const transferred = await host
    .group('Upload', () =>
      transferFiles(plan.files, api, {
        chunkSizeBytes: inputs.chunkSizeBytes,
        concurrency: inputs.concurrency,
        ifExists: inputs.ifExists,
        log,
        signal: run.cancelled,
        progress,
        ...(digests === undefined ? {} : { digests }),
        ...(listed.listing === undefined ? {} : { listing: listed.listing, skipUnchanged: true }),
      }),
    )
    .finally(() => saying.stop());
  if (transferred.stoppedBy !== undefined)
    return { ...outcome, results: transferred.results, stoppedBy: transferred.stoppedBy };
  const folders =
    plan.folders.length === 0
      ? undefined
      : await host.group('Empty folders', () =>
          createFolders(plan.folders, api, { concurrency: inputs.concurrency, log, signal: run.cancelled }),
        );
  return afterTransfer(run, api, {
    ...outcome,
    results: transferred.results,
    ...(folders === undefined ? {} : { folders }),
  });
}

/** Shared links for the files that arrived, then retention, which deletes only after a run with no failed file. */
async function afterTransfer(run: Planned, api: DropboxApi, outcome: UploadOutcome): Promise<UploadOutcome> {
  const { host, inputs, log, cancelled } = run;
  const failures: string[] = [];
  // A link that cannot be made does not undo an upload.
  const linked = inputs.sharedLinks
    ? await host.group('Shared links', () =>
        createSharedLinks(outcome.results, api, { concurrency: inputs.concurrency, log }),
      )
    : undefined;
  const links = sharedLinkFindings(linked?.problems ?? []);
  const results = linked?.results ?? outcome.results;
  const everyFileArrived =
    results.every((result) => result.status !== 'failed') &&
    (outcome.folders ?? []).every((folder) => folder.status !== 'failed');
  let retained: Pick<UploadOutcome, 'pruned' | 'retention'> = {};
  if (retentionIsOn(inputs) && everyFileArrived && !cancelled.aborted) {
    const retention = await host.group('Retention', () =>
      applyRetention(api, inputs, run.destination, run.environment.context, log),
    );
    retained = {
      pruned: retention.pruned,
      ...(retention.retention ? { retention: retention.retention } : {}),
    };
    if (retention.failure) {
      outcome.annotations.push({
        level: 'error',
        title: retention.failure.title,
        message: retention.failure.message,
      });
      failures.push(`Retention: ${retention.failure.title}.`);
    }
  } else if (retentionIsOn(inputs)) {
    log('Retention: nothing is deleted after a run with a failed file.');
  }
  if (cancelled.aborted && everyFileArrived)
    failures.push('The run was cancelled; every file had already arrived in Dropbox.');
  outcome.annotations.push(...links.annotations);
  if (links.failure !== undefined) failures.push(links.failure);
  return { ...outcome, results, failures, ...retained };
}
