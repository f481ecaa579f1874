/** The CommitInfo of one file: how if-exists is carried out, and the local modification time it keeps. */
import type { files } from 'dropbox';
import type { IfExists } from '../model.ts';

/** Dropbox's timestamp format: UTC, whole seconds (`2015-05-12T15:50:38Z`). */
export function dropboxTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The CommitInfo that carries out `if-exists` for one file, with its local modification time as
 * `client_modified` when known, so that a restore can set it back.
 */
export function commitFor(dropboxPath: string, ifExists: IfExists, modifiedMs?: number): files.CommitInfo {
  const modified = modifiedMs === undefined ? {} : { client_modified: dropboxTimestamp(modifiedMs) };
  switch (ifExists) {
    case 'overwrite':
      return { path: dropboxPath, mode: { '.tag': 'overwrite' }, autorename: false, mute: true, ...modified };
    case 'rename':
      return { path: dropboxPath, mode: { '.tag': 'add' }, autorename: true, mute: true, ...modified };
    case 'skip':
    case 'fail':
      // strict_conflict: an identical file that already exists is still "existing" for skip and fail.
      return {
        path: dropboxPath,
        mode: { '.tag': 'add' },
        autorename: false,
        mute: true,
        strict_conflict: true,
        ...modified,
      };
  }
}
