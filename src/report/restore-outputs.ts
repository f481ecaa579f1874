/** The restore's outputs: counts, the resolved source and local folder, and the per-file list within GitHub's limits. */
import type { DownloadResult, DownloadStatus } from '../model.ts';
import { filesJsonWithin } from './outputs.ts';
import { entryOf } from './result-parts.ts';

/** One file of the `files` output: where it came from, where it went, and what happened. */
export interface RestoreFileEntry {
  dropboxPath: string;
  /** The local path as shown: relative to the workspace, or absolute outside it. */
  path: string;
  size: number;
  contentHash: string;
  status: DownloadStatus;
  reason?: string;
  error?: string;
}

export interface RestoreTotals {
  downloaded: number;
  skipped: number;
  failed: number;
  downloadedBytes: number;
  /** Bytes that came over the wire, retries included. */
  receivedBytes: number;
}

export function restoreTotals(results: readonly DownloadResult[]): RestoreTotals {
  const count = (status: DownloadStatus): number => results.filter((r) => r.status === status).length;
  return {
    downloaded: count('downloaded'),
    skipped: count('skipped'),
    failed: count('failed'),
    downloadedBytes: results.filter((r) => r.status === 'downloaded').reduce((sum, r) => sum + r.size, 0),
    receivedBytes: results.reduce((sum, r) => sum + r.bytesReceived, 0),
  };
}

export function restoreFileEntry(result: DownloadResult): RestoreFileEntry {
  const { dropboxPath, path, ...rest } = entryOf(result);
  // restore/action.yml documents where a file came from first, then where it went.
  return { dropboxPath, path, ...rest, status: result.status };
}

export function restoreOutputs(
  results: readonly DownloadResult[],
  source: string,
  target: string,
): { outputs: Record<string, string>; filesLeftOut: number } {
  const sums = restoreTotals(results);
  const files = filesJsonWithin(results, restoreFileEntry);
  return {
    outputs: {
      'downloaded-count': String(sums.downloaded),
      'skipped-count': String(sums.skipped),
      'failed-count': String(sums.failed),
      'downloaded-bytes': String(sums.downloadedBytes),
      source: source === '' ? '/' : source,
      path: target,
      files: files.json,
    },
    filesLeftOut: files.leftOut,
  };
}
