import type { JsonObject } from './errors.ts';
import { randomToken, type Entry } from './metadata.ts';
import { nameOf } from './paths.ts';

/**
 * Shape of `shared_link_already_exists` (docs §3): `metadata` carries the existing link
 * (`{".tag":"shared_link_already_exists","shared_link_already_exists":{".tag":"metadata","metadata":…}}`),
 * `bare` is the older captured form with no link in it, so the client has to list the links.
 */
export type SharedLinkConflictForm = 'metadata' | 'bare';

/** Shared links by the id of the file or folder they point to (a link follows its file when it moves). */
export class SharedLinks {
  readonly #urls = new Map<string, string>();
  conflictForm: SharedLinkConflictForm = 'metadata';

  urlOf(entryId: string): string | undefined {
    return this.#urls.get(entryId);
  }

  create(entry: Entry): string {
    const url = `https://www.dropbox.com/scl/fi/${randomToken(15).toLowerCase()}/${encodeURIComponent(nameOf(entry.pathDisplay))}?rlkey=${randomToken(18).toLowerCase()}&dl=0`;
    this.#urls.set(entry.id, url);
    return url;
  }

  entryIds(): string[] {
    return [...this.#urls.keys()];
  }
}

/** SharedLinkMetadata as Dropbox returns it: FileLinkMetadata or FolderLinkMetadata, tagged. */
export function sharedLinkMetadata(entry: Entry, url: string): JsonObject {
  const common: JsonObject = {
    url,
    id: entry.id,
    name: nameOf(entry.pathDisplay),
    path_lower: entry.pathLower,
    link_permissions: {
      can_revoke: true,
      resolved_visibility: { '.tag': 'public' },
      visibility_policies: [],
      can_set_expiry: false,
      can_remove_expiry: true,
      allow_download: true,
      can_allow_download: true,
      can_disallow_download: false,
      allow_comments: true,
      team_restricts_comments: false,
    },
  };
  if (entry.kind === 'folder') return { '.tag': 'folder', ...common };
  return {
    '.tag': 'file',
    ...common,
    client_modified: entry.clientModified,
    server_modified: entry.serverModified,
    rev: entry.rev,
    size: entry.size,
  };
}
