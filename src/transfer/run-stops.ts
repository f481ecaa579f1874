/**
 * When a failure stops a whole run (upload or restore) rather than one file, how that is explained, and the
 * one stop both engines share.
 */
import { describeFailure } from '../dropbox/client.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import { failureFacts } from '../dropbox/retry.ts';
import type { Explanation } from '../model.ts';

/**
 * A run's stop: the first explanation that ends the whole run is kept, and one abort reaches everything
 * in flight. The caller's cancellation stops it too, explained by `cancelled`.
 */
export class RunStop {
  /** Aborted when the run stops or the caller cancels: every request of the run follows it. */
  readonly signal: AbortSignal;
  readonly #stop = new AbortController();
  #stoppedBy: Explanation | undefined;

  constructor(cancellation: AbortSignal | undefined, cancelled: () => Explanation) {
    this.signal = cancellation ? AbortSignal.any([cancellation, this.#stop.signal]) : this.#stop.signal;
    cancellation?.addEventListener('abort', () => this.stop(cancelled()), { once: true });
    if (cancellation?.aborted) this.stop(cancelled());
  }

  /** What stopped the run, once something has. */
  get stoppedBy(): Explanation | undefined {
    return this.#stoppedBy;
  }

  /** Stops the run with `explanation`, unless it stopped already; returns what stopped it. */
  stop(explanation: Explanation): Explanation {
    if (this.#stoppedBy === undefined) {
      this.#stoppedBy = explanation;
      this.#stop.abort(new Error(explanation.title));
    }
    return this.#stoppedBy;
  }
}

/** What ends the run for every file: no credential works, the account is full, or the job was cancelled. */
export function stopsTheRun(explanation: Explanation): boolean {
  return explanation.scope !== 'file';
}

/**
 * Dropbox asked the run to slow down window after window and let nothing through in between (the
 * pacer refused): nothing else can arrive either, so the run stops with one annotation. The title is
 * the one a single request refused this way gets ("Dropbox rate limit" for a 429).
 */
export function explainRefusedRun(error: unknown, windows: number): Explanation {
  const { title } = explainDropboxError(error, {});
  return {
    title,
    scope: 'run',
    message:
      `Dropbox asked the upload to slow down (${describeFailure(failureFacts(error))}) ${windows} time(s) in a ` +
      'row and let no request through in between, so the upload stopped after waiting each time as asked: ' +
      'the files not yet committed did not arrive (the job summary lists them). Dropbox limits the requests ' +
      'an app and an account may make: make sure no other job uploads to the same Dropbox account at the ' +
      'same time, or raise "max-attempts" to wait longer, then re-run the job.',
  };
}
