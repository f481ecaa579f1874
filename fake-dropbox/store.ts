import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tagged, type JsonObject } from './errors.ts';
import {
  dropboxTimestamp,
  newId,
  taggedMetadata,
  type Entry,
  type FileEntry,
  type FolderEntry,
} from './metadata.ts';
import {
  ancestorsOf,
  comparePaths,
  isDisallowedName,
  isUnder,
  joinPath,
  lowerPath,
  nameOf,
  parentOf,
  parsePath,
  splitExtension,
  type ParsedPath,
} from './paths.ts';

export type WriteMode = { tag: 'add' } | { tag: 'overwrite' } | { tag: 'update'; rev: string };

/** Bytes already on disk; a commit takes ownership of the file (moves it into the store, or deletes it). */
export interface BlobFile {
  file: string;
  size: number;
  contentHash: string;
}

export interface CommitRequest {
  path: string;
  mode: WriteMode;
  autorename: boolean;
  strictConflict: boolean;
  clientModified?: string;
  blob: BlobFile;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: JsonObject };

const conflict = (kind: 'file' | 'folder' | 'file_ancestor'): JsonObject => ({
  '.tag': 'conflict',
  conflict: tagged(kind),
});

/**
 * One namespace: the file/folder tree keyed by path_lower, with the write rules of files.stone
 * (modes, autorename, strict_conflict, quota, read-only folders). Everything here is synchronous so a
 * commit is atomic with respect to other requests.
 */
