/**
 * The dry-run plan: what a real run would do with each file, decided from the local content hashes and
 * the destination's listing, without a single write request. planDryRun is pure; hashLocalFiles is the
 * disk edge.
 */
import { LocalReadError } from '../dropbox/errors.ts';
import { explainDropboxError } from '../dropbox/explain.ts';
import { FileDigests } from '../transfer/file-digests.ts';
import { failedResult, skippedResult, uploadedResult } from '../report/file-results.ts';
import { Limiter } from '../transfer/limiter.ts';
import type { Explanation, FileResult, IfExists, PlannedFile } from '../model.ts';
import type { RemoteEntry } from '../dropbox/listing.ts';

/** A file's content hash, or why it could not be read. */
export type LocalHash = { contentHash: string } | { error: Explanation };

const HASHING_CONCURRENCY = 4;

/** Hashes every planned file as the upload would, a few at a time; by local path. */
export async function hashLocalFiles(
  files: readonly PlannedFile[],
  chunkSizeBytes: number,
): Promise<Map<string, LocalHash>> {
  const limiter = new Limiter(HASHING_CONCURRENCY);
  const hashes = new Map<string, LocalHash>();
  await Promise.all(
    files.map((file) =>
      limiter.run(async () => {
        try {
          hashes.set(file.localPath, { contentHash: await new FileDigests(file).hashAll(chunkSizeBytes) });
        } catch (error) {
          const explanation = explainDropboxError(new LocalReadError(file.localPath, error), {
            dropboxPath: file.dropboxPath,
          });
          hashes.set(file.localPath, { error: explanation });
        }
      }),
    ),
  );
  return hashes;
}

/** The explanation a real upload would get for a conflict of this kind, so both read the same. */
function conflict(
  kind: 'file' | 'folder' | 'file_ancestor',
  dropboxPath: string,
  ifExists: IfExists,
): Explanation {
  const body = { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': kind } } };
  return explainDropboxError({ status: 409, error: body }, { dropboxPath, ifExists });
}

/** The lower-cased folders above a Dropbox path: `/a/b/c.txt` → `/a`, `/a/b`. */
function ancestorsOf(pathLower: string): string[] {
  const segments = pathLower.split('/');
  const ancestors: string[] = [];
  for (let end = 2; end < segments.length; end += 1) ancestors.push(segments.slice(0, end).join('/'));
  return ancestors;
}

/**
 * One result per planned file, as the real run would report it: `uploaded` (would be sent), `skipped`
 * ("unchanged", or "already exists" under if-exists: skip) or `failed` (an existing file under
 * if-exists: fail, a folder or file in the way, an unreadable local file). Nothing counts as sent.
 */
export function planDryRun(args: {
  files: readonly PlannedFile[];
  /** The destination's listing, by lower-cased path. */
  remote: ReadonlyMap<string, RemoteEntry>;
  localHashes: ReadonlyMap<string, LocalHash>;
  skipUnchanged: boolean;
  ifExists: IfExists;
}): FileResult[] {
  return args.files.map((file): FileResult => {
    const local = args.localHashes.get(file.localPath);
    const contentHash = local !== undefined && 'contentHash' in local ? local.contentHash : '';
    const failed = (error: Explanation): FileResult => failedResult(file, contentHash, error);
    if (local !== undefined && 'error' in local) return failed(local.error);
    const key = file.dropboxPath.toLowerCase();
    const existing = args.remote.get(key);
    if (existing?.kind === 'folder') return failed(conflict('folder', file.dropboxPath, args.ifExists));
    if (ancestorsOf(key).some((ancestor) => args.remote.get(ancestor)?.kind === 'file')) {
      return failed(conflict('file_ancestor', file.dropboxPath, args.ifExists));
    }
    if (existing?.kind === 'file') {
      if (args.skipUnchanged && existing.contentHash !== undefined && existing.contentHash === contentHash) {
        return skippedResult(file, contentHash, 'unchanged');
      }
      if (args.ifExists === 'skip') return skippedResult(file, contentHash, 'already exists');
      if (args.ifExists === 'fail') return failed(conflict('file', file.dropboxPath, args.ifExists));
    }
    return uploadedResult(file, contentHash, 0);
  });
}
