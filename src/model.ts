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

/** The inputs every transfer shares, whichever way it goes; the upload and the restore read them alike. */
export interface TransferSettings {
  chunkSizeBytes: number;
  concurrency: number;
  maxAttempts: number;
  /** A request that makes no progress (no body bytes sent, no answer) for this long is aborted and retried. */
  requestTimeoutSeconds: number;
  namespace: NamespaceChoice;
  /** A team member id (`dbmid:…`) a team-scoped token acts as (`Dropbox-API-Select-User`). */
  selectUser?: string;
}

export interface ActionInputs extends TransferSettings {
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
  /** Create (or reuse) a shared link for every uploaded file. */
  sharedLinks: boolean;
  /** Leave out files whose content Dropbox already has at their path (one listing of the destination). */
  skipUnchanged: boolean;
  /**
   * After a run with no failed file, which run folders of the series to keep (keep-last, keep-daily, …);
   * every rule off keeps everything.
   */
  retention: RetentionPolicy;
  /** Check the credentials and report the plan, with no write request. */
  dryRun: boolean;
}

/** One local file and where it goes. */
export interface PlannedFile extends MappedPath {
  size: number;
  /** The local modification time, sent as the file's client_modified (whole seconds, UTC). */
  modifiedMs?: number;
}

export interface UploadPlan {
  /** The resolved destination folder, `/` for the root. */
  destination: string;
  /** Sorted by relativePath (code-point order). */
  files: PlannedFile[];
  /** Empty local folders under the search root, created in Dropbox; sorted by relativePath. */
  folders: MappedPath[];
}

/** What a Dropbox (or network) failure means to the person reading the log. */
export interface Explanation {
  /** Stable annotation title; the README's Troubleshooting section is keyed by it. */
  title: string;
  /** What is wrong and exactly how to fix it. */
  message: string;
  /**
   * `credentials`: the token or app is unusable, so the whole run stops with one annotation.
   * `run`: nothing else can arrive either (a full Dropbox, a certificate the runner does not trust), so
   * the whole run stops the same way.
   * `file`: this file failed; the other files go on.
   */
  scope: 'credentials' | 'run' | 'file';
}

export type FileStatus = 'uploaded' | 'skipped' | 'failed';

