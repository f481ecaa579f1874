/**
 * Errors the restore raises itself: the facts of a download that did not arrive byte-exact or could not
 * be written. download-explanations.ts turns each into advice.
 */
import { capitalise } from '../dropbox/explain/words.ts';

/** Every range arrived, but the bytes do not hash to the listing's content hash (after the retries). */
export class DownloadHashMismatchError extends Error {
  readonly dropboxPath: string;
  readonly expectedHash: string;
  readonly receivedHash: string;
  /** How many times the whole file was downloaded. */
  readonly attempts: number;

  constructor(dropboxPath: string, expectedHash: string, receivedHash: string, attempts: number) {
    super(
      `Content hash mismatch for ${dropboxPath}: Dropbox lists ${expectedHash}, the bytes received hash to ` +
        `${receivedHash} (${attempts} attempts)`,
    );
    this.name = 'DownloadHashMismatchError';
    this.dropboxPath = dropboxPath;
    this.expectedHash = expectedHash;
    this.receivedHash = receivedHash;
    this.attempts = attempts;
  }
}

/** Dropbox answered for another revision or size than the listing named: the file changed since. */
export class SourceChangedError extends Error {
  readonly dropboxPath: string;
  readonly listed: { rev?: string; size: number };
  readonly answered: { rev?: string; size?: number };

  constructor(
    dropboxPath: string,
    listed: { rev?: string; size: number },
    answered: { rev?: string; size?: number },
  ) {
    super(
      `${dropboxPath} changed in Dropbox after it was listed: listed rev ${listed.rev ?? '?'} of ` +
        `${listed.size} bytes, now rev ${answered.rev ?? '?'} of ${answered.size ?? '?'} bytes`,
    );
    this.name = 'SourceChangedError';
    this.dropboxPath = dropboxPath;
    this.listed = listed;
    this.answered = answered;
  }
}

/** An answer the download protocol does not allow (API reference §9): not retried, it would come again. */
export class UnexpectedAnswerError extends Error {
  readonly dropboxPath: string;

  constructor(dropboxPath: string, what: string) {
    super(`Unexpected answer from Dropbox for ${dropboxPath}: ${what}`);
    this.name = 'UnexpectedAnswerError';
    this.dropboxPath = dropboxPath;
  }
}

/**
 * The connection ended cleanly before the body was whole. Coded as undici codes a body shorter than its
 * Content-Length, so that it is retried (from what arrived) like any network failure.
 */
export class TruncatedBodyError extends Error {
  readonly code = 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';

  constructor(dropboxPath: string, expected: number, received: number) {
    super(`The answer for ${dropboxPath} ended after ${received} of ${expected} bytes`);
    this.name = 'TruncatedBodyError';
  }
}

/** What was being done to the local file system when it failed. */
export type LocalOperation = 'create folder' | 'write' | 'read' | 'rename' | 'set time' | 'check';

/** A local file-system operation of the restore failed (full disk, permissions, a refused name…). */
export class LocalWriteError extends Error {
  readonly localPath: string;
  readonly operation: LocalOperation;
  /** The system error code (`ENOSPC`, `EACCES`…), or undefined when there was none. */
  readonly code: string | undefined;

  constructor(localPath: string, operation: LocalOperation, cause: unknown) {
    const code =
      typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : undefined;
    super(`Could not ${operation} ${localPath}${code === undefined ? '' : ` (${code})`}`, { cause });
    this.name = 'LocalWriteError';
    this.localPath = localPath;
    this.operation = operation;
    this.code = code;
  }
}

/** What is in the way, as a phrase: "a file", or for what is neither file, folder nor link, what it may be. */
export function thingIn(found: LocalPathBlockedError['found']): string {
  return found === 'other'
    ? 'something that is neither a file nor a folder (a socket, pipe or device)'
    : `a ${found}`;
}

/** Something other than a folder is where the restore needs one, or a folder where it writes a file. */
export class LocalPathBlockedError extends Error {
  readonly localPath: string;
  /** What is in the way. */
  readonly found: 'file' | 'folder' | 'symbolic link' | 'other';
  /** What the restore needed there. */
  readonly needed: 'folder' | 'file';

  constructor(localPath: string, found: LocalPathBlockedError['found'], needed: 'folder' | 'file') {
    super(`${capitalise(thingIn(found))} is in the way at ${localPath}, where the restore needs a ${needed}`);
    this.name = 'LocalPathBlockedError';
    this.localPath = localPath;
    this.found = found;
    this.needed = needed;
  }
}
