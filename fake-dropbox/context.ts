import type { AccessTokenRecord, TokenRegistry } from './auth.ts';
import type { Args } from './args.ts';
import type { CommitLock } from './commit-lock.ts';
import type { Reply } from './errors.ts';
import type { AsyncJobs } from './jobs.ts';
import type { Listings } from './listing.ts';
import type { Namespace } from './namespaces.ts';
import type { UploadSessions } from './sessions.ts';
import type { SharedLinks } from './shared-links.ts';
import type { SpooledBody, Storage } from './spool.ts';
import type { NamespaceStore } from './store.ts';
import type { TeamSpace } from './team.ts';
import type { FaultAction, RequestLogEntry } from './types.ts';

/** The scope of every route that writes to the namespace. */
export const WRITE_SCOPE = 'files.content.write';

/** The most entries a batch takes (delete_batch, finish_batch) and sessions start_batch makes. */
export const MAX_BATCH = 1000;

export interface ResolvedOptions {
  port: number;
  tokenLifetimeSeconds: number;
  maxRequestBytes: number;
  quotaBytes: number;
  listPageSize: number;
  commitLockMs: number;
  latencyMs: number;
  maxConcurrentRequests: number;
  connectionBytesPerSecond: number;
  globalBytesPerSecond: number;
}

/** Everything one fake account owns; shared by the HTTP layer, the route handlers and FakeDropbox. */
export interface ServerState {
  readonly options: ResolvedOptions;
  readonly storage: Storage;
  readonly store: NamespaceStore;
  readonly sessions: UploadSessions;
  readonly tokens: TokenRegistry;
  readonly lock: CommitLock;
  readonly listings: Listings;
  readonly jobs: AsyncJobs;
  /** The account's root namespace id: its only one for a personal account, the team space's for a member. */
  readonly namespaceId: string;
  /** Set when the account is a member of a team with a team space. */
  readonly team: TeamSpace | undefined;
  readonly sharedLinks: SharedLinks;
  /** Aborted by close(): every wait in a handler ends with it. */
  readonly signal: AbortSignal;
}

export interface HandlerContext {
  readonly route: string;
  readonly state: ServerState;
  readonly log: RequestLogEntry;
  /** Where this request's paths point (home, team space, a namespace or an app folder); see namespaces.ts. */
  readonly store: Namespace;
  /** The access token the request was authenticated with. */
  readonly token: AccessTokenRecord;
  /** A fault that fired on this request and that the handler carries out (batch-entry-failure). */
  readonly fault?: FaultAction;
  /** The request's `Range` header (download routes). */
  readonly range?: string;
}

export type RouteSpec =
  | {
      style: 'rpc';
      scope: string;
      /** Void-argument routes take no body, or the body `null`. */
      voidArg?: boolean;
      handle(ctx: HandlerContext, args: Args | null): Reply | Promise<Reply>;
    }
  | {
      style: 'upload';
      scope: string;
      handle(ctx: HandlerContext, args: Args, body: SpooledBody): Reply | Promise<Reply>;
    }
  | {
      style: 'download';
      scope: string;
      handle(ctx: HandlerContext, args: Args): Reply | Promise<Reply>;
    };
