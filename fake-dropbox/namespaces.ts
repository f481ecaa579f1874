import type { IncomingMessage } from 'node:http';
import type { AccessTokenRecord, TokenRegistry } from './auth.ts';
import { ApiFailure, authError, badRequest, isObject, type JsonObject } from './errors.ts';
import type { Entry, FileEntry, FolderEntry } from './metadata.ts';
import type { CommitRequest, NamespaceStore, Outcome } from './store.ts';
import { rootInfo, teamTokenText, type TeamSpace } from './team.ts';

/** What a route handler writes to and reads from: the store, or a view of a folder of it. */
export interface Namespace {
  /** As NamespaceStore.commit: the blob is the store's on success, still the caller's on failure. */
  commit(request: CommitRequest): Outcome<FileEntry>;
  lookup(rawPath: string): Outcome<Entry>;
  delete(rawPath: string, parentRev?: string): Outcome<JsonObject>;
  createFolder(rawPath: string, autorename: boolean): Outcome<FolderEntry>;
  list(folderLower: string, recursive: boolean): Entry[];
}

const notFound: JsonObject = { '.tag': 'not_found' };
/** What the store answers a write to an unknown `id:` (WriteError has no not_found). */
const unknownIdForWrite: JsonObject = { '.tag': 'malformed_path' };

/**
 * A folder of the store seen as a namespace of its own: paths go in with the folder's path in front and
 * come out without it. This is how a member's home namespace, a team folder and an app folder look
 * to the API: `/x` is `<folder>/x` in the store, and answers never reveal what lies outside.
 */
export class NamespaceView implements Namespace {
  readonly #store: NamespaceStore;
  readonly #prefix: string;
  readonly #prefixLower: string;

  constructor(store: NamespaceStore, prefix: string) {
    this.#store = store;
    this.#prefix = prefix;
    this.#prefixLower = prefix.toLowerCase();
  }

  commit(request: CommitRequest): Outcome<FileEntry> {
    const path = this.#in(request.path);
    if (path === undefined) return { ok: false, error: unknownIdForWrite };
    return this.#out(this.#store.commit({ ...request, path }));
  }

  lookup(rawPath: string): Outcome<Entry> {
    const path = this.#in(rawPath);
    if (path === undefined) return { ok: false, error: notFound };
    return this.#out(this.#store.lookup(path));
  }

  delete(rawPath: string, parentRev?: string): Outcome<JsonObject> {
    const path = this.#in(rawPath);
    if (path === undefined) return { ok: false, error: { '.tag': 'path_lookup', path_lookup: notFound } };
    const result = this.#store.delete(path, parentRev);
    if (!result.ok) return result;
    const metadata = { ...result.value };
    for (const key of ['path_lower', 'path_display'] as const) {
      const value = metadata[key];
      if (typeof value === 'string') metadata[key] = value.slice(this.#prefix.length);
    }
    return { ok: true, value: metadata };
  }

  createFolder(rawPath: string, autorename: boolean): Outcome<FolderEntry> {
    const path = this.#in(rawPath);
    if (path === undefined) return { ok: false, error: unknownIdForWrite };
    return this.#out(this.#store.createFolder(path, autorename));
  }

  list(folderLower: string, recursive: boolean): Entry[] {
    return this.#store.list(this.#prefixLower + folderLower, recursive).map((entry) => this.#strip(entry));
  }

  /**
   * `/a` → `<prefix>/a`; an `id:` → its entry's path when the entry is inside the view, else undefined
   * (the caller answers as the store does for an unknown id). Anything else stays malformed as it is.
   * Every path taken from a request goes through here, so the store never sees one outside the view.
   */
  #in(rawPath: string): string | undefined {
    if (rawPath.startsWith('id:')) return this.#resolveId(rawPath);
    if (!rawPath.startsWith('/')) return rawPath;
    return this.#prefix + rawPath;
  }

