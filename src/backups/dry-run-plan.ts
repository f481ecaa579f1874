/**
 * The dry-run plan: what a real run would do with each file, decided from the local content hashes and
 * the destination's listing, without a single write request. planDryRun is pure; hashLocalFiles is the
 * disk edge.
 */
import { LocalReadError } from '../dropbox/errors.ts';
import { explainConflict, explainDropboxError } from '../dropbox/explain/explain.ts';
import type { Explanation, FileResult, IfExists, PlannedFile } from '../model.ts';
import { failedResult, skippedResult, uploadedResult } from '../report/file-results.ts';
import { budgetsFor } from '../transfer/budgets.ts';
import { decide, type RemoteIndex } from '../transfer/decide.ts';
import { FileDigests } from '../transfer/file-digests.ts';
import { Limiter } from '../transfer/limiter.ts';

/** A file's content hash, or why it could not be read. */
export type LocalHash = { contentHash: string } | { error: Explanation };

/** Hashes every planned file as the upload would, as many at a time as the upload hashes; by local path. */
export async function hashLocalFiles(
  files: readonly PlannedFile[],
  chunkSizeBytes: number,
  concurrency: number,
): Promise<Map<string, LocalHash>> {
  const limiter = new Limiter(budgetsFor(concurrency).hashing);
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

/**
 * One result per planned file, as the real run would report it, decided as the upload decides
 * (decide.ts): `uploaded` (would be sent), `skipped` ("unchanged", or "already exists" under if-exists:
 * skip) or `failed` (an existing file under if-exists: fail, a folder or file in the way, an unreadable
 * local file). Without a listing every readable file would be sent. Nothing counts as sent.
 */
export function planDryRun(args: {
  files: readonly PlannedFile[];
  /** The destination's listing, when the decisions need one. */
  remote: RemoteIndex | undefined;
  localHashes: ReadonlyMap<string, LocalHash>;
  skipUnchanged: boolean;
  ifExists: IfExists;
}): FileResult[] {
  const rules = { skipUnchanged: args.skipUnchanged, ifExists: args.ifExists };
  return args.files.map((file): FileResult => {
    const local = args.localHashes.get(file.localPath);
    if (local !== undefined && 'error' in local) return failedResult(file, '', local.error);
    const contentHash = local?.contentHash ?? '';
    const decision =
      args.remote === undefined
        ? { action: 'send' as const }
        : decide(args.remote.stateAt(file.dropboxPath), contentHash, rules);
    switch (decision.action) {
      case 'send':
        return uploadedResult(file, contentHash, 0);
      case 'skip':
        return skippedResult(file, contentHash, decision.reason);
      case 'refuse':
        return failedResult(
          file,
          contentHash,
          explainConflict(decision.conflict, { dropboxPath: file.dropboxPath, ifExists: args.ifExists }),
        );
    }
  });
}
