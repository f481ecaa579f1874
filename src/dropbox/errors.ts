/**
 * Errors the action raises itself (as opposed to the ones Dropbox or the network raise).
 * explain.ts turns each into an annotation; they carry the facts, not the advice.
 */

/** Dropbox committed the file, but its content hash is not the hash of the local bytes. */
export class ContentHashMismatchError extends Error {
  readonly dropboxPath: string;
  /** Dropbox content hash of the local file. */
  readonly localHash: string;
  /** Content hash Dropbox reported for what it stored. */
  readonly remoteHash: string;

  constructor(dropboxPath: string, localHash: string, remoteHash: string) {
    super(`Content hash mismatch for ${dropboxPath}: local ${localHash}, Dropbox ${remoteHash}`);
    this.name = 'ContentHashMismatchError';
    this.dropboxPath = dropboxPath;
    this.localHash = localHash;
    this.remoteHash = remoteHash;
  }
}

/** The local file could not be read (deleted, moved or unreadable after it was found). */
export class LocalReadError extends Error {
  readonly localPath: string;

  constructor(localPath: string, cause: unknown) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
    super(`Could not read ${localPath}${typeof code === 'string' ? ` (${code})` : ''}`, { cause });
    this.name = 'LocalReadError';
    this.localPath = localPath;
  }
}
