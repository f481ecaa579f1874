import type { JsonObject } from './errors.ts';
import { deletedMetadata, randomToken, taggedMetadata, type Entry } from './metadata.ts';
import type { Namespace } from './namespaces.ts';
import { comparePaths } from './paths.ts';

interface Seen {
  signature: string;
  display: string;
}

interface CursorState {
  /** The namespace (or view) the listing was started in; continuing lists the same one. */
  store: Namespace;
  folder: string;
  recursive: boolean;
  pageSize: number;
  /** Entries still to be paged out. */
  remaining: JsonObject[];
  /** What the listing has reported so far, to compute changes once it is drained. */
  snapshot: Map<string, Seen>;
}

/**
 * list_folder cursors. A cursor pages through a snapshot; once drained, continuing with it reports what
 * changed since (new or modified entries, and `deleted` ones), like Dropbox's longpoll-able cursors.
 */
export class Listings {
  readonly #cursors = new Map<string, CursorState>();

  start(folder: string, recursive: boolean, pageSize: number, store: Namespace): JsonObject {
    const entries = store.list(folder, recursive);
    return this.#page({
      store,
      folder,
      recursive,
      pageSize,
      remaining: entries.map(taggedMetadata),
      snapshot: snapshotOf(entries),
    });
  }

  /** Undefined when the cursor is unknown (the caller answers `reset`). */
  continue(cursor: string): JsonObject | undefined {
    const state = this.#cursors.get(cursor);
    if (!state) return undefined;
    if (state.remaining.length > 0) return this.#page(state);
    const entries = state.store.list(state.folder, state.recursive);
    const snapshot = snapshotOf(entries);
    const changes: JsonObject[] = [];
    for (const [key, seen] of state.snapshot) {
      if (!snapshot.has(key)) changes.push(deletedMetadata(key, seen.display));
    }
    for (const entry of entries) {
      if (state.snapshot.get(entry.pathLower)?.signature !== signatureOf(entry))
        changes.push(taggedMetadata(entry));
    }
    changes.sort((a, b) => comparePaths(String(a['path_lower']), String(b['path_lower'])));
    return this.#page({ ...state, remaining: changes, snapshot });
  }

  #page(state: CursorState): JsonObject {
    const entries = state.remaining.slice(0, state.pageSize);
    const rest = state.remaining.slice(state.pageSize);
    const cursor = `AAG${randomToken(45)}`;
    this.#cursors.set(cursor, { ...state, remaining: rest });
    return { entries, cursor, has_more: rest.length > 0 };
  }
}

function signatureOf(entry: Entry): string {
  return entry.kind === 'file' ? `file:${entry.rev}` : `folder:${entry.id}`;
}

function snapshotOf(entries: Entry[]): Map<string, Seen> {
  return new Map(
    entries.map((entry) => [entry.pathLower, { signature: signatureOf(entry), display: entry.pathDisplay }]),
  );
}
