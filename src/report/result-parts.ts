/**
 * What the upload's and the restore's reports say alike about a file: its status cell, its entry in the
 * `files` output, the order failed files come in, and the warning when that output is cut.
 */
import type { Annotation, Explanation } from '../model.ts';
import { data, text, type Inline } from './summary.ts';

/** A file's outcome as the reports read it: uploaded or downloaded, skipped, or failed. */
export interface ReportedResult {
  dropboxPath: string;
  shownPath: string;
  size: number;
  contentHash: string;
  status: string;
  reason?: string;
  error?: Explanation;
}

/** Failed ones first (they matter most when a list is cut), then the others in plan order. */
export function failedFirst<T extends { status: string }>(items: readonly T[]): T[] {
  return [
    ...items.filter((item) => item.status === 'failed'),
    ...items.filter((item) => item.status !== 'failed'),
  ];
}

/** The summary's status cell: `✅ Uploaded`, `⏭️ Skipped (unchanged)`, `❌ Failed: <title>`, or what a dry run would do. */
export function statusCell(
  result: ReportedResult,
  done: { word: string; verb: string },
  dryRun: boolean,
): Inline[] {
  if (result.status === 'skipped') {
    return [
      text(`⏭️ ${dryRun ? 'Would skip' : 'Skipped'}`),
      ...(result.reason === undefined ? [] : [text(' ('), data(result.reason), text(')')]),
    ];
  }
  if (result.status === 'failed') {
    return [
      text(`❌ ${dryRun ? 'Would fail' : 'Failed'}`),
      ...(result.error === undefined ? [] : [text(': '), data(result.error.title)]),
    ];
  }
  return [text(dryRun ? `🔍 Would ${done.verb}` : `✅ ${done.word}`)];
}

/** The fields every entry of a `files` output has. */
export function entryOf(result: ReportedResult): {
  path: string;
  dropboxPath: string;
  size: number;
  contentHash: string;
  reason?: string;
  error?: string;
} {
  return {
    path: result.shownPath,
    dropboxPath: result.dropboxPath,
    size: result.size,
    contentHash: result.contentHash,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.error === undefined ? {} : { error: `${result.error.title}: ${result.error.message}` }),
  };
}

/** The warning when the `files` output had to leave entries out. */
export function filesOutputCut(total: number, leftOut: number): Annotation {
  return {
    level: 'warning',
    title: 'files output cut',
    message:
      `The "files" output lists ${total - leftOut} of ${total} files, failed ones first: GitHub limits an ` +
      'output to 1 MB. The "files-json" output names a file with every entry.',
  };
}
