/**
 * Is the app an *App folder* app or a *Full Dropbox* one? Dropbox's API has no field for it, so the
 * helper asks Dropbox to list the root of the account's home namespace by id (`files/list_folder` with
 * `Dropbox-API-Path-Root: {".tag":"namespace_id",...}`). A Full Dropbox app may do that. An App-folder
 * app is confined to `/Apps/<app name>`, so the namespace root is out of its reach and Dropbox answers
 * 422 `no_permission` ("You don't have permission to access the namespace id in
 * Dropbox-API-Path-Root header", PathRootError). Any other answer means the helper cannot tell.
 */
import { DropboxResponseError } from 'dropbox';
import { DropboxApi } from '../dropbox/client.ts';
import { TokenSource } from '../dropbox/credentials.ts';
import { collectTags } from '../dropbox/error-body.ts';

export type AccessType = 'app_folder' | 'full_dropbox' | 'unknown';

export interface AccessTypeFinding {
  accessType: AccessType;
  /** Why it is unknown, when it is. */
  reason?: string;
}

/** Pure: what the probe's outcome means. */
export function accessTypeFrom(outcome: { listed: true } | { error: unknown }): AccessTypeFinding {
  if ('listed' in outcome) return { accessType: 'full_dropbox' };
  const { error } = outcome;
  if (!(error instanceof DropboxResponseError))
    return { accessType: 'unknown', reason: 'Dropbox could not be asked' };
  const tags = collectTags((error as DropboxResponseError<unknown>).error);
  if (error.status === 422 && tags.includes('no_permission')) return { accessType: 'app_folder' };
  if (error.status === 401 && tags.includes('missing_scope')) {
    return { accessType: 'unknown', reason: 'the check needs the files.metadata.read permission' };
  }
  return {
    accessType: 'unknown',
    reason: `Dropbox answered HTTP ${error.status}${tags.length ? ` ${tags.join('/')}` : ''}`,
  };
}

export async function probeAccessType(
  accessToken: string,
  homeNamespaceId: string,
): Promise<AccessTypeFinding> {
  const api = new DropboxApi(
    new TokenSource({ kind: 'access-token', accessToken }, { mask: () => undefined }),
    {
      maxAttempts: 3,
      pathRoot: JSON.stringify({ '.tag': 'namespace_id', namespace_id: homeNamespaceId }),
    },
  );
  try {
    await api.call('check the access type', (context) =>
      api.sdk.filesListFolder({ path: '', limit: 1 }, { signal: context.signal }),
    );
    return accessTypeFrom({ listed: true });
  } catch (error) {
    return accessTypeFrom({ error });
  }
}
