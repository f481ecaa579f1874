import { setTimeout as delay } from 'node:timers/promises';

/** Rejects with an AbortError when the server closes, so no timer outlives close(). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return ms > 0 ? delay(ms, undefined, { signal }) : Promise.resolve();
}
