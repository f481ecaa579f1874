/**
 * Public shapes of the fake Dropbox server. The action's tests code against these names, so they are
 * kept stable; internal modules import from here rather than from each other.
 */

export interface FakeDropboxOptions {
  /** 0 = an ephemeral port. */
  port?: number;
  /** `expires_in` of minted access tokens. Default 14400 (four hours, like Dropbox's `sl.` tokens). */
  tokenLifetimeSeconds?: number;
  /** Body limit of upload/start/append_v2/finish; beyond it the call fails with 409 `payload_too_large`. Default 150 MiB. */
  maxRequestBytes?: number;
  /** Total stored bytes allowed; beyond it commits fail with `insufficient_space`. Default Infinity. */
  quotaBytes?: number;
  /** list_folder entries per page (a smaller `limit` argument lowers it). Default 500. */
  listPageSize?: number;
  /**
   * Namespace write-lock time per commit. A single commit (upload, finish, delete_v2) that arrives while
   * another commit holds the lock gets 429 `too_many_write_operations` with `Retry-After: 1`; a batch
   * takes the lock once. 0 (default) turns the lock off.
   */
  commitLockMs?: number;
  /** Delay added before every response. Default 0. */
  latencyMs?: number;
  /**
   * Requests the server works on at once; one that arrives while this many are in progress gets 429
   * `too_many_requests` with `Retry-After: 1` (the RateLimitError default) and is not carried out, as a
   * rate-limited Dropbox answers. Default Infinity (no limit).
   */
  maxConcurrentRequests?: number;
  /**
   * Bandwidth cap of each TCP connection, in bytes/s: the server reads a request body no faster than this,
   * so a streaming client is held to it by TCP flow control, and writes a download's body no faster either.
   * Each direction has its own cap, as a link's upstream and downstream do. Default 0 (no cap).
   */
  connectionBytesPerSecond?: number;
  /**
   * Bandwidth cap of the whole server, in bytes/s, shared fairly by the connections moving bytes at the
   * time (each takes turns of at most 64 KiB): one such pipe for request bodies and another for download
   * bodies. Default 0 (no cap).
   */
  globalBytesPerSecond?: number;
  /**
   * Make the account a member of a Dropbox Business team with a team space: its own folder is
   * `/<memberName>` in the team's root namespace, next to a team folder (see FakeTeamInfo).
   */
  team?: true | { teamName?: string; memberName?: string; teamFolderName?: string };
  /**
   * Where file contents are kept. Each server makes a fresh `fake-dropbox-*` directory inside it (default:
   * inside the OS temp dir) and removes that directory on close().
   */
  storageDir?: string;
}

/** How an app is set up in the App Console. */
export interface FakeAppOptions {
  /** The app folder's name (`/Apps/<name>`). Default: the app key. */
  name?: string;
  /** Default `full_dropbox`. `app_folder` roots every path at `/Apps/<name>`. */
  accessType?: 'app_folder' | 'full_dropbox';
  /** The Permissions tab: what an authorization through /oauth2/authorize grants. Default: every scope the action uses. */
  scopes?: string[];
  /** Default `user`. `team`: a team-linked app whose tokens need Dropbox-API-Select-User. */
  linkedTo?: 'user' | 'team';
}

/** The ids of a team-space account, as users/get_current_account and the Path-Root header use them. */
export interface FakeTeamInfo {
  teamId: string;
  /** `dbmid:…` for Dropbox-API-Select-User. */
  memberId: string;
  memberName: string;
  rootNamespaceId: string;
  homeNamespaceId: string;
  /** The member's folder in the team space, e.g. `/Fake Member`: where `home` paths land. */
  homePath: string;
  /** The team folder, e.g. `/Team Folder`, in the root namespace. */
  teamFolderPath: string;
  teamFolderNamespaceId: string;
}

export interface RequestLogEntry {
  /** 1-based arrival number. */
  seq: number;
  /** The URL path without the leading `/2/`, e.g. `files/upload`, or `oauth2/token`. */
  route: string;
  /** The HTTP status sent; 0 when no response was sent (reset, lost response, client gone). */
  status: number;
  /** The error tag chain, e.g. `path/conflict/file`, `expired_access_token`, `invalid_grant`, `bad_request`. */
  errorTag?: string;
  /** Request body bytes received. */
  bodyBytes: number;
  sessionId?: string;
  /** The Dropbox path argument (the commit path for finish). */
  path?: string;
  /** First 6 characters of the presented token, never the whole token. */
  tokenHint?: string;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** The kind of fault that fired on this request. */
  fault?: string;
  /** The `Range` header as the client sent it (files/download). */
  range?: string;
  /** Body bytes of a download answer written to the connection (after a cut: only those sent). */
  responseBytes?: number;
}

export interface StoredFileInfo {
  /** path_display */
  path: string;
  pathLower: string;
  size: number;
  contentHash: string;
  rev: string;
  id: string;
  serverModified: string;
}

export interface UploadSessionInfo {
  sessionId: string;
  sessionType: 'sequential' | 'concurrent';
  /** Bytes received so far. */
  length: number;
  closed: boolean;
}

export type FaultAction =
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  | {
      kind: 'rate-limit';
      retryAfterSeconds: number;
      reason?: 'too_many_requests' | 'too_many_write_operations';
    }
  /** Destroy the socket before processing: the work is not done. */
  | { kind: 'reset' }
  /** Process the request fully (state changes), then destroy the socket without answering. */
  | { kind: 'lost-response' }
  /** Hold the request for `ms`, then process it normally if the client is still there. */
  | { kind: 'stall'; ms: number }
  /**
   * files/download: answer with the status line, the headers and the first `afterBytes` bytes of the body,
   * then destroy the socket, as a connection that drops mid-download does.
   */
  | { kind: 'cut-body'; afterBytes: number }
  /**
   * files/download: send the headers and the first `afterBytes` bytes of the body, hold the rest for `ms`,
   * then send it if the client is still there.
   */
  | { kind: 'stall-body'; afterBytes: number; ms: number }
  /**
   * files/download: the body byte at `atByte` (default 0, counted in the bytes this answer sends) is
   * altered in flight; the length and the headers stay right, so only the content hash tells.
   */
  | { kind: 'corrupt-body'; atByte?: number }
  /** Expire the presented access token just before it is checked → 401 expired_access_token. */
  | { kind: 'expire-token' }
  /**
   * finish_batch_v2 / finish_batch only: the batch is processed, except that the entries at these 0-based
   * indexes fail with `{".tag": tag}` (e.g. `too_many_write_operations`) and are not committed.
   */
  | { kind: 'batch-entry-failure'; entries: number[]; tag: string };

export interface FaultRule {
  /** Exact route (`files/upload`) or a pattern; default every route. */
  route?: string | RegExp;
  action: FaultAction;
  /** Fire first on the nth matching request (1-based). */
  nth?: number;
  /** Fire on every k-th matching request. */
  every?: number;
  /** Fire at most this many times; default 1, or unlimited when `every` is set. */
  times?: number;
}

export interface FiredFault {
  route: string;
  kind: string;
  seq: number;
}

export interface FaultInjector {
  add(rule: FaultRule): void;
  /** Removes every rule; `fired` keeps its history. */
  clear(): void;
  /** Every fault that fired, in order. */
  readonly fired: FiredFault[];
}
