/** The restore's summary as data: the source and local folder, a row per file (failed first), folders, totals, time. */
import type { DownloadResult, FolderResult } from '../model.ts';
import { formatBytes } from './format.ts';
import type { RestoreRunOutcome } from './restore-outcome.ts';
import { restoreTotals } from './restore-outputs.ts';
import { elapsedBlock, failedFirst, filesBlocks, statusCell } from './result-parts.ts';
import {
  data,
  strong,
  tableRows,
  text,
  type Inline,
  type SummaryBlock,
  type SummaryModel,
} from './summary.ts';

const DOWNLOADED = { word: 'Downloaded', verb: 'download' };

function fileRows(results: readonly DownloadResult[], dryRun: boolean): SummaryBlock {
  const ordered = failedFirst(results);
  return {
    kind: 'table',
    columns: [
      { title: 'Dropbox path' },
      { title: 'Local path' },
      { title: 'Size', align: 'right' },
      { title: 'Status' },
    ],
    ...tableRows(ordered, (result) => [
      [data(result.dropboxPath)],
      [data(result.shownPath)],
      [text(formatBytes(result.size))],
      statusCell(result, DOWNLOADED, dryRun),
    ]),
    rowNoun: 'files',
    everyRowIn: 'the "files" and "files-json" outputs list them all',
  };
}

function folderItem(folder: FolderResult, dryRun: boolean): Inline[] {
  const shown = [data(`${folder.shownPath}/`)];
  if (folder.status === 'failed')
    return [...shown, text(` ❌ ${dryRun ? 'would fail' : 'failed'}: `), data(folder.error?.title ?? '')];
  if (folder.status === 'exists') return [...shown, text(' (already there)')];
  return [...shown, text(dryRun ? ' (would be created)' : ' (created)')];
}

export function restoreSummary(outcome: RestoreRunOutcome, elapsedMs: number): SummaryModel {
  const { results, folders, dryRun } = outcome;
  const sums = restoreTotals(results);
  const blocks: SummaryBlock[] = [
    { kind: 'heading', text: dryRun ? 'Dropbox restore (dry run)' : 'Dropbox restore' },
    {
      kind: 'paragraph',
      parts: [
        text('Source: '),
        data(outcome.source === '' ? '/' : outcome.source),
        text(' · Into: '),
        data(outcome.target),
      ],
    },
  ];
  if (dryRun && outcome.stoppedBy === undefined) {
    blocks.push({
      kind: 'paragraph',
      parts: [
        strong('Dry run:'),
        text(
          ' Dropbox accepted the credentials and listed the source. Nothing was downloaded or written on the ' +
            'runner; the table shows what a real run would do.',
        ),
      ],
    });
  }
  const counts = {
    done: sums.downloaded,
    doneBytes: sums.downloadedBytes,
    skipped: sums.skipped,
    failed: sums.failed,
  };
  const table = results.length === 0 ? undefined : fileRows(results, dryRun);
  blocks.push(...filesBlocks(outcome, counts, { ...DOWNLOADED, none: 'No files were restored.' }, table));
  if (folders.length > 0) {
    blocks.push({ kind: 'paragraph', parts: [strong('Empty folders:'), text(` ${folders.length}`)] });
    blocks.push({ kind: 'list', items: folders.map((folder) => folderItem(folder, dryRun)) });
  }
  blocks.push(elapsedBlock(elapsedMs, sums.receivedBytes, 'received'));
  return { blocks };
}
