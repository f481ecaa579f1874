/**
 * The empty folders of an upload, created in Dropbox with `create_folder_v2` (its parents come along):
 * a folder already there is fine; a file in the way fails that folder.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainConflict, explainDropboxError } from '../dropbox/explain/explain.ts';
import { failureFacts } from '../dropbox/retry.ts';
import type { FolderResult, MappedPath } from '../model.ts';
import { budgetsFor } from './budgets.ts';
import type { RemoteState } from './decide.ts';
import { Limiter } from './limiter.ts';

export interface CreateFoldersOptions {
  concurrency: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** A folder's line in the log; a dry run's says what a real run would do. */
export function folderLine(result: FolderResult, dryRun = false): string {
  switch (result.status) {
    case 'created':
      return `${dryRun ? 'would create' : 'created'} folder ${result.dropboxPath}`;
    case 'exists':
      return `folder ${result.dropboxPath} is already in Dropbox`;
    case 'failed':
      return `${dryRun ? 'would FAIL' : 'FAILED'} folder ${result.dropboxPath}: ${result.error?.title ?? 'unknown error'}`;
  }
}

export async function createFolders(
  folders: readonly MappedPath[],
  api: DropboxApi,
  options: CreateFoldersOptions,
): Promise<FolderResult[]> {
  const slots = new Limiter(budgetsFor(options.concurrency).requests);
  const create = async (folder: MappedPath): Promise<FolderResult> => {
    try {
      await api.call(
        `create folder ${folder.dropboxPath}`,
        (context) =>
          api.sdk.filesCreateFolderV2(
            { path: folder.dropboxPath, autorename: false },
            { signal: context.signal },
          ),
        {
          gate: (attempt) => slots.run(attempt),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      );
      return { ...folder, status: 'created' };
    } catch (error) {
      const { tags } = failureFacts(error);
      if (tags.includes('conflict') && tags.includes('folder')) return { ...folder, status: 'exists' };
      return {
        ...folder,
        status: 'failed',
        error: explainDropboxError(error, { dropboxPath: folder.dropboxPath, action: 'create-folder' }),
      };
    }
  };
  const results = await Promise.all(folders.map(create));
  for (const result of results) options.log(folderLine(result));
  return results;
}

/** What a real run would do with each folder, from the destination's listing when there is one. */
export function planFolders(
  folders: readonly MappedPath[],
  stateAt: ((dropboxPath: string) => RemoteState) | undefined,
): FolderResult[] {
  return folders.map((folder): FolderResult => {
    const state = stateAt?.(folder.dropboxPath);
    if (state?.kind === 'folder') return { ...folder, status: 'exists' };
    if (state?.kind === 'file' || state?.kind === 'file-above') {
      const kind = state.kind === 'file' ? 'file' : 'file_ancestor';
      const error = explainConflict(kind, { dropboxPath: folder.dropboxPath, action: 'create-folder' });
      return { ...folder, status: 'failed', error };
    }
    return { ...folder, status: 'created' };
  });
}
