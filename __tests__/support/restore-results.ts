/** Download and folder results, and the restore outcome they make, as the restore's report receives them. */
import type { DownloadResult, FolderResult } from '../../src/model.ts';
import type { RestoreRunOutcome } from '../../src/report/restore-outcome.ts';

/** A 100-byte file of the source /b, restored into /w/out; a failed one ran out of disk. */
export function downloadResult(
  name: string,
  status: DownloadResult['status'],
  extra: Partial<DownloadResult> = {},
): DownloadResult {
  return {
    dropboxPath: `/b/${name}`,
    localPath: `/w/out/${name}`,
    relativePath: name,
    shownPath: `out/${name}`,
    size: 100,
    contentHash: `h-${name}`,
    status,
    bytesReceived: status === 'downloaded' ? 100 : 0,
    ...(status === 'failed'
      ? { error: { title: 'Runner disk full', message: 'Free space.', scope: 'file' } }
      : {}),
    ...extra,
  };
}

export function folderResult(name: string, status: FolderResult['status']): FolderResult {
  return {
    dropboxPath: `/b/${name}`,
    localPath: `/w/out/${name}`,
    relativePath: name,
    shownPath: `out/${name}`,
    status,
    ...(status === 'failed'
      ? { error: { title: 'Local path in the way', message: 'Remove it.', scope: 'file' } }
      : {}),
  };
}

/** A real run of /b into /w/out that found nothing, with `more` on top. */
export function restoreOutcome(more: Partial<RestoreRunOutcome> = {}): RestoreRunOutcome {
  return {
    dryRun: false,
    source: '/b',
    target: '/w/out',
    results: [],
    folders: [],
    annotations: [],
    failures: [],
    ...more,
  };
}
