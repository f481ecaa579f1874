/**
 * The restore's side of the local file system: folders made inside the target without ever following a
 * link out of it, what is already at a file's path, and the temporary names files are written under.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { pathInside } from '../local/paths.ts';
import { blockDigestsOfRange, combineBlockDigests } from './content-hash.ts';
import { LocalPathBlockedError, LocalWriteError } from './download-errors.ts';

export type LocalEntry =
  | { kind: 'none' }
  | { kind: 'file'; size: number }
  | { kind: 'folder' }
  | { kind: 'symbolic link' }
  | { kind: 'other' };

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function entryOf(stats: Stats): LocalEntry {
  if (stats.isSymbolicLink()) return { kind: 'symbolic link' };
  if (stats.isDirectory()) return { kind: 'folder' };
  if (stats.isFile()) return { kind: 'file', size: stats.size };
  return { kind: 'other' };
}

/**
 * What is at `localPath`, the entry itself (a link is reported as one, not followed). A path below
 * something that is not a folder throws LocalPathBlockedError naming that thing, not the system's ENOTDIR.
 */
export async function localEntryAt(localPath: string): Promise<LocalEntry> {
  try {
    return entryOf(await lstat(localPath));
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { kind: 'none' };
    if (hasCode(error, 'ENOTDIR'))
      throw (await inTheWayAbove(localPath)) ?? new LocalWriteError(localPath, 'check', error);
    throw new LocalWriteError(localPath, 'check', error);
  }
}

/** The nearest entry above `localPath` that is not a folder, as the error of a folder needed there. */
async function inTheWayAbove(localPath: string): Promise<LocalPathBlockedError | undefined> {
  for (let above = path.dirname(localPath); above !== path.dirname(above); above = path.dirname(above)) {
    const stats = await lstat(above).catch(() => undefined);
    if (stats === undefined) continue;
    const entry = entryOf(stats);
    if (entry.kind === 'folder') return undefined;
    return new LocalPathBlockedError(above, entry.kind === 'none' ? 'other' : entry.kind, 'folder');
  }
  return undefined;
}

/**
 * The folders of one restore, made on first use and shared by every file in them. Each folder between
 * the target and a file is checked as it is passed: an existing one must be a real folder, not a link,
 * so that no file is written through a link to a place outside the target.
 */
export class LocalFolders {
  readonly target: string;
  readonly #made = new Map<string, Promise<void>>();

  constructor(target: string) {
    this.target = target;
  }

  /** Makes `folder` (the target or a folder inside it) and the folders above it, up to the target. */
  ensure(folder: string): Promise<void> {
    const relative =
      path.resolve(folder) === path.resolve(this.target) ? '' : pathInside(this.target, folder);
    if (relative === undefined) return Promise.reject(new LocalPathBlockedError(folder, 'other', 'folder'));
    const segments = relative === '' ? [] : relative.split('/');
    let chain = this.#one(this.target, undefined, makeTarget);
    for (let depth = 1; depth <= segments.length; depth += 1) {
      chain = this.#one(path.join(this.target, ...segments.slice(0, depth)), chain);
    }
    return chain;
  }

  #one(
    folder: string,
    parent: Promise<void> | undefined,
    make: (folder: string) => Promise<void> = makeFolder,
  ): Promise<void> {
    let made = this.#made.get(folder);
    if (made === undefined) {
      made = (parent ?? Promise.resolve()).then(() => make(folder));
      this.#made.set(folder, made);
    }
    return made;
  }
}

/**
 * What LocalFolders.ensure(folder) would meet, found without making anything (for a dry run): the error it
 * would throw for the first entry on the way that is not a folder, or undefined when it would succeed.
 */
export async function folderWouldBeBlocked(
  target: string,
  folder: string,
): Promise<LocalPathBlockedError | undefined> {
  const relative = path.resolve(folder) === path.resolve(target) ? '' : pathInside(target, folder);
  if (relative === undefined) return new LocalPathBlockedError(folder, 'other', 'folder');
  const atTarget = await localEntryAt(target);
  // The target may be a link to a folder: it is the caller's choice.
  if (atTarget.kind === 'none') return undefined;
  if (atTarget.kind === 'file' || atTarget.kind === 'other')
    return new LocalPathBlockedError(target, atTarget.kind, 'folder');
  const segments = relative === '' ? [] : relative.split('/');
  for (let depth = 1; depth <= segments.length; depth += 1) {
    const at = path.join(target, ...segments.slice(0, depth));
    const found = await localEntryAt(at);
    if (found.kind === 'none') return undefined;
    if (found.kind !== 'folder') return new LocalPathBlockedError(at, found.kind, 'folder');
  }
  return undefined;
}

/** The target is the caller's choice: made with its parents if missing, and a link to a folder is fine. */
async function makeTarget(target: string): Promise<void> {
  try {
    await mkdir(target, { recursive: true });
  } catch (error) {
    if (hasCode(error, 'EEXIST') || hasCode(error, 'ENOTDIR')) {
      const found = await localEntryAt(target);
      throw new LocalPathBlockedError(target, found.kind === 'none' ? 'other' : found.kind, 'folder');
    }
    throw new LocalWriteError(target, 'create folder', error);
  }
}

async function makeFolder(folder: string): Promise<void> {
  const found = await localEntryAt(folder);
  if (found.kind === 'folder') return;
  if (found.kind !== 'none') throw new LocalPathBlockedError(folder, found.kind, 'folder');
  try {
    await mkdir(folder);
  } catch (error) {
    // Made meanwhile by someone else: fine if it is a folder now.
    if (hasCode(error, 'EEXIST') && (await localEntryAt(folder)).kind === 'folder') return;
    throw new LocalWriteError(folder, 'create folder', error);
  }
}

/**
 * A fresh hidden name next to `localPath` to write its bytes under until they are checked. Its length
 * does not depend on the file's name, so a name near the file system's limit still gets one.
 */
export function temporaryPathFor(localPath: string): string {
  return path.join(path.dirname(localPath), `.dropbox-restore-${randomBytes(6).toString('hex')}.part`);
}

/** The Dropbox content hash of a local file of `size` bytes (read once, one buffer of memory). */
export async function localContentHash(
  localPath: string,
  size: number,
  signal?: AbortSignal,
): Promise<string> {
  try {
    return combineBlockDigests(await blockDigestsOfRange(localPath, 0, size, signal));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new LocalWriteError(localPath, 'read', error);
  }
}
