/**
 * The data that flows through the action, one way: inputs → plan → transfer → report.
 * Every stage module imports its input and output shapes from here, and nothing else from the others.
 */

export type IfNoFilesFound = 'warn' | 'error' | 'ignore';
export type IfExists = 'overwrite' | 'skip' | 'rename' | 'fail';

/**
 * The namespace Dropbox paths are relative to (the `Dropbox-API-Path-Root` header): the member's own
 * folder (`home`, no header), the team space root (`team`, looked up per run), or a namespace by id.
 */
export type NamespaceChoice = { kind: 'home' } | { kind: 'team' } | { kind: 'id'; id: string };

export type Credentials =
  | { kind: 'access-token'; accessToken: string }
  | {
      kind: 'refresh-token';
      refreshToken: string;
      appKey: string;
      /** Absent for refresh tokens minted through PKCE. */
      appSecret?: string;
      /** True when an access-token was given as well; it is ignored and a notice says so. */
      accessTokenIgnored: boolean;
    };

export interface ActionInputs {
  /** Non-empty, trimmed lines of the `path` input, `!` excludes kept as written. */
  patterns: string[];
  /**
   * Normalised Dropbox folder: `''` for the root, otherwise `/a/b` (no trailing slash). It may hold
   * placeholders such as `{datetime}` (placeholders.ts), resolved once per run.
   */
  destination: string;
  credentials: Credentials;
  ifNoFilesFound: IfNoFilesFound;
  includeHiddenFiles: boolean;
  followSymbolicLinks: boolean;
  ifExists: IfExists;
  chunkSizeBytes: number;
  concurrency: number;
  maxAttempts: number;
  /** A request that makes no progress (no body bytes sent, no answer) for this long is aborted and retried. */
  requestTimeoutSeconds: number;
  namespace: NamespaceChoice;
  /** A team member id (`dbmid:…`) a team-scoped token acts as (`Dropbox-API-Select-User`). */
  selectUser?: string;
  /** Create (or reuse) a shared link for every uploaded file. */
  sharedLinks: boolean;
  /** Leave out files whose content Dropbox already has at their path (one listing of the destination). */
  skipUnchanged: boolean;
  /** After a run with no failed file, keep this many of the newest run folders; 0 keeps all. */
  keepLast: number;
  /** Check the credentials and report the plan, with no write request. */
  dryRun: boolean;
}

/** One local file and where it goes. */
export interface PlannedFile {
  /** Absolute local path, in the OS's own form. */
  localPath: string;
  /** Path relative to the upload root, always with `/`. */
  relativePath: string;
  /** Full Dropbox path, starting with `/`. */
  dropboxPath: string;
  size: number;
}

export interface UploadPlan {
  /** The resolved destination folder, `/` for the root. */
  destination: string;
  /** Sorted by relativePath (code-point order). */
  files: PlannedFile[];
}

/** What a Dropbox (or network) failure means to the person reading the log. */
export interface Explanation {
  /** Stable annotation title; the README's Troubleshooting section is keyed by it. */
  title: string;
  /** What is wrong and exactly how to fix it. */
  message: string;
  /**
   * `credentials`: the token or app is unusable, so the whole run stops with one annotation.
   * `file`: this file failed; the other files go on.
   */
  scope: 'credentials' | 'file';
}

export type FileStatus = 'uploaded' | 'skipped' | 'failed';

export interface FileResult {
  localPath: string;
  dropboxPath: string;
  size: number;
  /** Dropbox content hash of the local bytes; `''` when the file could not be read. */
  contentHash: string;
  status: FileStatus;
  /** Why a file was skipped, e.g. "already exists". */
  reason?: string;
  error?: Explanation;
  /** File-content bytes that went over the wire for this file, retries included once. */
  bytesSent: number;
  /** The file's shared link, when `shared-links` is on and one was created or found. */
  sharedLink?: string;
}

export interface RunTotals {
  uploaded: number;
  skipped: number;
  failed: number;
  uploadedBytes: number;
  elapsedMs: number;
}
