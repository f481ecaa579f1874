/**
 * What the upload's and the restore's reports say alike about a file: its status cell, its entry in the
 * `files` output, the order failed files come in, and the warning when that output is cut.
 */
import type { Annotation, Explanation } from '../model.ts';
import { formatBytes, formatDuration, formatRate } from './format.ts';
import { data, strong, text, type Inline, type SummaryBlock } from './summary.ts';

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

/** The fields every entry of a `files` output has, in the order the actions document them. */
export function entryOf(result: ReportedResult): {
  path: string;
  dropboxPath: string;
  size: number;
  contentHash: string;
  status: string;
  reason?: string;
  error?: string;
} {
  return {
    path: result.shownPath,
    dropboxPath: result.dropboxPath,
    size: result.size,
    contentHash: result.contentHash,
    status: result.status,
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

/**
 * The summary's middle: why the run stopped, if it did, then the table of files (or that there were none)
 * and their counts. `done` names what a file that arrived did: Uploaded, Downloaded.
 */
export function filesBlocks(
  outcome: { stoppedBy?: Explanation; dryRun: boolean },
  counts: { done: number; doneBytes: number; skipped: number; failed: number },
  done: { word: string; verb: string; none: string },
  table: SummaryBlock | undefined,
): SummaryBlock[] {
  const blocks: SummaryBlock[] = [];
  if (outcome.stoppedBy !== undefined) {
    blocks.push({ kind: 'paragraph', parts: [strong('Stopped:'), text(' '), data(outcome.stoppedBy.title)] });
  }
  blocks.push(table ?? { kind: 'paragraph', parts: [text(done.none)] });
  const [arrived, skipped, failed] = outcome.dryRun
    ? [`Would ${done.verb}:`, 'Would skip:', 'Would fail:']
    : [`${done.word}:`, 'Skipped:', 'Failed:'];
  blocks.push({
    kind: 'paragraph',
    parts: [
      strong(arrived),
      text(` ${counts.done} (${formatBytes(counts.doneBytes)}) · `),
      strong(skipped),
      text(` ${counts.skipped} · `),
      strong(failed),
      text(` ${counts.failed}`),
    ],
  });
  return blocks;
}

/** The summary's last line: time, and the rate of what crossed the wire (`sent` or `received`). */
export function elapsedBlock(elapsedMs: number, wireBytes: number, wireWord: string): SummaryBlock {
  return {
    kind: 'paragraph',
    parts: [
      strong('Elapsed:'),
      text(` ${formatDuration(elapsedMs)} · `),
      strong('Throughput:'),
      text(` ${formatRate(wireBytes, elapsedMs)} (${formatBytes(wireBytes)} ${wireWord})`),
    ],
  };
}
