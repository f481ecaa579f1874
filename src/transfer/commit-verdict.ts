/** What one entry of a finish_batch_v2 answer means for its file: committed, commit again, check, or failed. Pure. */
import { DropboxResponseError, type files } from 'dropbox';
import { collectTags } from '../dropbox/error-body.ts';
import { failureFacts, isTransient } from '../dropbox/retry.ts';

/** A batch entry's failure as the error a single finish would have thrown, so retry.ts and explain.ts read it alike. */
export function entryError(failure: files.UploadSessionFinishError): DropboxResponseError<unknown> {
  return new DropboxResponseError(409, new Headers(), {
    error_summary: `${collectTags(failure).join('/')}/`,
    error: failure,
  });
}

export type EntryVerdict =
  | { kind: 'committed'; metadata: files.FileMetadata }
  /** Refused for a passing reason (namespace lock contention): commit it again in a later batch. */
  | { kind: 'retry'; error: DropboxResponseError<unknown> }
  /** The session is gone after a batch whose answer was lost: it may have been committed then. */
  | { kind: 'verify'; error: DropboxResponseError<unknown> }
  | { kind: 'failed'; error: unknown };

/** What to do with one entry of a finish_batch_v2 answer. `outcomeUnknown`: an earlier attempt's answer was lost. */
export function entryVerdict(
  result: files.UploadSessionFinishBatchResultEntry | undefined,
  outcomeUnknown: boolean,
): EntryVerdict {
  if (result === undefined) {
    return {
      kind: 'failed',
      error: new Error('Dropbox answered the batch commit without an entry for this file'),
    };
  }
  if (result['.tag'] === 'success') {
    const { '.tag': _tag, ...metadata } = result;
    return { kind: 'committed', metadata };
  }
  if (result['.tag'] !== 'failure') {
    return {
      kind: 'failed',
      error: new Error(`Dropbox answered the batch commit with "${String(result['.tag'])}"`),
    };
  }
  const error = entryError(result.failure);
  const facts = failureFacts(error);
  if (isTransient(facts)) return { kind: 'retry', error };
  // A repeated finish of a consumed session answers lookup_failed/not_found (API reference, "Could not confirm" #10).
  if (outcomeUnknown && facts.tags.includes('lookup_failed') && facts.tags.includes('not_found'))
    return { kind: 'verify', error };
  return { kind: 'failed', error };
}
