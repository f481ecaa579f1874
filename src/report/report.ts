/**
 * The report stage of an upload: the one place that writes its annotations, outputs, summary and the
 * step's failure, from the outcome the run hands over.
 */
import type { Annotation, FileResult, UploadOutcome } from '../model.ts';
import type { SummaryModel } from './summary.ts';
import { formatBytes, formatDuration, formatRate } from './format.ts';
import type { RunHost } from './host.ts';
import { fileEntry, totals, uploadOutputs, writeFilesJson } from './outputs.ts';
import { filesOutputCut } from './result-parts.ts';
import { uploadSummary } from './upload-summary.ts';

/** GitHub shows ten error annotations per step; the summary and outputs list every failed file. */
export const FILE_ANNOTATION_LIMIT = 10;

export interface ReportContext {
  elapsedMs: number;
  /** Where the full `files` list is written (`files-json`); RUNNER_TEMP on a runner. */
  tempDir?: string;
}

/** One error annotation for a file that did not reach Dropbox. */
export function fileFailureAnnotation(result: FileResult): Annotation {
  return {
    level: 'error',
    title: result.error?.title ?? 'Dropbox request failed',
    message: `${result.dropboxPath} (from ${result.shownPath}) was not uploaded. ${result.error?.message ?? 'The upload failed for an unknown reason.'}`,
  };
}

/** The annotations of a run: what it found on its way, each failed file (up to a limit), what stopped it. */
export function uploadAnnotations(outcome: UploadOutcome): Annotation[] {
  const annotations = [...outcome.annotations];
  // After a run-wide stop, its one annotation says it all; one per file would repeat it.
  if (outcome.stoppedBy === undefined) {
    const failed = outcome.results.filter((result) => result.status === 'failed');
    annotations.push(...failed.slice(0, FILE_ANNOTATION_LIMIT).map(fileFailureAnnotation));
    if (failed.length > FILE_ANNOTATION_LIMIT) {
      annotations.push({
        level: 'error',
        title: 'More files did not reach Dropbox',
        message: `${failed.length - FILE_ANNOTATION_LIMIT} more file(s) did not reach Dropbox; the job summary and the "files" output list every one.`,
      });
    }
    const failedFolders = (outcome.folders ?? []).filter((folder) => folder.status === 'failed');
    annotations.push(
      ...failedFolders.slice(0, FILE_ANNOTATION_LIMIT).map((folder): Annotation => ({
        level: 'error',
        title: folder.error?.title ?? 'Dropbox request failed',
        message:
          `The empty folder ${folder.dropboxPath} (from ${folder.shownPath}) was not created. ${folder.error?.message ?? ''}`.trim(),
      })),
    );
  } else {
    annotations.push({ level: 'error', title: outcome.stoppedBy.title, message: outcome.stoppedBy.message });
  }
  return annotations;
}

/** Why the step fails: files that did not arrive first, then whatever else the run found. */
export function uploadFailures(outcome: UploadOutcome): string[] {
  if (outcome.dryRun) return outcome.failures;
  const failed = outcome.results.filter((result) => result.status === 'failed').length;
  const failedFolders = (outcome.folders ?? []).filter((folder) => folder.status === 'failed').length;
  const stopped = outcome.stoppedBy === undefined ? '' : `: ${outcome.stoppedBy.title}`;
  return [
    ...(failed === 0
      ? []
      : [`${failed} of ${outcome.results.length} file(s) did not reach Dropbox${stopped}.`]),
    ...(failedFolders === 0
      ? []
      : [
          `${failedFolders} of ${outcome.folders?.length ?? 0} empty folder(s) could not be created in Dropbox.`,
        ]),
    ...outcome.failures,
  ];
}

/** What a run's report is made of; writeReport writes the upload's and the restore's alike. */
export interface ReportParts<T> {
  annotations: Annotation[];
  outputs: Record<string, string>;
  /** Entries the `files` output had to leave out. */
  filesLeftOut: number;
  results: readonly T[];
  /** A result's entry in the `files-json` file. */
  toEntry: (result: T) => object;
  summary: SummaryModel;
  closingLine: string;
  failures: string[];
}

/** Annotations, outputs (and `files-json` where there is a temp dir), the summary, the closing line, the step's failure. */
export async function writeReport<T>(
  host: RunHost,
  parts: ReportParts<T>,
  tempDir: string | undefined,
): Promise<void> {
  const annotations = [...parts.annotations];
  if (parts.filesLeftOut > 0) annotations.push(filesOutputCut(parts.results.length, parts.filesLeftOut));
  for (const annotation of annotations) host.annotate(annotation);
  for (const [name, value] of Object.entries(parts.outputs)) host.setOutput(name, value);
  if (tempDir !== undefined) {
    host.setOutput('files-json', await writeFilesJson(parts.results, parts.toEntry, tempDir));
  }
  await host.summary(parts.summary);
  host.info(parts.closingLine);
  for (const failure of parts.failures) host.fail(failure);
}

export async function writeUploadReport(
  host: RunHost,
  outcome: UploadOutcome,
  context: ReportContext,
): Promise<void> {
  const { outputs, filesLeftOut } = uploadOutputs(outcome.results, outcome.destination, outcome.pruned);
  await writeReport(
    host,
    {
      annotations: uploadAnnotations(outcome),
      outputs,
      filesLeftOut,
      results: outcome.results,
      toEntry: fileEntry,
      summary: uploadSummary(outcome, context.elapsedMs),
      closingLine: closingLine(outcome.results, context.elapsedMs, outcome.dryRun),
      failures: uploadFailures(outcome),
    },
    context.tempDir,
  );
}

function closingLine(results: readonly FileResult[], elapsedMs: number, dryRun: boolean): string {
  const sums = totals(results, elapsedMs);
  const sent = results.reduce((sum, result) => sum + result.bytesSent, 0);
  if (dryRun) {
    return `Dry run: would upload ${sums.uploaded} (${formatBytes(sums.uploadedBytes)}), skip ${sums.skipped}, fail ${sums.failed}.`;
  }
  return (
    `Uploaded ${sums.uploaded}, skipped ${sums.skipped}, failed ${sums.failed}: ${formatBytes(sums.uploadedBytes)} ` +
    `in ${formatDuration(elapsedMs)} (${formatRate(sent, elapsedMs)} sent, retries included).`
  );
}
