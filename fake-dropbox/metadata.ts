import { randomBytes } from 'node:crypto';
import type { JsonObject } from './errors.ts';
import { nameOf } from './paths.ts';

export interface FileEntry {
  kind: 'file';
  pathLower: string;
  pathDisplay: string;
  id: string;
  rev: string;
  size: number;
  contentHash: string;
  /** Where the bytes live on disk. */
  blob: string;
  serverModified: string;
  clientModified: string;
}

export interface FolderEntry {
  kind: 'folder';
  pathLower: string;
  pathDisplay: string;
  id: string;
}

export type Entry = FileEntry | FolderEntry;

/** Dropbox timestamps are `%Y-%m-%dT%H:%M:%SZ`: no fractional seconds. */
export function dropboxTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newId(): string {
  return `id:${randomBytes(16).toString('base64url')}`;
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** FileMetadata as upload/finish return it: the declared type is FileMetadata, so there is no `.tag`. */
export function fileMetadata(file: FileEntry): JsonObject {
  return {
    name: nameOf(file.pathDisplay),
    id: file.id,
    client_modified: file.clientModified,
    server_modified: file.serverModified,
    rev: file.rev,
    size: file.size,
    path_lower: file.pathLower,
    path_display: file.pathDisplay,
    is_downloadable: true,
    content_hash: file.contentHash,
  };
}

/** FolderMetadata as create_folder_v2 returns it (no `.tag`). */
export function folderMetadata(folder: FolderEntry): JsonObject {
  return {
    name: nameOf(folder.pathDisplay),
    id: folder.id,
    path_lower: folder.pathLower,
    path_display: folder.pathDisplay,
  };
}

/** Where the declared type is Metadata (get_metadata, list_folder, delete_v2) the subtype is tagged. */
export function taggedMetadata(entry: Entry): JsonObject {
  return entry.kind === 'file'
    ? { '.tag': 'file', ...fileMetadata(entry) }
    : { '.tag': 'folder', ...folderMetadata(entry) };
}

export function deletedMetadata(pathLower: string, pathDisplay: string): JsonObject {
  return { '.tag': 'deleted', name: nameOf(pathDisplay), path_lower: pathLower, path_display: pathDisplay };
}
