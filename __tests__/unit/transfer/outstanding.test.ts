/** Counted work under way: settled waits for every tracked promise and rethrows the first failure. */
import { describe, expect, test } from '@jest/globals';
import { Outstanding } from '../../../src/transfer/outstanding.ts';

/** A promise settled from outside, in the order a test chooses. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Whether `promise` has settled once pending callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
  return settled;
}

describe('Outstanding', () => {
  test('nothing tracked: settled resolves at once', async () => {
    await expect(new Outstanding().settled()).resolves.toBeUndefined();
  });

  test('settled waits for the last piece of work, in whatever order they end', async () => {
    const outstanding = new Outstanding();
    const works = [deferred(), deferred(), deferred()];
    for (const work of works) outstanding.track(work.promise);
    const settled = outstanding.settled();
    works[2]!.resolve();
    works[0]!.resolve();
    expect(await isSettled(settled)).toBe(false);
    works[1]!.resolve();
    await expect(settled).resolves.toBeUndefined();
  });

  test('every caller waiting on settled is resumed', async () => {
    const outstanding = new Outstanding();
    const work = deferred();
    outstanding.track(work.promise);
    const waiters = [outstanding.settled(), outstanding.settled()];
    work.resolve();
    await expect(Promise.all(waiters)).resolves.toEqual([undefined, undefined]);
  });

  test('work tracked while settled waits is waited for too', async () => {
    const outstanding = new Outstanding();
    const first = deferred();
    const second = deferred();
    outstanding.track(first.promise);
    const settled = outstanding.settled();
    outstanding.track(second.promise);
    first.resolve();
    expect(await isSettled(settled)).toBe(false);
    second.resolve();
    await expect(settled).resolves.toBeUndefined();
  });

  test('the first failure is rethrown, once every piece of work has ended', async () => {
    const outstanding = new Outstanding();
    const works = [deferred(), deferred(), deferred()];
    for (const work of works) outstanding.track(work.promise);
    const settled = outstanding.settled();
    works[1]!.reject(new Error('first'));
    works[0]!.reject(new Error('second'));
    expect(await isSettled(settled)).toBe(false);
    works[2]!.resolve();
    await expect(settled).rejects.toThrow('first');
  });

  test('a failure is no unhandled rejection before settled is asked, and is still reported after', async () => {
    const outstanding = new Outstanding();
    outstanding.track(Promise.reject(new Error('early')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(outstanding.settled()).rejects.toThrow('early');
    // Kept: a later settled reports the same failure.
    await expect(outstanding.settled()).rejects.toThrow('early');
  });

  test('a rejection that is not an Error is rethrown as it was', async () => {
    const outstanding = new Outstanding();
    outstanding.track(Promise.reject('a string'));
    await expect(outstanding.settled()).rejects.toBe('a string');
  });

  test('can be waited for again after more work', async () => {
    const outstanding = new Outstanding();
    outstanding.track(Promise.resolve());
    await outstanding.settled();
    const later = deferred();
    outstanding.track(later.promise);
    const settled = outstanding.settled();
    expect(await isSettled(settled)).toBe(false);
    later.resolve();
    await expect(settled).resolves.toBeUndefined();
  });
});
