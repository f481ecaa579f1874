/**
 * A cancelled workflow run: the runner sends SIGINT (then SIGTERM), and kills the step a few seconds
 * later. The first signal aborts the run's signal, so nothing new starts and what is in flight is
 * aborted; the summary and outputs are written from what arrived. A last-resort timer makes sure the
 * process exits non-zero within `EXIT_DEADLINE_MS` even if something does not let go.
 */

/** Under the 5 s the issue allows (and under the runner's own grace period). */
export const EXIT_DEADLINE_MS = 4500;

export const cancellationSignals = ['SIGINT', 'SIGTERM'] as const;

export interface Cancellation {
  signal: AbortSignal;
  /** Removes the handlers (the run is over). */
  dispose: () => void;
}

export function watchForCancellation(
  log: (line: string) => void,
  exit: (code: number) => void = (code) => process.exit(code),
): Cancellation {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    log(`Received ${name}: the run was cancelled. Starting nothing new and stopping what is in flight.`);
    controller.abort(new Error(`cancelled (${name})`));
    const deadline = setTimeout(() => exit(1), EXIT_DEADLINE_MS);
    deadline.unref();
  };
  for (const name of cancellationSignals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of cancellationSignals) process.off(name, onSignal);
    },
  };
}

/** Why `signal` aborted, as an Error (an abort without a reason is still one). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
