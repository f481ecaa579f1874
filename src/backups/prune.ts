/** Deleting the folders retention chose: `delete_batch`, polling `delete_batch/check`, every entry checked. */
import type { files } from 'dropbox';
import type { DropboxApi } from '../dropbox/client.ts';
import { collectTags } from '../dropbox/error-body.ts';
import { explainDropboxError, titles } from '../dropbox/explain/explain.ts';
import type { Explanation } from '../model.ts';
import type { RemoteEntry } from '../dropbox/listing.ts';
import { retryDelayMs, sleep } from '../dropbox/retry.ts';

/** delete_batch takes at most 1000 entries. */
export const DELETE_BATCH_LIMIT = 1000;

export interface DeleteFailure {
  path: string;
  explanation: Explanation;
}

export interface DeleteOutcome {
  /** Display paths no longer in Dropbox, in the order given. */
  deleted: string[];
  failures: DeleteFailure[];
}

export interface DeleteOptions {
  log: (line: string) => void;
  /** Wait before poll number `poll` (1-based) of delete_batch/check. */
  pollDelayMs?: (poll: number) => number;
}

const defaultPollDelay = (poll: number): number => Math.min(250 * 2 ** (poll - 1), 2000);

/** Give up waiting for one batch's delete_batch/check after this long. */
const POLL_TIMEOUT_MS = 10 * 60_000;

type BatchEntry = files.DeleteBatchResultEntry;

/** One delete_batch, waited for: an entry result per path, in order. */
async function deleteBatch(
  api: DropboxApi,
  paths: readonly string[],
  options: DeleteOptions,
): Promise<BatchEntry[]> {
  const launched = (
    await api.call('delete_batch', (context) =>
      api.sdk.filesDeleteBatch({ entries: paths.map((path) => ({ path })) }, { signal: context.signal }),
    )
  ).result;
  if (launched['.tag'] === 'complete') return launched.entries;
  if (launched['.tag'] !== 'async_job_id') throw new Error(`delete_batch answered "${launched['.tag']}"`);
  const jobId = launched.async_job_id;
  const pollDelay = options.pollDelayMs ?? defaultPollDelay;
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (let poll = 1; ; poll += 1) {
    await sleep(pollDelay(poll), api.signal);
    const status = (
      await api.call('delete_batch/check', (context) =>
        api.sdk.filesDeleteBatchCheck({ async_job_id: jobId }, { signal: context.signal }),
      )
    ).result;
    if (status['.tag'] === 'complete') return status.entries;
    if (status['.tag'] === 'failed') {
      // The whole job hit write-lock contention: every entry is to be tried again.
      if (status.failed['.tag'] === 'too_many_write_operations') {
        return paths.map(() => ({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } }));
      }
      throw new Error(`Dropbox could not delete the batch (${status.failed['.tag']})`);
    }
    if (Date.now() > deadline) throw new Error('Dropbox did not finish deleting in time');
  }
}

/**
 * Deletes the entries, at most 1000 per delete_batch. Every entry's result is checked: an entry that is
 * already gone counts as deleted, one refused for write-lock contention is tried again in a later round
 * (up to max-attempts rounds, with the client's backoff between them), and any other failure is
 * explained. A request that fails outright fails the entries not done yet.
 */
export async function deleteEntries(
  api: DropboxApi,
  entries: readonly RemoteEntry[],
  options: DeleteOptions,
): Promise<DeleteOutcome> {
  const outcome: DeleteOutcome = { deleted: [], failures: [] };
  for (let start = 0; start < entries.length; start += DELETE_BATCH_LIMIT) {
    let pending = entries.slice(start, start + DELETE_BATCH_LIMIT);
    let delay = 0;
    for (let round = 1; pending.length > 0; round += 1) {
      let results: BatchEntry[];
      try {
        // Inside the try: a cancelled wait fails the entries not done yet, as a failed request does.
        if (delay > 0) await sleep(delay, api.signal);
        results = await deleteBatch(
          api,
          pending.map((entry) => entry.pathLower),
          options,
        );
        if (results.length !== pending.length) {
          throw new Error(`delete_batch answered ${results.length} entries for ${pending.length}`);
        }
      } catch (error) {
        const explanation = explainDropboxError(error, {});
        const undone = [...pending, ...entries.slice(start + DELETE_BATCH_LIMIT)];
        for (const entry of undone) outcome.failures.push({ path: entry.pathDisplay, explanation });
        return outcome;
      }
      const retry: RemoteEntry[] = [];
      results.forEach((result, index) => {
        const entry = pending[index];
        if (entry === undefined) return;
        if (result['.tag'] === 'success') {
          outcome.deleted.push(entry.pathDisplay);
          options.log(`deleted ${entry.pathDisplay}`);
          return;
        }
        const tags = collectTags(result.failure);
        if (tags.includes('not_found')) {
          outcome.deleted.push(entry.pathDisplay);
          options.log(`${entry.pathDisplay} was already gone`);
        } else if (tags.includes('too_many_write_operations') && round < api.maxAttempts) {
          retry.push(entry);
        } else {
          outcome.failures.push({
            path: entry.pathDisplay,
            // Shaped as the 409 a single delete would get, so it is explained the same way.
            explanation: explainDropboxError(
              { status: 409, error: result.failure },
              { dropboxPath: entry.pathDisplay },
            ),
          });
        }
      });
      pending = retry;
      if (pending.length > 0) {
        // Entry failures carry no Retry-After: the client's backoff, as for a refused commit entry.
        delay = retryDelayMs(round, { tags: ['too_many_write_operations'], network: false }, api.backoff);
        options.log(
          `delete_batch: ${pending.length} folder(s) refused with too_many_write_operations; ` +
            `retry ${round} of ${api.maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s`,
        );
      }
    }
  }
  return outcome;
}

/**
 * Why retention did not finish: the first folder's explanation, and how many more. Scoped to the
 * retention, not the upload (the files did arrive); the step fails with it and the next run tries again.
 */
export function explainPruneFailures(failures: readonly DeleteFailure[], chosenCount: number): Explanation {
  const [first] = failures;
  const others = failures.length - 1;
  return {
    title: titles.pruneFailed,
    message:
      `${failures.length} of ${chosenCount} old folder(s) could not be deleted; the files of this run ` +
      `did arrive.${first === undefined ? '' : ` ${first.path}: ${first.explanation.message}`}` +
      (others > 0 ? ` (${others} more listed in the log.)` : '') +
      ' The next run tries again.',
    scope: 'file',
  };
}
