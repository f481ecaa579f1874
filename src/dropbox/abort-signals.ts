/** Following abort signals without AbortSignal.any and without a listener per follower. */

/** What to do when a signal aborts, by signal: one listener per signal, however many wait on it. */
const abortCallbacks = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once, when `signal` aborts (at once if it has); returns what cancels that. Not a
 * listener per caller: every listener added to a signal is compared with all it already has, and a
 * run's signal, followed by every request and every wait in flight, made that a tenth of the run's CPU.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let callbacks = abortCallbacks.get(signal);
  if (callbacks === undefined) {
    const these = new Set<() => void>();
    callbacks = these;
    abortCallbacks.set(signal, these);
    signal.addEventListener(
      'abort',
      () => {
        const due = [...these];
        these.clear();
        for (const call of due) call();
      },
      { once: true },
    );
  }
  const own = (): void => callback();
  callbacks.add(own);
  const waiting = callbacks;
  return () => {
    waiting.delete(own);
  };
}

/**
 * Aborts `controller` (with the same reason) when any of `sources` aborts; returns what undoes that.
 * Not AbortSignal.any: a composite signal that fetch listens to stays alive until a finalizer runs, so
 * 100,000 requests would carry their garbage through collection after collection.
 */
export function followAbort(
  controller: AbortController,
  sources: readonly (AbortSignal | undefined)[],
): () => void {
  const undo: (() => void)[] = [];
  for (const source of sources) {
    if (source !== undefined) undo.push(whenAborted(source, () => controller.abort(source.reason)));
  }
  return () => {
    for (const step of undo) step();
  };
}
