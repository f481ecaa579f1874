/**
 * The report stage of a restore: the one place that writes its annotations, outputs, summary and the
 * step's failure, from the outcome the run hands over.
 */
import type { Annotation, DownloadResult, FolderResult } from '../model.ts';
import { formatBytes, formatDuration, formatRate } from './format.ts';
import type { RunHost } from './host.ts';
import { FILE_ANNOTATION_LIMIT, writeReport, type ReportContext } from './report.ts';
import type { RestoreRunOutcome } from './restore-outcome.ts';
import { restoreFileEntry, restoreOutputs, restoreTotals } from './restore-outputs.ts';
import { restoreSummary } from './restore-summary.ts';

/** Titles of the annotations the report itself adds. Stable: the README's Troubleshooting section is keyed by them. */
export const restoreReportTitles = {
  moreFailed: 'More files were not restored',
  nothingToRestore: 'Nothing to restore',
} as const;

function fileFailureAnnotation(result: DownloadResult): Annotation {
  return {
    level: 'error',
    title: result.error?.title ?? 'Dropbox request failed',
    message: `${result.dropboxPath} (to ${result.shownPath}) was not restored. ${result.error?.message ?? 'The download failed for an unknown reason.'}`,
  };
}

function folderFailureAnnotation(folder: FolderResult): Annotation {
  return {
    level: 'error',
    title: folder.error?.title ?? 'Could not write local file',
    message:
      `The empty folder ${folder.dropboxPath} (to ${folder.shownPath}) was not created. ${folder.error?.message ?? ''}`.trim(),
  };
}

/** The annotations of a run: what it found on its way, each failed file and folder (up to a limit), what stopped it. */
export function restoreAnnotations(outcome: RestoreRunOutcome): Annotation[] {
  const annotations = [...outcome.annotations];
  // After a run-wide stop, its one annotation says it all; one per file would repeat it.
  if (outcome.stoppedBy !== undefined) {
    annotations.push({ level: 'error', title: outcome.stoppedBy.title, message: outcome.stoppedBy.message });
    return annotations;
  }
  const failed = [
    ...outcome.results.filter((result) => result.status === 'failed').map(fileFailureAnnotation),
    ...outcome.folders.filter((folder) => folder.status === 'failed').map(folderFailureAnnotation),
  ];
  // A dry run's "would fail" rows are warnings: nothing failed yet.
  const level: Annotation['level'] = outcome.dryRun ? 'warning' : 'error';
  annotations.push(...failed.slice(0, FILE_ANNOTATION_LIMIT).map((annotation) => ({ ...annotation, level })));
  if (failed.length > FILE_ANNOTATION_LIMIT) {
    annotations.push({
      level,
      title: restoreReportTitles.moreFailed,
      message: `${failed.length - FILE_ANNOTATION_LIMIT} more file(s) or folder(s) ${outcome.dryRun ? 'would not be' : 'were not'} restored; the job summary and the "files" output list every file.`,
    });
  }
  return annotations;
}

/** Why the step fails: files and folders that were not restored first, then whatever else the run found. */
export function restoreFailures(outcome: RestoreRunOutcome): string[] {
  if (outcome.dryRun) {
    const stopped = outcome.stoppedBy === undefined ? [] : [`Dry run: ${outcome.stoppedBy.title}.`];
    return [...stopped, ...outcome.failures];
  }
  const failures: string[] = [];
  const failed = outcome.results.filter((result) => result.status === 'failed').length;
  const stopped = outcome.stoppedBy === undefined ? '' : `: ${outcome.stoppedBy.title}`;
  if (failed > 0)
    failures.push(`${failed} of ${outcome.results.length} file(s) were not restored${stopped}.`);
  const folders = outcome.folders.filter((folder) => folder.status === 'failed').length;
  if (folders > 0) failures.push(`${folders} empty folder(s) were not created${failed > 0 ? '' : stopped}.`);
  if (failures.length === 0 && outcome.stoppedBy !== undefined)
    failures.push(`Nothing was restored: ${outcome.stoppedBy.title}.`);
  return [...failures, ...outcome.failures];
}

export async function writeRestoreReport(
  host: RunHost,
  outcome: RestoreRunOutcome,
  context: ReportContext,
): Promise<void> {
  const { outputs, filesLeftOut } = restoreOutputs(outcome.results, outcome.source, outcome.target);
  await writeReport(
    host,
    {
      annotations: restoreAnnotations(outcome),
      outputs,
      filesLeftOut,
      results: outcome.results,
      toEntry: restoreFileEntry,
      summary: restoreSummary(outcome, context.elapsedMs),
      closingLine: closingLine(outcome.results, context.elapsedMs, outcome.dryRun),
      failures: restoreFailures(outcome),
    },
    context.tempDir,
  );
}

function closingLine(results: readonly DownloadResult[], elapsedMs: number, dryRun: boolean): string {
  const sums = restoreTotals(results);
  if (dryRun) {
    return `Dry run: would download ${sums.downloaded} (${formatBytes(sums.downloadedBytes)}), skip ${sums.skipped}, fail ${sums.failed}.`;
  }
  return (
    `Downloaded ${sums.downloaded}, skipped ${sums.skipped}, failed ${sums.failed}: ${formatBytes(sums.downloadedBytes)} ` +
    `in ${formatDuration(elapsedMs)} (${formatRate(sums.receivedBytes, elapsedMs)} received, retries included).`
  );
}
