import { PassThrough } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { ProgressWatchdog, RequestStalledError } from '../../../src/dropbox/request-timeout.ts';
import { isNetworkError } from '../../../src/dropbox/retry.ts';

describe('ProgressWatchdog (request-timeout)', () => {
  test('aborts with a TimeoutError, which retry.ts treats as a network failure', async () => {
    const watchdog = new ProgressWatchdog(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(watchdog.signal.aborted).toBe(true);
    const reason: unknown = watchdog.signal.reason;
    expect(reason).toBeInstanceOf(RequestStalledError);
    expect(isNetworkError(reason)).toBe(true);
    watchdog.stop();
  });

  test('body bytes going out count as progress', async () => {
    const watchdog = new ProgressWatchdog(50);
    const source = new PassThrough();
    const watched = watchdog.watch(source) as NodeJS.ReadableStream;
    watched.resume();
    for (let tick = 0; tick < 6; tick += 1) {
      source.write(Buffer.alloc(10));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(watchdog.signal.aborted).toBe(false);
    watchdog.stop();
    expect(watchdog.signal.aborted).toBe(false);
  });

  test('no timeout when none is set, and the parent signal still aborts', () => {
    const parent = new AbortController();
    const watchdog = new ProgressWatchdog(undefined, parent.signal);
    parent.abort(new Error('cancelled'));
    expect(watchdog.signal.aborted).toBe(true);
    watchdog.stop();
  });
});