  #resolveId(id: string): string | undefined {
    const found = this.#store.lookup(id);
    if (!found.ok || !found.value.pathLower.startsWith(`${this.#prefixLower}/`)) return undefined;
    return found.value.pathDisplay;
  }

  /** Paths in are inside the view (see #in), and so are the entries they lead to. */
  #out<T extends Entry>(result: Outcome<T>): Outcome<T> {
    return result.ok ? { ok: true, value: this.#strip(result.value) } : result;
  }

  #strip<T extends Entry>(entry: T): T {
    return {
      ...entry,
      pathLower: entry.pathLower.slice(this.#prefixLower.length),
      pathDisplay: entry.pathDisplay.slice(this.#prefix.length),
    };
  }
}

export interface CallerState {
  readonly store: NamespaceStore;
  readonly tokens: TokenRegistry;
  readonly team: TeamSpace | undefined;
  /** The account's root namespace id (a personal account has only this one). */
  readonly namespaceId: string;
}

function pathRootError(error: JsonObject): ApiFailure {
  const tag = String(error['.tag']);
  return new ApiFailure({
    status: 422,
    json: { error_summary: `${tag}/${tag === 'invalid_root' ? '..' : '.'}`, error },
    errorTag: tag,
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Where a request's paths point, from its token and headers, in Dropbox's order: a team token must
 * select a member (400 text without, 401 `invalid_select_user` for an unknown one), then
 * `Dropbox-API-Path-Root` picks the root (422 `invalid_root` / `no_permission`), and an App-folder app
 * is confined to `/Apps/<app name>` under the member's home.
 *
 * App-folder apps get `no_permission` for any Path-Root other than `home`: they cannot leave their
 * folder, so a namespace root is out of their reach. Dropbox does not document this case; it is the
 * behaviour the authorize helper's access-type check relies on (see README, "Setup in 5 steps").
 */
export function namespaceFor(
  route: string,
  req: IncomingMessage,
  token: AccessTokenRecord,
  state: CallerState,
): Namespace {
  const { team } = state;
  if (token.team) {
    const selected = header(req, 'dropbox-api-select-user');
    if (selected === undefined) throw badRequest(route, teamTokenText());
    if (team === undefined || selected !== team.memberId) throw authError('invalid_select_user');
  }
  const appFolder = state.tokens.app(token.appKey)?.accessType === 'app_folder';
  const home = team?.homePath ?? '';

  let prefix = home;
  const raw = header(req, 'dropbox-api-path-root');
  if (raw !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw badRequest(route, 'HTTP header "Dropbox-API-Path-Root": could not decode input as JSON');
    }
    const tag = isObject(value) ? value['.tag'] : undefined;
    if (tag === 'root' || tag === 'namespace_id') {
      if (appFolder) throw pathRootError({ '.tag': 'no_permission' });
      const id = isObject(value) ? value[tag] : undefined;
      if (typeof id !== 'string' || !/^[0-9]+$/.test(id)) {
        throw badRequest(route, `HTTP header "Dropbox-API-Path-Root": ${tag}: expected a namespace id`);
      }
      if (tag === 'root') {
        if (id !== state.namespaceId)
          throw pathRootError({ '.tag': 'invalid_root', invalid_root: rootInfo(team, state.namespaceId) });
        prefix = '';
      } else {
        const known = new Map<string, string>([[state.namespaceId, '']]);
        if (team) {
          known.set(team.homeNamespaceId, team.homePath);
          known.set(team.teamFolderNamespaceId, `/${team.teamFolderName}`);
        }
        const found = known.get(id);
        if (found === undefined) throw pathRootError({ '.tag': 'no_permission' });
        prefix = found;
      }
    } else if (tag !== 'home') {
      throw badRequest(route, `HTTP header "Dropbox-API-Path-Root": unknown tag ${JSON.stringify(tag)}`);
    }
  }
  if (appFolder) prefix += `/Apps/${state.tokens.app(token.appKey)?.name ?? ''}`;
  return prefix === '' ? state.store : new NamespaceView(state.store, prefix);
}
