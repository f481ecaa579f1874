/**
 * The run's outputs, job summary and failure annotations. The builders are pure (tested on their own);
 * writeReport, annotateFailure and annotateRunFailure are the thin @actions/core edge.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { formatBytes, formatDuration, formatRate } from './format.ts';
import type { Explanation, FileResult, RunTotals } from '../model.ts';
import { pathInside, type PathApi } from '../plan/plan.ts';

/** Rows shown in the job summary; GitHub caps a summary at 1 MiB, and the `files` output has every file. */
export const SUMMARY_ROW_LIMIT = 500;

export interface ReportOptions {
  /** The resolved Dropbox folder, `/` for the root. */
  destination: string;
  elapsedMs: number;
  /** Local paths are shown relative to this folder (GITHUB_WORKSPACE). */
  workspace: string;
  /** Dropbox folders keep-last deleted (in a dry run: would delete); undefined when keep-last is off. */
  pruned?: readonly string[];
  /** Nothing was written: the results are the plan, and the summary says the connection works. */
  dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

/** The local path relative to the workspace with `/` separators; the absolute path when outside it. */
export function workspacePath(localPath: string, workspace: string, pathApi: PathApi = path): string {
  return pathInside(workspace, localPath, pathApi) ?? localPath.split(pathApi.sep).join('/');
}

export function totals(results: FileResult[], elapsedMs: number): RunTotals {
  const count = (status: FileResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    uploaded: count('uploaded'),
    skipped: count('skipped'),
    failed: count('failed'),
    uploadedBytes: results.filter((r) => r.status === 'uploaded').reduce((sum, r) => sum + r.size, 0),
    elapsedMs,
  };
}

function errorText(error: Explanation): string {
  return `${error.title}: ${error.message}`;
}

export function buildOutputs(
  results: FileResult[],
  destination: string,
  workspace: string,
  pruned: readonly string[] = [],
): Record<string, string> {
  const sums = totals(results, 0);
  const files = results.map((result) => ({
    path: workspacePath(result.localPath, workspace),
    dropboxPath: result.dropboxPath,
    size: result.size,
    contentHash: result.contentHash,
    status: result.status,
    ...(result.error === undefined ? {} : { error: errorText(result.error) }),
    ...(result.sharedLink === undefined ? {} : { sharedLink: result.sharedLink }),
  }));
  return {
    'uploaded-count': String(sums.uploaded),
    'skipped-count': String(sums.skipped),
    'failed-count': String(sums.failed),
    'uploaded-bytes': String(sums.uploadedBytes),
    destination: destination === '' ? '/' : destination,
    files: JSON.stringify(files),
    pruned: JSON.stringify(pruned),
  };
}

/**
 * Escapes text for a Markdown table cell: backslash-escapes the punctuation Markdown (and GitHub's
 * extensions: tables, strikethrough, math, mentions) would act on, and flattens line breaks, which
 * Linux file names may contain.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>()#+!|~&$@]/g, (c) => `\\${c}`);
}

function statusCell(result: FileResult, dryRun: boolean): string {
  switch (result.status) {
    case 'uploaded':
      return dryRun ? '🔍 Would upload' : '✅ Uploaded';
    case 'skipped':
      return `⏭️ ${dryRun ? 'Would skip' : 'Skipped'}${result.reason === undefined ? '' : ` (${escapeMarkdown(result.reason)})`}`;
    case 'failed':
      return `❌ ${dryRun ? 'Would fail' : 'Failed'}${result.error === undefined ? '' : `: ${escapeMarkdown(result.error.title)}`}`;
  }
}

/**
 * A shared link as a Markdown link. Dropbox URL-encodes the file name in it but leaves `(` and `)`,
 * which would end the link target early; anything that does not look like an https URL is shown as text.
 */
export function linkCell(url: string | undefined): string {
  if (url === undefined) return '';
  if (!/^https:\/\/[^\s<>|`\\[\]]+$/.test(url)) return escapeMarkdown(url);
  return `[link](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

/** The keep-last part of the summary: what was (or would be) deleted. */
function prunedLines(pruned: readonly string[], dryRun: boolean): string[] {
  const lead = dryRun ? 'keep-last would delete' : 'keep-last deleted';
  if (pruned.length === 0) return [`**${lead}:** nothing`, ''];
  const shown = pruned.slice(0, SUMMARY_ROW_LIMIT).map((path) => `- ${escapeMarkdown(path)}`);
  const more = pruned.length > shown.length ? [`- … and ${pruned.length - shown.length} more`] : [];
  return [`**${lead}:** ${pruned.length} folder(s)`, '', ...shown, ...more, ''];
}

/** The job summary as Markdown. Failed files come first, so they are shown even past the row limit. */
export function buildSummaryMarkdown(results: FileResult[], options: ReportOptions): string {
  const destination = options.destination === '' ? '/' : options.destination;
  const sums = totals(results, options.elapsedMs);
  const bytesSent = results.reduce((sum, r) => sum + r.bytesSent, 0);
  const ordered = [
    ...results.filter((r) => r.status === 'failed'),
    ...results.filter((r) => r.status !== 'failed'),
  ];
  const shown = ordered.slice(0, SUMMARY_ROW_LIMIT);

  const dryRun = options.dryRun === true;
  const lines = [
    dryRun ? '## Dropbox upload (dry run)' : '## Dropbox upload',
    '',
    `Destination: ${escapeMarkdown(destination)}`,
    '',
  ];
  if (dryRun) {
    lines.push(
      '**The connection works:** Dropbox accepted the credentials and answered. This was a dry run: nothing ' +
        'was uploaded or deleted, and the table shows what a real run would do. (Permission to write is ' +
        'first used by a real run.)',
      '',
    );
  }
  if (results.length === 0) {
    lines.push('No files were uploaded.', '');
  } else {
    // The link column appears only when shared-links produced a link, so plain uploads keep four columns.
    const withLinks = results.some((result) => result.sharedLink !== undefined);
    if (withLinks)
      lines.push(
        '| Local path | Dropbox path | Size | Status | Shared link |',
        '| --- | --- | ---: | --- | --- |',
      );
    else lines.push('| Local path | Dropbox path | Size | Status |', '| --- | --- | ---: | --- |');
    for (const result of shown) {
      const cells = [
        escapeMarkdown(workspacePath(result.localPath, options.workspace)),
        escapeMarkdown(result.dropboxPath),
        formatBytes(result.size),
        statusCell(result, dryRun),
      ];
      if (withLinks) cells.push(linkCell(result.sharedLink));
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
    if (ordered.length > shown.length) {
      lines.push(
        `_Showing the first ${shown.length} of ${ordered.length} files; the "files" output lists them all._`,
        '',
      );
    }
  }
  if (dryRun) {
    lines.push(
      `**Would upload:** ${sums.uploaded} (${formatBytes(sums.uploadedBytes)}) · **Would skip:** ${sums.skipped} · ` +
        `**Would fail:** ${sums.failed}`,
      '',
    );
  } else {
    lines.push(
      `**Uploaded:** ${sums.uploaded} (${formatBytes(sums.uploadedBytes)}) · **Skipped:** ${sums.skipped} · ` +
        `**Failed:** ${sums.failed}`,
      '',
    );
  }
  if (options.pruned !== undefined) lines.push(...prunedLines(options.pruned, dryRun));
  lines.push(
    `**Elapsed:** ${formatDuration(options.elapsedMs)} · **Throughput:** ${formatRate(bytesSent, options.elapsedMs)} ` +
      `(${formatBytes(bytesSent)} sent)`,
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// @actions/core edge

/** Sets every output and writes the job summary (skipped when the runner offers none). */
export async function writeReport(results: FileResult[], options: ReportOptions): Promise<RunTotals> {
  const outputs = buildOutputs(results, options.destination, options.workspace, options.pruned);
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value);
  }
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.');
  } else {
    try {
      await core.summary.addRaw(buildSummaryMarkdown(results, options), true).write();
    } catch (error) {
      // A summary is a convenience; failing to write it must not fail the upload.
      core.warning(
        `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return totals(results, options.elapsedMs);
}

/** One error annotation for a file that did not reach Dropbox. */
export function annotateFailure(result: FileResult, workspace?: string): void {
  const local = workspace === undefined ? result.localPath : workspacePath(result.localPath, workspace);
  const title = result.error?.title ?? 'Dropbox request failed';
  const why = result.error?.message ?? 'The upload failed for an unknown reason.';
  core.error(`${result.dropboxPath} (from ${local}) was not uploaded. ${why}`, { title });
}

/** The single annotation for a credential problem that stopped the whole run. */
export function annotateRunFailure(explanation: Explanation): void {
  core.error(explanation.message, { title: explanation.title });
}
