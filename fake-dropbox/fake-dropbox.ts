import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_SCOPES, TokenRegistry } from './auth.ts';
import { CommitLock } from './commit-lock.ts';
import { dropboxContentHash } from './content-hash.ts';
import type { ResolvedOptions, ServerState } from './context.ts';
import { tagChain } from './errors.ts';
import { AsyncJobs } from './jobs.ts';
import { Listings } from './listing.ts';
import type { FileEntry } from './metadata.ts';
import { DropboxHttpServer } from './server.ts';
import { UploadSessions } from './sessions.ts';
import { Storage } from './spool.ts';
import { NamespaceStore, removeFile } from './store.ts';
import type {
  FakeDropboxOptions,
  FaultInjector,
  RequestLogEntry,
  StoredFileInfo,
  UploadSessionInfo,
} from './types.ts';

const MiB = 1024 * 1024;

/**
 * A real HTTP server on 127.0.0.1 that speaks the parts of the Dropbox API v2 the action uses, with one
 * account, one namespace, inspectable state, and fault injection. Point the SDK at it with a fetch that
 * rewrites the Dropbox hosts to `url` (see redirect-fetch.ts).
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
    };
    const storage = new Storage(options.storageDir);
    const store = new NamespaceStore(storage.blobDir, resolved.quotaBytes);
    const abort = new AbortController();
    const state: ServerState = {
      options: resolved,
      storage,
      store,
      sessions: new UploadSessions(() => storage.tempFile('chunk')),
      tokens: new TokenRegistry(resolved.tokenLifetimeSeconds),
      lock: new CommitLock(resolved.commitLockMs),
      listings: new Listings(store),
      jobs: new AsyncJobs(),
      namespaceId: String(randomInt(1_000_000_000, 9_999_999_999)),
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

  registerApp(app: { key: string; secret: string }): void {
    this.#state.tokens.registerApp(app.key, app.secret);
  }

  /** A refresh token of a registered app. `pkce` tokens refresh with client_id only (no secret). */
  issueRefreshToken(opts: { appKey: string; scopes?: string[]; pkce?: boolean }): string {
    return this.#state.tokens.issueRefreshToken(
      opts.appKey,
      opts.scopes ?? DEFAULT_SCOPES,
      opts.pkce === true,
    );
  }

  /** An `sl.` access token, valid for `tokenLifetimeSeconds` unless told otherwise. */
  issueAccessToken(opts: { scopes?: string[]; expiresInSeconds?: number; appKey?: string } = {}): string {
    return this.#state.tokens.issueAccessToken(
      opts.scopes ?? DEFAULT_SCOPES,
      opts.expiresInSeconds,
      opts.appKey,
    );
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

  /** Seeds a file directly (parents created, quota and read-only folders ignored, not counted as a commit). */
  putFile(path: string, content: Buffer | string): StoredFileInfo {
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
