/**
 * Finds what a restore brings back: the source (the newest match when its last segment holds
 * placeholders), whether it is a file or a folder, and the listing planRestore takes.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { failureFacts } from '../dropbox/retry.ts';
import { listRemoteFolder, toEntry, type RemoteEntry } from '../dropbox/listing.ts';
import type { Explanation } from '../model.ts';
import { restoreTitles } from '../transfer/download-explanations.ts';
import {
  explainNoMatchingSource,
  newestMatching,
  NoMatchingSourceError,
  type RestoreSourceSpec,
} from './newest-backup.ts';

export interface RestoreSource {
  /** The resolved Dropbox path as Dropbox displays it; `/` for the root. */
  path: string;
  kind: 'file' | 'folder';
  /** A folder's recursive listing, or a file's own entry: what planRestore takes as `entries`. */
  entries: RemoteEntry[];
}

/** The source is not there, or no sibling matches its pattern: the run has nothing to restore. */
export class RestoreSourceError extends Error {
  readonly explanation: Explanation;

  constructor(explanation: Explanation, options?: ErrorOptions) {
    super(explanation.message, options);
    this.name = 'RestoreSourceError';
    this.explanation = explanation;
  }
}

/** The source (without placeholders, or the one they resolved to) is not in Dropbox. */
export function explainSourceNotFound(source: string): Explanation {
  return {
    title: restoreTitles.sourceNotFound,
    scope: 'file',
    message:
      `Dropbox has no file or folder at "${source}". Check "source" (Dropbox paths start at the root of ` +
      'the account, or of the app folder for an App-folder app, and of the team space with "namespace: team"), ' +
      'and that the backup to restore was made.',
  };
}

function isNotFound(error: unknown): boolean {
  const { status, tags } = failureFacts(error);
  return status === 409 && tags.includes('not_found');
}

/** The entry at `path`, through get_metadata; undefined when nothing is there. */
async function lookUp(api: DropboxApi, path: string): Promise<RemoteEntry | undefined> {
  try {
    const { result } = await api.call(`look up ${path}`, (context) =>
      api.sdk.filesGetMetadata({ path }, { signal: context.signal }),
    );
    return toEntry(result);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Resolves the source (restoreSourceSpec's reading of the `source` input) and lists it. Throws
 * RestoreSourceError, with its explanation, when there is nothing to restore; Dropbox failures
 * (credentials, network) as they come, for explainDropboxError.
 */
export async function findRestoreSource(api: DropboxApi, spec: RestoreSourceSpec): Promise<RestoreSource> {
  let entry: RemoteEntry | undefined;
  if (spec.kind === 'newest') {
    const siblings = await listRemoteFolder(api, spec.parent, { recursive: false });
    try {
      entry = newestMatching(spec, siblings);
    } catch (error) {
      if (error instanceof NoMatchingSourceError)
        throw new RestoreSourceError(explainNoMatchingSource(error), { cause: error });
      throw error;
    }
  } else if (spec.path === '' || spec.path === '/') {
    return { path: '/', kind: 'folder', entries: await listRemoteFolder(api, '', { recursive: true }) };
  } else {
    entry = await lookUp(api, spec.path);
    if (entry === undefined) throw new RestoreSourceError(explainSourceNotFound(spec.path));
  }
  if (entry.kind === 'file') return { path: entry.pathDisplay, kind: 'file', entries: [entry] };
  return {
    path: entry.pathDisplay,
    kind: 'folder',
    entries: await listRemoteFolder(api, entry.pathDisplay, { recursive: true }),
  };
}