export interface FileResult {
  localPath: string;
  /** The local path as shown: relative to the workspace with `/`, or absolute outside it. */
  shownPath: string;
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

/** An annotation a run found on its way, written with the report. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title?: string;
  message: string;
}

/**
 * What an upload run found, handed whole to the report stage: the one place that writes the outputs,
 * the summary, the annotations and the step's failure.
 */
export interface UploadOutcome {
  dryRun: boolean;
  /** The resolved Dropbox folder, `/` for the root. */
  destination: string;
  /** One per planned file, in plan order. */
  results: FileResult[];
  /**
   * What stopped the whole run (a credential problem, a full Dropbox, the team-space lookup, cancellation):
   * one annotation stands for every file it failed.
   */
  stoppedBy?: Explanation;
  /** Found along the way (no files found, a listing that could not be made, a shared link), in order. */
  annotations: Annotation[];
  /** Why the step fails, besides files that did not arrive, each a sentence. */
  failures: string[];
  /** The empty folders created in Dropbox (in a dry run: that would be). */
  folders?: FolderResult[];
  /** Retention: the folders deleted (in a dry run: that would be); undefined when no keep-* rule is on. */
  pruned?: string[];
  /** Retention's table: every backup of the series considered, and why each is kept; when it ran. */
  retention?: RetentionOutcome;
}

// ── Restore ───────────────────────────────────────────────────────────────────────────────────────

/** What a restore does with a local file already at a target: `rename` is an upload-only choice. */
export type RestoreIfExists = Exclude<IfExists, 'rename'>;

/** Where one Dropbox entry goes locally. */
/** A Dropbox path and the local path it maps to, for an upload or a restore. */
export interface MappedPath {
  /** Full Dropbox path as Dropbox displays it. */
  dropboxPath: string;
  /** Absolute local path, in the OS's own form, inside the search root or the restore folder. */
  localPath: string;
  /** Path relative to that folder, always with `/` (for a restore, in the case of Dropbox's names). */
  relativePath: string;
  /** The local path as logs and reports show it: relative to the workspace with `/`, or absolute outside it. */
  shownPath: string;
}

/** One Dropbox file and where the restore writes it. */
export interface PlannedDownload extends MappedPath {
  size: number;
  /** The listing's content hash: the bytes written must hash to it. */
  contentHash: string;
  /** The revision listed; an answer for another revision means the file changed since. */
  rev?: string;
  /** The listing's client_modified (`2015-05-12T15:50:38Z`): the local file's mtime is set from it. */
  clientModified?: string;
}

/** An empty Dropbox folder, created locally. */
export type PlannedFolder = MappedPath;

/** Why a Dropbox file or folder cannot be written where the restore maps it (the facts; explained later). */
export type RestoreProblemReason =
  /** A character the local OS refuses in a name (Windows: `<>:"/\|?*` and controls; any OS: NUL). */
  | { kind: 'reserved-character'; name: string; character: string }
  /** Windows drops a trailing dot or space, so the file would get another name. */
  | { kind: 'trailing-dot-or-space'; name: string }
  /** A Windows device name (`CON`, `NUL`, `COM1`…), with or without an extension. */
  | { kind: 'reserved-name'; name: string; device: string }
  /** Longer than the local file system holds (255 bytes of UTF-8; on Windows 255 UTF-16 units). */
  | { kind: 'name-too-long'; name: string; limit: string }
  /** The same local path on a case-insensitive (or normalising) file system as these other entries. */
  | { kind: 'case-collision'; others: string[] }
  /** The mapped path would not be strictly inside the restore folder. */
  | { kind: 'outside-target' }
  /** Dropbox cannot download it, only export it (is_downloadable false, e.g. a Google Doc). */
  | { kind: 'not-downloadable' };

export interface RestoreProblem extends Omit<MappedPath, 'localPath'> {
  kind: 'file' | 'folder';
  /** Where it would have gone, when a local path could be formed. */
  localPath?: string;
  size: number;
  contentHash: string;
  reason: RestoreProblemReason;
}

export interface RestorePlan {
  /** The Dropbox folder or file restored, as Dropbox displays it (`/` for the root). */
  source: string;
  /** The absolute local folder everything goes into. */
  target: string;
  /** Sorted by relativePath (code-point order). */
  files: PlannedDownload[];
  /** Empty Dropbox folders, sorted by relativePath. */
  folders: PlannedFolder[];
  /** Entries that fail without a request, sorted by relativePath. */
  problems: RestoreProblem[];
}

export type DownloadStatus = 'downloaded' | 'skipped' | 'failed';

/** `localPath` is `''` for a file no local path could be formed for. */
export interface DownloadResult extends MappedPath {
  size: number;
  /** The listing's content hash (what the local file now hashes to, when downloaded or unchanged). */
  contentHash: string;
  status: DownloadStatus;
  /** Why a file was skipped: "unchanged" or "already exists". */
  reason?: string;
  error?: Explanation;
  /** File-content bytes received for this file, retries included. */
  bytesReceived: number;
}

/** A folder an upload creates in Dropbox, or a restore creates locally. */
export interface FolderResult extends MappedPath {
  status: 'created' | 'exists' | 'failed';
  error?: Explanation;
}

// ── Retention ─────────────────────────────────────────────────────────────────────────────────────

/** The retention rules, in the order restic applies and lists them. */
export const retentionRules = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

export type RetentionRule = (typeof retentionRules)[number];

/** How many of each to keep (the keep-* inputs); an absent or 0 rule is off. Every rule off keeps everything. */
export type RetentionPolicy = Readonly<Partial<Record<RetentionRule, number>>>;

export type KeepReason =
  /**
   * `rank` counts the periods the rule kept, newest first (`daily 1` is the newest day). `oldest`: the
   * rule found fewer periods than it may keep, so it also keeps the oldest backup, which shares its
   * period with a newer one (restic 0.16 and later).
   */
  | { kind: 'rule'; rule: RetentionRule; rank: number; oldest: boolean }
  /** The run's own backup, kept whatever the rules say. */
  | { kind: 'current' };

/** A backup's time as its name gives it. */
export interface BackupTime {
  /**
   * Milliseconds since 1970-01-01T00:00:00Z. A part the name does not hold counts as zero: a `{date}`
   * is that day's midnight, a lone `{time}` falls on 1970-01-01 (its siblings share a parent folder,
   * which holds the date when anything does).
   */
  epochMs: number;
  hasDate: boolean;
  hasTime: boolean;
}

/** One backup of a series, kept or deleted, and why. */
export interface RetentionRow {
  name: string;
  /** The listed folder's path; absent for the run's own folder when it is not listed yet (a dry run). */
  pathDisplay?: string;
  time: BackupTime;
  current: boolean;
  keep: boolean;
  /** Why it is kept, in restic's order (rules as listed in `retentionRules`, then the run's own); empty when deleted. */
  reasons: KeepReason[];
}

/** What retention did (or, in a dry run, would do) after a run. */
export interface RetentionOutcome {
  policy: RetentionPolicy;
  /** Every backup considered, newest first. */
  rows: RetentionRow[];
  /** Display paths of the folders that could not be deleted. */
  notDeleted: string[];
}
