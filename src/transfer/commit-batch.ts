/**
 * Commits closed upload sessions with `files/upload_session/finish_batch_v2`: up to 1,000 files per
 * request, one batch in flight at a time ("for the same account, batches should be executed
 * serially"), so commits take the namespace lock once per batch instead of once per file and never
 * meet each other's `too_many_write_operations`.
 */
import type { files } from 'dropbox';
import type { CallOptions, DropboxApi } from '../dropbox/client.ts';
import { abortReason } from '../cancellation.ts';
import { describeFailure } from '../dropbox/client.ts';
import { failureFacts, retryDelayMs } from '../dropbox/retry.ts';
import { entryVerdict } from './commit-verdict.ts';

export { entryError, entryVerdict, type EntryVerdict } from './commit-verdict.ts';

/** The API's limit on entries per finish_batch_v2 call. */
export const MAX_BATCH_ENTRIES = 1000;
/** A file ready to commit waits at most this long for others to join its batch. */
export const DEFAULT_MAX_BATCH_WAIT_MS = 2000;

export interface CommitRequest {
  dropboxPath: string;
  sessionId: string;
  /** Where the closed session ends: the file's size. */
  size: number;
  commit: files.CommitInfo;
  /** The local file's content hash: a commit whose answer was lost counts only if Dropbox has these bytes. */
  contentHash: string;
}

export interface BatchPolicy {
  maxEntries: number;
  maxWaitMs: number;
}

export interface FlushState {
  /** Entries ready to go. */
  pending: number;
  inFlight: boolean;
  /** Whether some file may still become ready to join the batch. */
  othersUploading: boolean;
  /** How long the oldest pending entry has waited. */
  oldestWaitMs: number;
}

/**
 * A batch goes when nothing else is in flight and it is full, or nothing else is uploading (waiting
 * could not make it bigger), or its oldest entry has waited long enough: a long upload elsewhere (or
 * a cancelled run) must not keep finished files uncommitted.
 */
export function shouldFlush(state: FlushState, policy: BatchPolicy): boolean {
  if (state.inFlight || state.pending === 0) return false;
  return (
    state.pending >= policy.maxEntries || !state.othersUploading || state.oldestWaitMs >= policy.maxWaitMs
  );
}

export interface CommitBatcherOptions {
  /** Also gives the attempts and backoff for an entry Dropbox refuses for a passing reason, as for any request. */
  api: DropboxApi;
  /** Runs each request in a slot of the shared budget, ahead of uploads. */
  gate: NonNullable<CallOptions['gate']>;
  signal: AbortSignal;
  /** True while some file may still become ready and join a batch. */
  othersUploading: () => boolean;
  log: (line: string) => void;
  policy?: Partial<BatchPolicy>;
}

interface Entry {
  request: CommitRequest;
  queuedAt: number;
  /** Batches that refused this entry for a passing reason. */
  refusals: number;
  /** A batch carrying it may have been committed without its answer reaching us. */
  outcomeUnknown: boolean;
  resolve: (metadata: files.FileMetadata) => void;
  reject: (error: unknown) => void;
}

function finishArg(request: CommitRequest): files.UploadSessionFinishArg {
  return { cursor: { session_id: request.sessionId, offset: request.size }, commit: request.commit };
}

