/**
 * One decision per file, shared by the upload and the dry run: send it, skip it (unchanged, or already
 * there), or refuse it because something is in the way. Pure.
 */
import type { RemoteEntry } from '../dropbox/listing.ts';
import type { IfExists } from '../model.ts';

/** What Dropbox holds where a file goes, as far as a listing or a lookup tells. */
export type RemoteState =
  | { kind: 'nothing' }
  | { kind: 'file'; contentHash?: string }
  | { kind: 'folder' }
  /** A file where a folder above the path should be. */
  | { kind: 'file-above' };

/** The conflict kinds of Dropbox's WriteConflictError, which name the same three cases. */
export type ConflictKind = 'file' | 'folder' | 'file_ancestor';

export type Decision =
  | { action: 'send' }
  | { action: 'skip'; reason: 'unchanged' | 'already exists' }
  | { action: 'refuse'; conflict: ConflictKind };

export interface DecisionRules {
  skipUnchanged: boolean;
  ifExists: IfExists;
}

/** Whether the decision depends on the local file's content hash (so it must be hashed first). */
export function needsLocalHash(remote: RemoteState, rules: DecisionRules): boolean {
  return rules.skipUnchanged && remote.kind === 'file' && remote.contentHash !== undefined;
}

/**
 * What to do with a file, given what is at its Dropbox path. `localHash` is needed only where
 * needsLocalHash says so. A folder, or a file above the path, is in the way whatever if-exists says:
 * Dropbox would refuse the commit.
 */
export function decide(remote: RemoteState, localHash: string | undefined, rules: DecisionRules): Decision {
  switch (remote.kind) {
    case 'nothing':
      return { action: 'send' };
    case 'folder':
      return { action: 'refuse', conflict: 'folder' };
    case 'file-above':
      return { action: 'refuse', conflict: 'file_ancestor' };
    case 'file':
      if (needsLocalHash(remote, rules) && localHash === remote.contentHash) {
        return { action: 'skip', reason: 'unchanged' };
      }
      if (rules.ifExists === 'skip') return { action: 'skip', reason: 'already exists' };
      if (rules.ifExists === 'fail') return { action: 'refuse', conflict: 'file' };
      return { action: 'send' };
  }
}

/** A listing of the destination, by lower-cased Dropbox path, asked what is at a path. */
export class RemoteIndex {
  readonly #byPath: ReadonlyMap<string, RemoteEntry>;

  constructor(entries: readonly RemoteEntry[]) {
    this.#byPath = new Map(entries.map((entry) => [entry.pathLower, entry]));
  }

  get fileCount(): number {
    let count = 0;
    for (const entry of this.#byPath.values()) if (entry.kind === 'file') count += 1;
    return count;
  }

  stateAt(dropboxPath: string): RemoteState {
    const key = dropboxPath.toLowerCase();
    const entry = this.#byPath.get(key);
    if (entry?.kind === 'folder') return { kind: 'folder' };
    if (entry?.kind === 'file') {
      return entry.contentHash === undefined
        ? { kind: 'file' }
        : { kind: 'file', contentHash: entry.contentHash };
    }
    const segments = key.split('/');
    for (let end = 2; end < segments.length; end += 1) {
      if (this.#byPath.get(segments.slice(0, end).join('/'))?.kind === 'file') return { kind: 'file-above' };
    }
    return { kind: 'nothing' };
  }
}