export class NamespaceStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byId = new Map<string, string>();
  readonly #commitCounts = new Map<string, number>();
  readonly #readOnly = new Set<string>();
  readonly #blobDir: string;
  readonly #quotaBytes: number;
  readonly #revSeed = randomBytes(2).toString('hex');
  #revCounter = 0;
  #blobCounter = 0;
  #usedBytes = 0;

  constructor(blobDir: string, quotaBytes: number) {
    this.#blobDir = blobDir;
    this.#quotaBytes = quotaBytes;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  /**
   * Commit bytes to a path. On success the blob is the store's (moved in, or deleted when the content was
   * already there); on failure the error is a WriteError and the blob is still the caller's.
   * Every successful commit counts, no-ops included, so a test can prove a file was not committed twice.
   */
  commit(request: CommitRequest, options: { seed?: boolean } = {}): Outcome<FileEntry> {
    const result = this.#commit(request, options.seed === true);
    if (result.ok && !options.seed) {
      const key = result.value.pathLower;
      this.#commitCounts.set(key, (this.#commitCounts.get(key) ?? 0) + 1);
    }
    return result;
  }

  #commit(request: CommitRequest, seed: boolean): Outcome<FileEntry> {
    const parsed = this.#parseForWrite(request.path, seed);
    if (!parsed.ok) return parsed;
    const { mode, blob } = request;
    let target = parsed.value;
    const existing = this.#entries.get(target.lower);
    const decision = decide(existing, mode, request.strictConflict, blob.contentHash);
    if (decision === 'noop' && existing?.kind === 'file') {
      removeFile(blob.file);
      return { ok: true, value: existing };
    }
    let replacing = decision === 'write' && existing?.kind === 'file' ? existing : undefined;
    if (decision !== 'write' && decision !== 'noop') {
      if (!request.autorename) return { ok: false, error: conflict(decision) };
      target = this.#freeName(target, mode.tag === 'update' ? 'conflicted' : 'numbered');
      replacing = undefined;
    }
    const used = this.#usedBytes - (replacing?.size ?? 0) + blob.size;
    if (!seed && used > this.#quotaBytes) return { ok: false, error: tagged('insufficient_space') };

    this.#ensureParents(target);
    const now = dropboxTimestamp();
    const file: FileEntry = {
      kind: 'file',
      pathLower: target.lower,
      pathDisplay: replacing?.pathDisplay ?? this.#displayFor(target),
      id: replacing?.id ?? newId(),
      rev: this.#nextRev(),
      size: blob.size,
      contentHash: blob.contentHash,
      blob: join(this.#blobDir, `b${++this.#blobCounter}`),
      serverModified: now,
      clientModified: request.clientModified ?? now,
    };
    renameSync(blob.file, file.blob);
    if (replacing) removeFile(replacing.blob);
    this.#usedBytes = used;
    this.#put(file);
    return { ok: true, value: file };
  }

  /** create_folder_v2: a WriteError when anything already sits at the path. */
  createFolder(rawPath: string, autorename: boolean): Outcome<FolderEntry> {
    const parsed = this.#parseForWrite(rawPath, false);
    if (!parsed.ok) return parsed;
    let target = parsed.value;
    const existing = this.#entries.get(target.lower);
    if (existing) {
      if (!autorename) return { ok: false, error: conflict(existing.kind) };
      target = this.#freeName(target, 'folder');
    }
    this.#ensureParents(target);
    return { ok: true, value: this.#addFolder(target) };
  }

  /** Seeding helper: mkdir -p; fine when the folder exists. */
  ensureFolder(rawPath: string): void {
    const parsed = parsePath(rawPath);
    if (!parsed) throw new Error(`malformed Dropbox path: ${JSON.stringify(rawPath)}`);
    if (parsed.segments.length === 0) return;
    for (const key of [...ancestorsOf(parsed.lower), parsed.lower]) {
      if (this.#entries.get(key)?.kind === 'file') throw new Error(`a file is in the way at ${key}`);
    }
    this.#ensureParents(parsed);
    if (!this.#entries.has(parsed.lower)) this.#addFolder(parsed);
  }

  /** A LookupError (`malformed_path`, `not_found`) or the entry. The root has no entry. */
  lookup(rawPath: string): Outcome<Entry> {
    const resolved = this.#resolve(rawPath);
    if (resolved === undefined) return { ok: false, error: tagged('not_found') };
    const parsed = parsePath(resolved);
    if (!parsed || parsed.segments.length === 0) return { ok: false, error: tagged('malformed_path') };
    const entry = this.#entries.get(parsed.lower);
    return entry ? { ok: true, value: entry } : { ok: false, error: tagged('not_found') };
  }

  /** delete_v2: removes a file, or a folder with everything under it. Errors are DeleteError. */
  delete(rawPath: string, parentRev?: string): Outcome<JsonObject> {
    const found = this.lookup(rawPath);
    if (!found.ok) return { ok: false, error: { '.tag': 'path_lookup', path_lookup: found.error } };
    const entry = found.value;
    if (this.#isReadOnly(entry.pathLower)) {
      return { ok: false, error: { '.tag': 'path_write', path_write: tagged('no_write_permission') } };
    }
    if (parentRev !== undefined && (entry.kind !== 'file' || entry.rev !== parentRev)) {
      return { ok: false, error: { '.tag': 'path_write', path_write: conflict('file') } };
    }
    const metadata = taggedMetadata(entry);
    for (const [key, child] of [...this.#entries]) {
      if (!isUnder(key, entry.pathLower)) continue;
      this.#entries.delete(key);
      this.#byId.delete(child.id);
      if (child.kind === 'file') {
        this.#usedBytes -= child.size;
        removeFile(child.blob);
      }
    }
    return { ok: true, value: metadata };
  }

  /** Entries under a folder (`""` = root), sorted by path_lower, so parents come before children. */
  list(folderLower: string, recursive: boolean): Entry[] {
    const result: Entry[] = [];
    for (const [key, entry] of this.#entries) {
      if (!isUnder(key, folderLower) || key === folderLower) continue;
      if (recursive || parentOf(key) === folderLower) result.push(entry);
    }
    return result.sort((a, b) => comparePaths(a.pathLower, b.pathLower));
  }

  files(): FileEntry[] {
    return this.list('', true).filter((entry): entry is FileEntry => entry.kind === 'file');
  }

  setReadOnly(rawPath: string): void {
    const parsed = parsePath(rawPath);
    if (!parsed) throw new Error(`malformed Dropbox path: ${JSON.stringify(rawPath)}`);
    this.#readOnly.add(parsed.lower);
  }

  commitCount(rawPath: string): number {
    return this.#commitCounts.get(lowerPath(rawPath)) ?? 0;
  }

  #parseForWrite(rawPath: string, seed: boolean): Outcome<ParsedPath> {
    const resolved = this.#resolve(rawPath);
    const parsed = resolved === undefined ? undefined : parsePath(resolved);
    if (!parsed || parsed.segments.length === 0) return { ok: false, error: tagged('malformed_path') };
    if (parsed.segments.some(isDisallowedName)) return { ok: false, error: tagged('disallowed_name') };
    if (!seed && this.#isReadOnly(parsed.lower)) return { ok: false, error: tagged('no_write_permission') };
    for (const ancestor of ancestorsOf(parsed.lower)) {
      if (this.#entries.get(ancestor)?.kind === 'file')
        return { ok: false, error: conflict('file_ancestor') };
    }
    return { ok: true, value: parsed };
  }

  /** `id:` paths name an existing entry; undefined when the id is unknown. */
  #resolve(rawPath: string): string | undefined {
    if (!rawPath.startsWith('id:')) return rawPath;
    const key = this.#byId.get(rawPath);
    return key === undefined ? undefined : this.#entries.get(key)?.pathDisplay;
  }

  #isReadOnly(pathLower: string): boolean {
    for (const folder of this.#readOnly) if (isUnder(pathLower, folder)) return true;
    return false;
  }

  /** Autorename candidates: `name (1).ext`, `name (2).ext`…; an `update` conflict gets a conflicted copy. */
  #freeName(target: ParsedPath, style: 'numbered' | 'conflicted' | 'folder'): ParsedPath {
    const parent = parentOf(target.display);
    const name = nameOf(target.display);
    const { base, ext } = style === 'folder' ? { base: name, ext: '' } : splitExtension(name);
    for (let n = 1; ; n += 1) {
      const suffix =
        style === 'conflicted' ? (n === 1 ? ' (conflicted copy)' : ` (conflicted copy ${n})`) : ` (${n})`;
      const display = joinPath(parent, `${base}${suffix}${ext}`);
      if (!this.#entries.has(lowerPath(display))) return parsePath(display)!;
    }
  }

  /** Existing folders keep their display case; new path components take the caller's. */
  #displayFor(target: ParsedPath): string {
    const parent = parentOf(target.lower);
    const parentDisplay =
      parent === '' ? '' : (this.#entries.get(parent)?.pathDisplay ?? parentOf(target.display));
    return joinPath(parentDisplay, nameOf(target.display));
  }

  #ensureParents(target: ParsedPath): void {
    for (const ancestor of ancestorsOf(target.display)) {
      if (!this.#entries.has(lowerPath(ancestor))) this.#addFolder(parsePath(ancestor)!);
    }
  }

  #addFolder(target: ParsedPath): FolderEntry {
    const folder: FolderEntry = {
      kind: 'folder',
      pathLower: target.lower,
      pathDisplay: this.#displayFor(target),
      id: newId(),
    };
    this.#put(folder);
    return folder;
  }

  #put(entry: Entry): void {
    this.#entries.set(entry.pathLower, entry);
    this.#byId.set(entry.id, entry.pathLower);
  }

  #nextRev(): string {
    return `${this.#revSeed}${(++this.#revCounter).toString(16).padStart(9, '0')}`;
  }
}

/** What a commit does given what is at the path (files.stone CommitInfo / WriteMode docs). */
function decide(
  existing: Entry | undefined,
  mode: WriteMode,
  strict: boolean,
  contentHash: string,
): 'write' | 'noop' | 'file' | 'folder' {
  if (!existing) return mode.tag === 'update' && strict ? 'file' : 'write';
  if (existing.kind === 'folder') return 'folder';
  const identical = existing.contentHash === contentHash && !strict;
  if (mode.tag === 'overwrite') return identical ? 'noop' : 'write';
  if (mode.tag === 'update' && mode.rev === existing.rev) return identical ? 'noop' : 'write';
  return identical ? 'noop' : 'file';
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
