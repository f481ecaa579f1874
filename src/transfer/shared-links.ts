/**
 * The `shared-links` step, after the upload: a shared link for every uploaded file, created with
 * `sharing/create_shared_link_with_settings` or, when the file already has one
 * (`shared_link_already_exists`), that existing link. A link that cannot be made never undoes an
 * upload: the file stays `uploaded`, and the problem is reported on its own.
 */
import type { DropboxApi } from '../dropbox/client.ts';
import { findField, findTagged, isRecord } from '../dropbox/error-body.ts';
import { explainSharedLinkError } from '../dropbox/explain/explain.ts';
import { Limiter } from './limiter.ts';
import type { Annotation, Explanation, FileResult } from '../model.ts';
import { budgetsFor } from './budgets.ts';

export interface SharedLinksOptions {
  concurrency: number;
  log: (line: string) => void;
}

export interface SharedLinkProblem {
  explanation: Explanation;
  /** The file it concerns; undefined for a problem that stopped the step (a missing permission). */
  dropboxPath?: string;
}

export interface SharedLinksOutcome {
  /** The results, in the same order, with `sharedLink` set on each uploaded file that got one. */
  results: FileResult[];
  problems: SharedLinkProblem[];
}

/**
 * What a `shared_link_already_exists` error says about the existing link: its URL (the form with
 * metadata), `listed` when the error carries no link (the older form: the link must be looked up), or
 * undefined for any other error. Both forms are in docs §3.
 */
export function existingSharedLink(error: unknown): { url: string } | 'listed' | undefined {
  const body = isRecord(error) ? error['error'] : undefined;
  const union = findTagged(body, 'shared_link_already_exists');
  if (union === undefined) return undefined;
  const url = findField(union['shared_link_already_exists'], 'url');
  return typeof url === 'string' && url !== '' ? { url } : 'listed';
}

class NoLinkListed extends Error {
  override name = 'SharedLinkNotListed';
}

async function linkFor(api: DropboxApi, path: string): Promise<string> {
  try {
    const created = await api.call(`create shared link ${path}`, (context) =>
      api.sdk.sharingCreateSharedLinkWithSettings({ path }, { signal: context.signal }),
    );
    return created.result.url;
  } catch (error) {
    const existing = existingSharedLink(error);
    if (existing === undefined) throw error;
    if (existing !== 'listed') return existing.url;
  }
  // The older error form names no link: ask for the file's own links (needs sharing.read).
  const listed = await api.call(`find shared link ${path}`, (context) =>
    api.sdk.sharingListSharedLinks({ path, direct_only: true }, { signal: context.signal }),
  );
  const url = listed.result.links[0]?.url;
  if (url === undefined) throw new NoLinkListed(`Dropbox reported a shared link for ${path} but listed none`);
  return url;
}

/** Links for every uploaded file, up to `concurrency` requests at once; stops at a credential problem. */
export async function createSharedLinks(
  results: readonly FileResult[],
  api: DropboxApi,
  options: SharedLinksOptions,
): Promise<SharedLinksOutcome> {
  const limiter = new Limiter(budgetsFor(options.concurrency).sharedLinks);
  const problems: SharedLinkProblem[] = [];
  let stoppedBy: Explanation | undefined;

  const linked = await Promise.all(
    results.map(async (result): Promise<FileResult> => {
      if (result.status !== 'uploaded') return result;
      return limiter.run(async () => {
        if (stoppedBy) return result;
        try {
          const url = await linkFor(api, result.dropboxPath);
          options.log(`shared link for ${result.dropboxPath}: ${url}`);
          return { ...result, sharedLink: url };
        } catch (error) {
          const explanation = explainSharedLinkError(error, result.dropboxPath);
          if (explanation.scope !== 'file') {
            // One annotation for the run: every other file would fail the same way.
            if (!stoppedBy) problems.push({ explanation });
            stoppedBy = explanation;
          } else {
            problems.push({ explanation, dropboxPath: result.dropboxPath });
          }
          options.log(`no shared link for ${result.dropboxPath}: ${explanation.title}`);
          return result;
        }
      });
    }),
  );
  return { results: linked, problems };
}

/** What the report says about links that could not be made: one annotation each, and why the step fails. */
export function sharedLinkFindings(problems: readonly SharedLinkProblem[]): {
  annotations: Annotation[];
  failure?: string;
} {
  if (problems.length === 0) return { annotations: [] };
  const annotations = problems.map(({ explanation }): Annotation => ({
    level: 'error',
    title: explanation.title,
    message: explanation.message,
  }));
  const stopped = problems.find((problem) => problem.dropboxPath === undefined);
  return {
    annotations,
    failure: stopped
      ? `Shared links were not created: ${stopped.explanation.title}. The files themselves were uploaded.`
      : `${problems.length} shared link(s) could not be created. The files themselves were uploaded.`,
  };
}
