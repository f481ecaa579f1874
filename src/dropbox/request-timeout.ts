import { Transform, type Readable } from 'node:stream';

/**
 * What a request that made no progress is aborted with. Named `TimeoutError`, as fetch's own timeouts
 * are, so retry.ts retries it as a network failure (its outcome is unknown) and explain.ts reports a
 * timeout when every attempt stalled.
 */
export class RequestStalledError extends Error {
  constructor(timeoutMs: number) {
    super(
      `No progress for ${timeoutMs / 1000} s (request-timeout): no body bytes went out and no answer came`,
    );
    this.name = 'TimeoutError';
  }
}

/**
 * Aborts one request attempt once it has made no progress for `timeoutMs`: progress is a piece of
 * the request body handed to the connection. After the body is out, the clock runs until the answer
 * comes, so a stalled connection or a server that never answers cannot hang the job: DropboxApi.call
 * gives up on the attempt when `signal` aborts, whether or not the request was handed the signal
 * (every SDK call is, so that its fetch and connection are aborted too), and retries it.
 */
export class ProgressWatchdog {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timeoutMs: number | undefined;
  private readonly bodies: Readable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `timeoutMs` undefined: no timeout. `parent` aborts the attempt too (cancellation, a stopped run). */
  constructor(timeoutMs: number | undefined, parent?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.signal = parent ? AbortSignal.any([parent, this.controller.signal]) : this.controller.signal;
    this.touch();
  }

  /** Restarts the clock. */
  touch(): void {
    if (this.stopped || this.timeoutMs === undefined) return;
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    const timeoutMs = this.timeoutMs;
    this.timer = setTimeout(() => this.controller.abort(new RequestStalledError(timeoutMs)), timeoutMs);
    this.timer.unref();
  }

  /** The body to send, passing through a counter of progress. Byte arrays go out at once. */
  watch(body: Readable | Uint8Array): Readable | Uint8Array {
    if (body instanceof Uint8Array) return body;
    const watched = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.touch();
        done(null, chunk);
      },
    });
    body.once('error', (error) => watched.destroy(error));
    this.bodies.push(body, watched);
    return body.pipe(watched);
  }

  /** Ends the clock and releases the file handles of bodies an aborted request left unread. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const body of this.bodies) body.destroy();
  }
}
