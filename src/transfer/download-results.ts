/** The restore's per-file and per-folder results, built one way for the restore, its dry run and a stopped run. */
import { compareCodePoints } from '../local/paths.ts';
import type {
  DownloadResult,
  Explanation,
  FolderResult,
  PlannedDownload,
  RestorePlan,
  RestoreProblem,
} from '../model.ts';
import { formatBytes } from '../report/format.ts';
import { explainRestoreProblem } from './download-explanations.ts';

export interface RestoreOutcome {
  /** One per planned file and per file problem, in plan order (relative path, code points). */
  results: DownloadResult[];
  /** One per empty folder and per folder problem, in plan order. */
  folders: FolderResult[];
  /**
   * Set when something stopped the whole run (credentials, a `run`-scope failure such as an untrusted
   * certificate, cancellation); every file not done carries it.
   */
  stoppedBy?: Explanation;
}

/** A planned file, or one the plan could not place; together in plan order they are the run's results. */
export type PlanItem = { kind: 'file'; file: PlannedDownload } | { kind: 'problem'; problem: RestoreProblem };

export function itemEntry(item: PlanItem): PlannedDownload | RestoreProblem {
  return item.kind === 'file' ? item.file : item.problem;
}

/** The plan's files and file problems, in plan order. */
export function planItems(plan: RestorePlan): PlanItem[] {
  return [
    ...plan.files.map((file): PlanItem => ({ kind: 'file', file })),
    ...plan.problems
      .filter((problem) => problem.kind === 'file')
      .map((problem): PlanItem => ({ kind: 'problem', problem })),
  ].sort((a, b) => compareCodePoints(itemEntry(a).relativePath, itemEntry(b).relativePath));
}

export function resultOf(
  file: PlannedDownload | RestoreProblem,
  status: DownloadResult['status'],
  bytesReceived: number,
  extra: { reason?: string; error?: Explanation } = {},
): DownloadResult {
  return {
    dropboxPath: file.dropboxPath,
    localPath: file.localPath ?? '',
    relativePath: file.relativePath,
    shownPath: file.shownPath,
    size: file.size,
    contentHash: file.contentHash,
    status,
    ...extra,
    bytesReceived,
  };
}

/** A file the plan could not place, failed with its explanation. */
export function problemResult(problem: RestoreProblem): DownloadResult {
  return resultOf(problem, 'failed', 0, { error: explainRestoreProblem(problem) });
}

/**
 * The outcome of a run stopped by `explanation`: every item failed with it (a file problem with its own
 * explanation), except those already in `done` (by item index), and every folder with it.
 */
export function stoppedOutcome(
  plan: RestorePlan,
  items: readonly PlanItem[],
  explanation: Explanation,
  done: readonly (DownloadResult | undefined)[] = [],
): RestoreOutcome {
  return {
    results: items.map(
      (item, index) =>
        done[index] ??
        (item.kind === 'problem'
          ? problemResult(item.problem)
          : resultOf(item.file, 'failed', 0, { error: explanation })),
    ),
    folders: sortedFolders([
      ...folderProblemResults(plan),
      ...plan.folders.map((folder): FolderResult => ({ ...folder, status: 'failed', error: explanation })),
    ]),
    stoppedBy: explanation,
  };
}

/**
 * The outcome once the files have run: each item's result in plan order (an item left without one failed
 * with `unfinished`), and the folders with the plan's folder problems among them.
 */
export function finishedOutcome(
  plan: RestorePlan,
  items: readonly PlanItem[],
  results: readonly (DownloadResult | undefined)[],
  folders: readonly FolderResult[],
  stoppedBy: Explanation | undefined,
  unfinished: Explanation | undefined = stoppedBy,
): RestoreOutcome {
  const outcome: RestoreOutcome = {
    results: items.map(
      (item, index) =>
        results[index] ??
        resultOf(itemEntry(item), 'failed', 0, unfinished === undefined ? {} : { error: unfinished }),
    ),
    folders: sortedFolders([...folderProblemResults(plan), ...folders]),
  };
  return stoppedBy === undefined ? outcome : { ...outcome, stoppedBy };
}

/** The plan's folder problems, failed with their explanations. */
export function folderProblemResults(plan: RestorePlan): FolderResult[] {
  return plan.problems
    .filter((problem) => problem.kind === 'folder')
    .map((problem) => ({
      dropboxPath: problem.dropboxPath,
      localPath: problem.localPath ?? '',
      relativePath: problem.relativePath,
      shownPath: problem.shownPath,
      status: 'failed',
      error: explainRestoreProblem(problem),
    }));
}

export function sortedFolders(folders: FolderResult[]): FolderResult[] {
  return folders.sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
}

/** A result's line in the log; a dry run's says what a real run would do. */
export function downloadResultLine(result: DownloadResult, dryRun = false): string {
  const [downloaded, skipped, failed] = dryRun
    ? ['would download', 'would skip', 'would FAIL']
    : ['downloaded', 'skipped', 'FAILED'];
  if (result.status === 'downloaded')
    return `${downloaded} ${result.dropboxPath} → ${result.shownPath} (${formatBytes(result.size)})`;
  if (result.status === 'skipped') return `${skipped} ${result.dropboxPath}: ${result.reason ?? ''}`;
  return `${failed} ${result.dropboxPath}: ${result.error?.title ?? 'unknown error'}`;
}

/** An empty folder's line in the log. */
export function folderResultLine(folder: FolderResult, dryRun = false): string {
  if (folder.status === 'failed')
    return `${dryRun ? 'would FAIL' : 'FAILED'} ${folder.dropboxPath}: ${folder.error?.title ?? 'unknown error'}`;
  if (folder.status === 'exists')
    return `empty folder ${folder.dropboxPath} → ${folder.shownPath}/ is already there`;
  return `${dryRun ? 'would create' : 'created'} empty folder ${folder.dropboxPath} → ${folder.shownPath}/`;
}
