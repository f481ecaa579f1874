import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_SCOPES, TokenRegistry } from './auth.ts';
import { CommitLock } from './commit-lock.ts';
import { dropboxContentHash } from './content-hash.ts';
import type { ResolvedOptions, ServerState } from './context.ts';
import { tagChain } from './errors.ts';
import { AsyncJobs } from './jobs.ts';
import { Listings } from './listing.ts';
import type { FileEntry } from './metadata.ts';
import { comparePaths } from './paths.ts';
import { DropboxHttpServer } from './server.ts';
import { UploadSessions } from './sessions.ts';
import { SharedLinks, type SharedLinkConflictForm } from './shared-links.ts';
import { createTeamSpace, namespaceId, type TeamSpace } from './team.ts';
import { Storage } from './spool.ts';
import { NamespaceStore, removeFile } from './store.ts';
import type {
  FakeDropboxOptions,
  FaultInjector,
  FakeAppOptions,
  FakeTeamInfo,
  RequestLogEntry,
  StoredFileInfo,
  UploadSessionInfo,
} from './types.ts';

const MiB = 1024 * 1024;

/**
 * A real HTTP server on 127.0.0.1 that speaks the parts of the Dropbox API v2 the action uses, with one
 * account (a personal one with a single namespace, or with `team` a team member whose home folder and
 * team folder are namespaces of one team space), inspectable state, and fault injection. Point the SDK
 * at it with a fetch that rewrites the Dropbox hosts to `url` (see createRedirectFetch in
 * fetch-rewrite.ts).
 */
export class FakeDropbox {
  readonly url: string;
  /** Every request, in arrival order, including faulted ones (status 0 when nothing was answered). */
  readonly requests: RequestLogEntry[];
  readonly faults: FaultInjector;
  readonly #state: ServerState;
  readonly #server: DropboxHttpServer;
  #closed = false;

  private constructor(url: string, state: ServerState, server: DropboxHttpServer) {
    this.url = url;
    this.#state = state;
    this.#server = server;
    this.requests = server.requests;
    this.faults = server.faults;
  }

  static async start(options: FakeDropboxOptions = {}): Promise<FakeDropbox> {
    const resolved: ResolvedOptions = {
      port: options.port ?? 0,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 14_400,
      maxRequestBytes: options.maxRequestBytes ?? 150 * MiB,
      quotaBytes: options.quotaBytes ?? Infinity,
      listPageSize: options.listPageSize ?? 500,
      commitLockMs: options.commitLockMs ?? 0,
      latencyMs: options.latencyMs ?? 0,
      maxConcurrentRequests: options.maxConcurrentRequests ?? Infinity,
      connectionBytesPerSecond: options.connectionBytesPerSecond ?? 0,
      globalBytesPerSecond: options.globalBytesPerSecond ?? 0,
    };
    const storage = new Storage(options.storageDir);
    const store = new NamespaceStore(storage.blobDir, resolved.quotaBytes);
    const abort = new AbortController();
    const tokens = new TokenRegistry(resolved.tokenLifetimeSeconds);
    const rootNamespaceId = namespaceId();
    let team: TeamSpace | undefined;
    if (options.team !== undefined) {
      team = createTeamSpace(options.team === true ? {} : options.team, {
        teamId: tokens.teamId,
        rootNamespaceId,
      });
      store.ensureFolder(team.homePath);
      store.ensureFolder(`/${team.teamFolderName}`);
    }
    const state: ServerState = {
      options: resolved,
      storage,
      store,
      sessions: new UploadSessions(() => storage.tempFile('chunk')),
      tokens,
      lock: new CommitLock(resolved.commitLockMs),
      listings: new Listings(),
      jobs: new AsyncJobs(),
      namespaceId: rootNamespaceId,
      team,
      sharedLinks: new SharedLinks(),
      signal: abort.signal,
    };
    const server = new DropboxHttpServer(state, abort);
    try {
      return new FakeDropbox(await server.listen(resolved.port), state, server);
    } catch (error) {
      storage.dispose();
      throw error;
    }
  }

  /** Stops listening, destroys open sockets (so no test hangs on a stalled request) and removes spooled data. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#server.close();
    this.#state.storage.dispose();
  }

  // ── apps & tokens ──────────────────────────────────────────────────────────

  /**
   * An app as the App Console would have it. By default a user-linked Full Dropbox app with every scope
   * the action could need; `accessType: 'app_folder'` roots its paths at `/Apps/<name>`, `scopes` are
   * what its authorizations grant, and `linkedTo: 'team'` makes its tokens team tokens.
   */
  registerApp(app: { key: string; secret: string } & FakeAppOptions): void {
    const { key, secret, ...options } = app;
    this.#state.tokens.registerApp(key, secret, options);
  }

