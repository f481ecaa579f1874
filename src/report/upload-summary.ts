/** The upload's summary as data: the destination, a row per file (failed first), totals, retention, time. */
import type { FileResult, FolderResult, UploadOutcome } from '../model.ts';
import { formatBytes } from './format.ts';
import { data, strong, tableRows, text, type Cell, type SummaryBlock, type SummaryModel } from './summary.ts';
import { totals } from './outputs.ts';
import { elapsedBlock, failedFirst, filesBlocks, statusCell } from './result-parts.ts';
import { retentionSummaryBlocks } from './retention-table.ts';

const UPLOADED = { word: 'Uploaded', verb: 'upload' };

function fileRows(results: readonly FileResult[], dryRun: boolean): SummaryBlock {
  // The link column appears only when shared-links produced a link, so plain uploads keep four columns.
  const withLinks = results.some((result) => result.sharedLink !== undefined);
  const ordered = failedFirst(results);
  return {
    kind: 'table',
    columns: [
      { title: 'Local path' },
      { title: 'Dropbox path' },
      { title: 'Size', align: 'right' },
      { title: 'Status' },
      ...(withLinks ? [{ title: 'Shared link' }] : []),
    ],
    ...tableRows(ordered, (result) => {
      const cells: Cell[] = [
        [data(result.shownPath)],
        [data(result.dropboxPath)],
        [text(formatBytes(result.size))],
        statusCell(result, UPLOADED, dryRun),
      ];
      if (withLinks) cells.push(result.sharedLink === undefined ? [] : { link: result.sharedLink });
      return cells;
    }),
    rowNoun: 'files',
    everyRowIn: 'the "files" and "files-json" outputs list them all',
  };
}

function prunedBlocks(pruned: readonly string[], dryRun: boolean): SummaryBlock[] {
  const lead = dryRun ? 'Retention would delete:' : 'Retention deleted:';
  if (pruned.length === 0) return [{ kind: 'paragraph', parts: [strong(lead), text(' nothing')] }];
  return [
    { kind: 'paragraph', parts: [strong(lead), text(` ${pruned.length} folder(s)`)] },
    { kind: 'list', items: pruned.map((folder) => [data(folder)]) },
  ];
}

/** The empty folders: how many were created, and each one that could not be. */
function folderBlocks(folders: readonly FolderResult[], dryRun: boolean): SummaryBlock[] {
  const count = (status: FolderResult['status']): number =>
    folders.filter((folder) => folder.status === status).length;
  const failed = folders.filter((folder) => folder.status === 'failed');
  return [
    {
      kind: 'paragraph',
      parts: [
        strong('Empty folders:'),
        text(
          ` ${count('created')} ${dryRun ? 'would be created' : 'created'} · ${count('exists')} already there · ${failed.length} failed`,
        ),
      ],
    },
    ...(failed.length === 0
      ? []
      : [
          {
            kind: 'list' as const,
            items: failed.map((folder) => [
              data(folder.dropboxPath),
              text(': '),
              data(folder.error?.title ?? ''),
            ]),
          },
        ]),
  ];
}

export function uploadSummary(outcome: UploadOutcome, elapsedMs: number): SummaryModel {
  const { results, dryRun } = outcome;
  const sums = totals(results, elapsedMs);
  const bytesSent = results.reduce((sum, result) => sum + result.bytesSent, 0);
  const blocks: SummaryBlock[] = [
    { kind: 'heading', text: dryRun ? 'Dropbox upload (dry run)' : 'Dropbox upload' },
    {
      kind: 'paragraph',
      parts: [text('Destination: '), data(outcome.destination === '' ? '/' : outcome.destination)],
    },
  ];
  if (dryRun && outcome.stoppedBy === undefined) {
    blocks.push({
      kind: 'paragraph',
      parts: [
        strong('The connection works:'),
        text(
          ' Dropbox accepted the credentials and answered. This was a dry run: nothing was uploaded or deleted, ' +
            'and the table shows what a real run would do. (Permission to write is first used by a real run.)',
        ),
      ],
    });
  }
  const counts = {
    done: sums.uploaded,
    doneBytes: sums.uploadedBytes,
    skipped: sums.skipped,
    failed: sums.failed,
  };
  const table = results.length === 0 ? undefined : fileRows(results, dryRun);
  blocks.push(...filesBlocks(outcome, counts, { ...UPLOADED, none: 'No files were uploaded.' }, table));
  if (outcome.folders !== undefined) blocks.push(...folderBlocks(outcome.folders, dryRun));
  if (outcome.retention !== undefined) {
    const { rows, policy, notDeleted } = outcome.retention;
    blocks.push(
      ...retentionSummaryBlocks(rows, policy, {
        tense: dryRun ? 'plan' : 'done',
        notDeleted: new Set(notDeleted),
      }),
    );
  } else if (outcome.pruned !== undefined) {
    blocks.push(...prunedBlocks(outcome.pruned, dryRun));
  }
  blocks.push(elapsedBlock(elapsedMs, bytesSent, 'sent'));
  return { blocks };
}
