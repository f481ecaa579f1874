/**
 * What the restore does with one planned file, given what is at its local path: download it, skip it
 * (unchanged, or already there with `if-exists: skip`) or fail it. The one decision of the restore and
 * of its dry run, made before any byte is asked for.
 */
import type { Explanation, PlannedDownload, RestoreIfExists } from '../model.ts';
import { LocalPathBlockedError } from './download-errors.ts';
import { explainLocalFileExists } from './download-explanations.ts';
import { Limiter } from './limiter.ts';
import { localContentHash, localEntryAt } from './local-target.ts';

export type LocalDecision =
  | { action: 'download' }
  | { action: 'skip'; reason: 'unchanged' | 'already exists' }
  | { action: 'fail'; error: Explanation };

export interface LocalDecisionOptions {
  ifExists: RestoreIfExists;
  /** A local file whose content hash equals the listing's is not downloaded: skipped, "unchanged". */
  skipUnchanged: boolean;
  /** Hashing local files is CPU and disk work: the run's budget for it (hashingLimiter). */
  hashing: Limiter;
  signal: AbortSignal;
}

/** Hashing local files for skip-unchanged: a couple at a time. */
export function hashingLimiter(): Limiter {
  return new Limiter(2);
}

/**
 * The decision for `file`. skip-unchanged is asked first (only a local file of the listed size is
 * hashed), then `if-exists`. Throws LocalPathBlockedError when a folder or something else that is not a
 * file is at the path, and LocalWriteError when the local file cannot be examined.
 */
export async function decideLocal(
  file: PlannedDownload,
  options: LocalDecisionOptions,
): Promise<LocalDecision> {
  const existing = await localEntryAt(file.localPath);
  if (existing.kind === 'folder' || existing.kind === 'other')
    throw new LocalPathBlockedError(file.localPath, existing.kind, 'file');
  if (existing.kind === 'none') return { action: 'download' };
  const { signal } = options;
  if (
    options.skipUnchanged &&
    existing.kind === 'file' &&
    existing.size === file.size &&
    (await options.hashing.run(() => localContentHash(file.localPath, file.size, signal), { signal })) ===
      file.contentHash
  )
    return { action: 'skip', reason: 'unchanged' };
  if (options.ifExists === 'skip') return { action: 'skip', reason: 'already exists' };
  if (options.ifExists === 'fail')
    return { action: 'fail', error: explainLocalFileExists(file.localPath, file.dropboxPath) };
  return { action: 'download' };
}