export class CommitBatcher {
  private readonly options: CommitBatcherOptions;
  private readonly policy: BatchPolicy;
  private readonly pending: Entry[] = [];
  /** Entries waiting out a backoff before they are committed again. */
  private readonly parked = new Map<NodeJS.Timeout, Entry>();
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: CommitBatcherOptions) {
    this.options = options;
    this.policy = {
      maxEntries: Math.min(options.policy?.maxEntries ?? MAX_BATCH_ENTRIES, MAX_BATCH_ENTRIES),
      maxWaitMs: options.policy?.maxWaitMs ?? DEFAULT_MAX_BATCH_WAIT_MS,
    };
    options.signal.addEventListener('abort', () => this.abandon(), { once: true });
  }

  /** Resolves with the committed file's metadata, or rejects with why it was not committed. */
  commit(request: CommitRequest): Promise<files.FileMetadata> {
    if (this.options.signal.aborted) return Promise.reject(abortReason(this.options.signal));
    return new Promise((resolve, reject) => {
      this.pending.push({
        request,
        queuedAt: Date.now(),
        refusals: 0,
        outcomeUnknown: false,
        resolve,
        reject,
      });
      this.consider();
    });
  }

  /** Uploads moved on (a file became ready, failed or was skipped): a waiting batch may go now. */
  poke(): void {
    this.consider();
  }

  private consider(): void {
    const oldest = this.pending[0];
    if (this.options.signal.aborted || this.inFlight || oldest === undefined) return;
    const waited = Date.now() - oldest.queuedAt;
    const state: FlushState = {
      pending: this.pending.length,
      inFlight: this.inFlight,
      othersUploading: this.options.othersUploading(),
      oldestWaitMs: waited,
    };
    if (shouldFlush(state, this.policy)) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.consider();
      },
      Math.max(0, this.policy.maxWaitMs - waited),
    );
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending.splice(0, this.policy.maxEntries);
    this.inFlight = true;
    let outcomeUnknown = false;
    const { api } = this.options;
    try {
      const result = await api.call(
        `commit ${group.length} file(s)`,
        async (context) => {
          outcomeUnknown ||= context.outcomeUnknown;
          const response = await api.sdk.filesUploadSessionFinishBatchV2(
            { entries: group.map((entry) => finishArg(entry.request)) },
            { signal: context.signal },
          );
          return response.result;
        },
        { gate: this.options.gate, signal: this.options.signal },
      );
      await Promise.all(
        group.map((entry, index) => this.settle(entry, result.entries[index], outcomeUnknown)),
      );
    } catch (error) {
      // Every attempt failed. If one may have gone through (its answer was lost), Dropbox's copy decides.
      const maybeCommitted = outcomeUnknown || failureFacts(error).network;
      await Promise.all(
        group.map((entry) => this.fail(entry, error, maybeCommitted || entry.outcomeUnknown)),
      );
    } finally {
      this.inFlight = false;
      this.consider();
    }
  }

  private async settle(
    entry: Entry,
    result: files.UploadSessionFinishBatchResultEntry | undefined,
    outcomeUnknown: boolean,
  ): Promise<void> {
    entry.outcomeUnknown ||= outcomeUnknown;
    const verdict = entryVerdict(result, entry.outcomeUnknown);
    switch (verdict.kind) {
      case 'committed':
        entry.resolve(verdict.metadata);
        return;
      case 'retry': {
        entry.refusals += 1;
        const { maxAttempts, backoff } = this.options.api;
        if (entry.refusals >= maxAttempts) {
          entry.reject(verdict.error);
          return;
        }
        const facts = failureFacts(verdict.error);
        const delay = retryDelayMs(entry.refusals, facts, backoff);
        this.options.log(
          `commit ${entry.request.dropboxPath}: ${describeFailure(facts)}; retry ${entry.refusals} of ` +
            `${maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s`,
        );
        this.park(entry, delay);
        return;
      }
      case 'verify':
        await this.fail(entry, verdict.error, true);
        return;
      case 'failed':
        entry.reject(verdict.error);
    }
  }

  /** Rejects the entry, unless `verify` and Dropbox turns out to have the file with our bytes. */
  private async fail(entry: Entry, error: unknown, verify: boolean): Promise<void> {
    if (verify && !this.options.signal.aborted) {
      const landed = await this.landed(entry.request).catch(() => undefined);
      if (landed) {
        entry.resolve(landed);
        return;
      }
    }
    entry.reject(error);
  }

  private async landed(request: CommitRequest): Promise<files.FileMetadata | undefined> {
    const { api } = this.options;
    const found = await api.call(
      `check ${request.dropboxPath}`,
      (context) => api.sdk.filesGetMetadata({ path: request.dropboxPath }, { signal: context.signal }),
      { gate: this.options.gate, signal: this.options.signal },
    );
    const metadata = found.result;
    return metadata['.tag'] === 'file' && metadata.content_hash === request.contentHash
      ? metadata
      : undefined;
  }

  private park(entry: Entry, delayMs: number): void {
    const timer = setTimeout(() => {
      this.parked.delete(timer);
      this.pending.unshift(entry);
      this.consider();
    }, delayMs);
    this.parked.set(timer, entry);
  }

  /** Cancellation or a stopped run: nothing more is committed; a batch in flight is aborted by the signal. */
  private abandon(): void {
    const reason = abortReason(this.options.signal);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [timer, entry] of this.parked) {
      clearTimeout(timer);
      entry.reject(reason);
    }
    this.parked.clear();
    for (const entry of this.pending.splice(0)) entry.reject(reason);
  }
}