  /**
   * A refresh token of a registered app. `pkce` tokens refresh with client_id only (no secret); `team`
   * tokens act for the whole team and need Dropbox-API-Select-User on user routes.
   */
  issueRefreshToken(opts: { appKey: string; scopes?: string[]; pkce?: boolean; team?: boolean }): string {
    return this.#state.tokens.issueRefreshToken(
      opts.appKey,
      opts.scopes ?? DEFAULT_SCOPES,
      opts.pkce === true,
      opts.team === true,
    );
  }

  /** An `sl.` access token, valid for `tokenLifetimeSeconds` unless told otherwise. */
  issueAccessToken(
    opts: { scopes?: string[]; expiresInSeconds?: number; appKey?: string; team?: boolean } = {},
  ): string {
    return this.#state.tokens.issueAccessToken(
      opts.scopes ?? DEFAULT_SCOPES,
      opts.expiresInSeconds,
      opts.appKey,
      opts.team === true,
    );
  }

  /** The team space, for a server started with `team`; undefined for a personal account. */
  get team(): FakeTeamInfo | undefined {
    const team = this.#state.team;
    if (team === undefined) return undefined;
    return {
      teamId: team.teamId,
      memberId: team.memberId,
      memberName: team.memberName,
      rootNamespaceId: team.rootNamespaceId,
      homeNamespaceId: team.homeNamespaceId,
      homePath: team.homePath,
      teamFolderPath: `/${team.teamFolderName}`,
      teamFolderNamespaceId: team.teamFolderNamespaceId,
    };
  }

  /** The account's root namespace id (for a team member, the team space's). */
  get rootNamespaceId(): string {
    return this.#state.namespaceId;
  }

  /**
   * What /oauth2/authorize would redirect back with. With `codeChallenge` (S256) the exchange needs the
   * matching `code_verifier` and the refresh token it yields is a PKCE one. Codes live 10 minutes.
   */
  issueAuthorizationCode(opts: {
    appKey: string;
    scopes?: string[];
    codeChallenge?: string;
    redirectUri?: string;
    expiresInSeconds?: number;
  }): string {
    const record: Parameters<TokenRegistry['issueAuthorizationCode']>[0] = {
      appKey: opts.appKey,
      scopes: [...(opts.scopes ?? DEFAULT_SCOPES)],
    };
    if (opts.codeChallenge !== undefined) record.codeChallenge = opts.codeChallenge;
    if (opts.redirectUri !== undefined) record.redirectUri = opts.redirectUri;
    return this.#state.tokens.issueAuthorizationCode(record, opts.expiresInSeconds ?? 600);
  }

  /** Every access token issued so far is now expired (401 expired_access_token). */
  expireAccessTokens(): void {
    this.#state.tokens.expireAccessTokens();
  }

  revokeRefreshToken(token: string): void {
    this.#state.tokens.revokeRefreshToken(token);
  }

  // ── state ──────────────────────────────────────────────────────────────────

  /** Stored files, sorted by path_lower. */
  files(): StoredFileInfo[] {
    return this.#state.store.files().map(fileInfo);
  }

  /** A file's bytes, by path (case-insensitive). Throws when there is no file there. */
  readFile(path: string): Buffer {
    const found = this.#state.store.lookup(path);
    if (!found.ok || found.value.kind !== 'file')
      throw new Error(`no file at ${JSON.stringify(path)} in the fake Dropbox`);
    return readFileSync(found.value.blob);
  }

  /**
   * Seeds a file directly (parents created, quota and read-only folders ignored, not counted as a commit).
   * `clientModified` (`2015-05-12T15:50:38Z`) is what an uploader said the file's time was; default now.
   */
  putFile(path: string, content: Buffer | string, options: { clientModified?: string } = {}): StoredFileInfo {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const file = this.#state.storage.tempFile('seed');
    writeFileSync(file, bytes);
    const result = this.#state.store.commit(
      {
        path,
        mode: { tag: 'overwrite' },
        autorename: false,
        strictConflict: false,
        blob: { file, size: bytes.length, contentHash: dropboxContentHash(bytes) },
        ...(options.clientModified === undefined ? {} : { clientModified: options.clientModified }),
      },
      { seed: true },
    );
    if (!result.ok) {
      removeFile(file);
      throw new Error(`cannot put a file at ${JSON.stringify(path)}: ${tagChain(result.error).join('/')}`);
    }
    return fileInfo(result.value);
  }

  /** Creates a folder and its parents; fine when it already exists. */
  createFolder(path: string): void {
    this.#state.store.ensureFolder(path);
  }

  /** Writes under this folder (and deletes) now fail with `no_write_permission`. */
  setReadOnly(path: string): void {
    this.#state.store.setReadOnly(path);
  }

  /**
   * How many successful commits (upload, finish, batch entry) targeted this path, including ones that
   * found identical content already there — so a test can prove nothing was committed twice.
   */
  commitCount(path: string): number {
    return this.#state.store.commitCount(path);
  }

  /** Upload sessions that were started and not yet finished. */
  uploadSessions(): UploadSessionInfo[] {
    return this.#state.sessions.info();
  }

  /** Every shared link, with the path (in the root namespace) of what it points to. */
  sharedLinks(): { path: string; url: string }[] {
    const links = this.#state.sharedLinks;
    const result: { path: string; url: string }[] = [];
    for (const id of links.entryIds()) {
      const found = this.#state.store.lookup(id);
      const url = links.urlOf(id);
      if (found.ok && url !== undefined) result.push({ path: found.value.pathDisplay, url });
    }
    return result.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** Creates a shared link for the file or folder at `path` (root namespace), as if made earlier. */
  createSharedLink(path: string): string {
    const found = this.#state.store.lookup(path);
    if (!found.ok) throw new Error(`nothing at ${JSON.stringify(path)} in the fake Dropbox`);
    return this.#state.sharedLinks.urlOf(found.value.id) ?? this.#state.sharedLinks.create(found.value);
  }

  /** How `shared_link_already_exists` answers: with the existing link's `metadata` (default), or `bare`. */
  setSharedLinkConflictForm(form: SharedLinkConflictForm): void {
    this.#state.sharedLinks.conflictForm = form;
  }

  /** Bytes stored, as counted against `quotaBytes`. */
  get usedBytes(): number {
    return this.#state.store.usedBytes;
  }
}

function fileInfo(file: FileEntry): StoredFileInfo {
  return {
    path: file.pathDisplay,
    pathLower: file.pathLower,
    size: file.size,
    contentHash: file.contentHash,
    rev: file.rev,
    id: file.id,
    serverModified: file.serverModified,
  };
}
