/** The per-file results the upload, the dry run and a stopped run report, built one way everywhere. */
import { formatBytes } from './format.ts';
import type { Explanation, FileResult, PlannedFile } from '../model.ts';

function resultOf(file: PlannedFile, contentHash: string, bytesSent: number) {
  return {
    localPath: file.localPath,
    shownPath: file.shownPath,
    dropboxPath: file.dropboxPath,
    size: file.size,
    contentHash,
    bytesSent,
  };
}

/** `dropboxPath` is where Dropbox says the file is (its own casing, or the name an autorename chose). */
export function uploadedResult(
  file: PlannedFile,
  contentHash: string,
  bytesSent: number,
  dropboxPath = file.dropboxPath,
): FileResult {
  return { ...resultOf(file, contentHash, bytesSent), dropboxPath, status: 'uploaded' };
}

export function skippedResult(
  file: PlannedFile,
  contentHash: string,
  reason: string,
  bytesSent = 0,
): FileResult {
  return { ...resultOf(file, contentHash, bytesSent), status: 'skipped', reason };
}

/** `contentHash` is `''` where the file was never read (a run stopped before it). */
export function failedResult(
  file: PlannedFile,
  contentHash: string,
  error: Explanation,
  bytesSent = 0,
): FileResult {
  return { ...resultOf(file, contentHash, bytesSent), status: 'failed', error };
}

/** A result's line in the log; a dry run's says what a real run would do. */
export function resultLine(result: FileResult, dryRun = false): string {
  const [uploaded, skipped, failed] = dryRun
    ? ['would upload', 'would skip', 'would FAIL']
    : ['uploaded', 'skipped', 'FAILED'];
  if (result.status === 'uploaded') return `${uploaded} ${result.dropboxPath} (${formatBytes(result.size)})`;
  if (result.status === 'skipped') return `${skipped} ${result.dropboxPath}: ${result.reason ?? ''}`;
  return `${failed} ${result.dropboxPath}: ${result.error?.title ?? 'unknown error'}`;
}
