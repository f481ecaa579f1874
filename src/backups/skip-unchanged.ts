/**
 * skip-unchanged's listing, before the upload: one recursive listing of the destination gives the
 * content hashes of what Dropbox already holds.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { explainDropboxError, titles, type ExplainContext } from '../dropbox/explain/explain.ts';
import { listRemoteFolder } from '../dropbox/listing.ts';
import type { Annotation, Explanation } from '../model.ts';
import { RemoteIndex } from '../transfer/decide.ts';
import { display } from './folders.ts';

const APP_CONSOLE = 'the Dropbox App Console (https://www.dropbox.com/developers/apps)';

/**
 * Why the skip-unchanged listing failed. A missing scope gets its own explanation, scoped to the
 * listing only: the run goes on and sends every file, so the fix is optional and says how.
 */
export function explainSkipUnchangedListing(error: unknown, context: ExplainContext): Explanation {
  const explanation = explainDropboxError(error, context);
  if (explanation.title !== titles.missingScope) return explanation;
  return {
    title: titles.skipUnchangedNeedsPermission,
    message:
      'skip-unchanged needs the "files.metadata.read" permission to see what Dropbox already has, and the ' +
      'app behind this token lacks it, so every file is sent. To skip unchanged files, open the app in ' +
      `${APP_CONSOLE}, tick "files.metadata.read" on its Permissions tab and click Submit, then get a NEW ` +
      'token (existing tokens keep the permissions they were issued with) and update the secret. Or set ' +
      '"skip-unchanged: false".',
    scope: 'file',
  };
}

export interface UploadListing {
  /** What the destination holds; undefined when it could not be listed. */
  listing?: RemoteIndex;
  /** Why every file is sent after all: the listing could not be made. */
  warning?: Annotation;
  /** A credential problem (or a missing scope retention needs): the run stops before the upload. */
  stoppedBy?: Explanation;
}

/**
 * One recursive listing of the destination, for skip-unchanged. The listing is an optimisation: when the
 * app lacks files.metadata.read, or Dropbox does not answer, one warning says so and every file is sent.
 * Retention needs the same permission, so then a missing scope stops the run before anything is sent.
 */
export async function listForSkipUnchanged(
  api: DropboxApi,
  destination: string,
  scopeRequired: boolean,
  log: (line: string) => void,
): Promise<UploadListing> {
  try {
    const listing = new RemoteIndex(await listRemoteFolder(api, destination, { recursive: true }));
    log(
      `${display(destination)} holds ${listing.fileCount} file(s) in Dropbox; a file with the same content is not sent again.`,
    );
    return { listing };
  } catch (error) {
    const context = { dropboxPath: display(destination), action: 'list' } as const;
    const explanation = scopeRequired
      ? explainDropboxError(error, context)
      : explainSkipUnchangedListing(error, context);
    if (explanation.title === titles.skipUnchangedNeedsPermission) {
      return { warning: { level: 'warning', title: explanation.title, message: explanation.message } };
    }
    if (explanation.scope !== 'file') return { stoppedBy: explanation };
    return {
      warning: {
        level: 'warning',
        title: explanation.title,
        message:
          `Could not list ${display(destination)} in Dropbox to skip unchanged files, so every file is sent. ` +
          explanation.message,
      },
    };
  }
}
