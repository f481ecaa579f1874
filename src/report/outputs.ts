/** The step's outputs: counts, the resolved destination, and the per-file list within GitHub's limits. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { FileResult, RunTotals } from '../model.ts';
import { entryOf, failedFirst } from './result-parts.ts';

/**
 * GitHub caps a job output at 1 MB; the `files` list stays under it, with room for the other outputs,
 * counted in UTF-8 bytes.
 */
export const FILES_OUTPUT_MAX_BYTES = 1_000_000 - 32 * 1024;

export interface FileEntry {
  path: string;
  dropboxPath: string;
  size: number;
  contentHash: string;
  status: FileResult['status'];
  reason?: string;
  error?: string;
  sharedLink?: string;
}

export function totals(results: readonly FileResult[], elapsedMs: number): RunTotals {
  const count = (status: FileResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    uploaded: count('uploaded'),
    skipped: count('skipped'),
    failed: count('failed'),
    uploadedBytes: results.filter((r) => r.status === 'uploaded').reduce((sum, r) => sum + r.size, 0),
    elapsedMs,
  };
}

export function fileEntry(result: FileResult): FileEntry {
  return {
    ...entryOf(result),
    status: result.status,
    ...(result.sharedLink === undefined ? {} : { sharedLink: result.sharedLink }),
  };
}

/**
 * The entries of `items` as a JSON array of at most `maxBytes`: failed files first (they matter most when
 * the list is cut), then the others in plan order, each whole. Returns how many were left out. An entry
 * is made only when its turn comes, so a long list costs no more than the part that fits.
 */
export function filesJsonWithin<T extends { status: string }>(
  items: readonly T[],
  toEntry: (item: T) => object,
  maxBytes: number = FILES_OUTPUT_MAX_BYTES,
): { json: string; leftOut: number } {
  const kept: string[] = [];
  let size = 2;
  for (const item of failedFirst(items)) {
    const json = JSON.stringify(toEntry(item));
    const cost = Buffer.byteLength(json, 'utf8') + (kept.length > 0 ? 1 : 0);
    if (size + cost > maxBytes) break;
    kept.push(json);
    size += cost;
  }
  // Uncut, the list keeps plan order.
  if (kept.length === items.length)
    return { json: `[${items.map((item) => JSON.stringify(toEntry(item))).join(',')}]`, leftOut: 0 };
  return { json: `[${kept.join(',')}]`, leftOut: items.length - kept.length };
}

/**
 * Entries written to the `files-json` file at a time: the file may list 100,000, never held as one text,
 * and a small part is garbage before the young generation is next collected.
 */
const ENTRIES_PER_WRITE = 100;

/**
 * Writes an entry for every item, in plan order, to a new JSON file in `tempDir`, for the `files-json`
 * output; returns its path. The writes are synchronous, so each part's text is garbage before the next is
 * made; awaiting each write of 1,000 entries kept them alive into the old generation (100,000 files: the
 * heap grew by 33 MiB while the file was written, 15 MiB so, in about 0.1 s either way).
 */
export async function writeFilesJson<T>(
  items: readonly T[],
  toEntry: (item: T) => object,
  tempDir: string,
): Promise<string> {
  const folder = await mkdtemp(path.join(tempDir, 'dropbox-files-'));
  const file = path.join(folder, 'files.json');
  const fd = openSync(file, 'w');
  try {
    for (let start = 0; start < items.length || start === 0; start += ENTRIES_PER_WRITE) {
      const batch = items
        .slice(start, start + ENTRIES_PER_WRITE)
        .map((item) => JSON.stringify(toEntry(item)));
      const opening = start === 0 ? '[' : ',';
      const closing = start + ENTRIES_PER_WRITE >= items.length ? ']' : '';
      writeSync(fd, `${opening}${batch.join(',')}${closing}`);
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

export function uploadOutputs(
  results: readonly FileResult[],
  destination: string,
  pruned: readonly string[] = [],
): { outputs: Record<string, string>; filesLeftOut: number } {
  const sums = totals(results, 0);
  const files = filesJsonWithin(results, fileEntry);
  return {
    outputs: {
      'uploaded-count': String(sums.uploaded),
      'skipped-count': String(sums.skipped),
      'failed-count': String(sums.failed),
      'uploaded-bytes': String(sums.uploadedBytes),
      destination: destination === '' ? '/' : destination,
      files: files.json,
      pruned: JSON.stringify(pruned),
    },
    filesLeftOut: files.leftOut,
  };
}
