/**
 * What Dropbox holds under a folder: one `list_folder`, then `list_folder/continue` while `has_more`,
 * each through DropboxApi.call (retries, token refresh). A folder that does not exist yet is empty.
 */
import type { files } from 'dropbox';
import type { DropboxApi } from './client.ts';
import { failureFacts } from './retry.ts';

/** The most entries Dropbox returns per page (list_folder's `limit` is 1 to 2000). */
export const LIST_PAGE_LIMIT = 2000;

/** A listing whose cursor Dropbox reset is started again, at most this often. */
const MAX_RESTARTS = 2;

export interface RemoteEntry {
  kind: 'file' | 'folder';
  name: string;
  pathLower: string;
  pathDisplay: string;
  /** Files only. */
  contentHash?: string;
  /** Files only: bytes. */
  size?: number;
  /** Files only: the revision listed, to tell whether the file changed since. */
  rev?: string;
  /** Files only: the time the uploader gave the file (`2015-05-12T15:50:38Z`, UTC, whole seconds). */
  clientModified?: string;
  /** Files only, when Dropbox says so: false for files that must be exported (e.g. Google Docs). */
  isDownloadable?: boolean;
}

export interface ListOptions {
  recursive: boolean;
}

/** A listed (or looked-up) file or folder as a RemoteEntry; undefined for deleted entries. */
export function toEntry(metadata: files.ListFolderResult['entries'][number]): RemoteEntry | undefined {
  const tag = metadata['.tag'];
  if (tag !== 'file' && tag !== 'folder') return undefined;
  const pathLower = metadata.path_lower ?? '';
  const entry: RemoteEntry = {
    kind: tag,
    name: metadata.name,
    pathLower,
    pathDisplay: metadata.path_display ?? pathLower,
  };
  if (tag === 'file') {
    if (metadata.content_hash !== undefined) entry.contentHash = metadata.content_hash;
    entry.size = metadata.size;
    entry.rev = metadata.rev;
    entry.clientModified = metadata.client_modified;
    if (metadata.is_downloadable !== undefined) entry.isDownloadable = metadata.is_downloadable;
  }
  return entry;
}

/** Dropbox names the root `""`; the action's folders are `''` or `/a/b` (a lone `/` is taken as root too). */
function listPath(folder: string): string {
  return folder === '/' ? '' : folder;
}

/**
 * Every file and folder under `folder` (recursively when asked), in the order Dropbox pages them.
 * `not_found` means the folder does not exist yet: an empty listing. Other failures are thrown.
 */
export async function listRemoteFolder(
  api: DropboxApi,
  folder: string,
  options: ListOptions,
): Promise<RemoteEntry[]> {
  const path = listPath(folder);
  const label = `list ${path === '' ? '/' : path}`;
  for (let restarts = 0; ; restarts += 1) {
    const entries: RemoteEntry[] = [];
    let page: files.ListFolderResult;
    try {
      page = (
        await api.call(label, (context) =>
          api.sdk.filesListFolder(
            { path, recursive: options.recursive, limit: LIST_PAGE_LIMIT },
            { signal: context.signal },
          ),
        )
      ).result;
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    try {
      for (;;) {
        for (const metadata of page.entries) {
          const entry = toEntry(metadata);
          if (entry) entries.push(entry);
        }
        if (!page.has_more) return entries;
        const cursor = page.cursor;
        page = (
          await api.call(label, (context) =>
            api.sdk.filesListFolderContinue({ cursor }, { signal: context.signal }),
          )
        ).result;
      }
    } catch (error) {
      // Dropbox invalidated the cursor (`reset`): the listing has to start over.
      if (failureFacts(error).tags.includes('reset') && restarts < MAX_RESTARTS) continue;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const { status, tags } = failureFacts(error);
  return status === 409 && tags.includes('path') && tags.includes('not_found');
}
