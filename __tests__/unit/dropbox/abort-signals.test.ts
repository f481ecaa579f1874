import { describe, expect, test } from '@jest/globals';
import { followAbort, whenAborted } from '../../../src/dropbox/abort-signals.ts';

describe('whenAborted', () => {
  test('calls back once when the signal aborts, unless cancelled before', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    whenAborted(controller.signal, () => calls.push('a'));
    const cancel = whenAborted(controller.signal, () => calls.push('b'));
    whenAborted(controller.signal, () => calls.push('c'));
    cancel();
    controller.abort(new Error('stop'));
    controller.abort(new Error('again'));
    expect(calls).toEqual(['a', 'c']);
  });

  test('calls back at once for a signal that has aborted', () => {
    const calls: string[] = [];
    whenAborted(AbortSignal.abort(), () => calls.push('now'));
    expect(calls).toEqual(['now']);
  });

  test('a thousand followers of one signal add one listener to it, not a thousand', () => {
    const controller = new AbortController();
    const added: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    signal.addEventListener = ((type: string, ...rest: [never, never]) => {
      added.push(type);
      add(type, ...rest);
    }) as typeof signal.addEventListener;
    let called = 0;
    const cancels = Array.from({ length: 1000 }, () => whenAborted(signal, () => (called += 1)));
    for (const cancel of cancels.slice(0, 500)) cancel();
    controller.abort();
    expect(added).toEqual(['abort']);
    expect(called).toBe(500);
  });
});

describe('followAbort', () => {
  test('aborts the follower with the reason of whichever source aborts first', () => {
    const run = new AbortController();
    const file = new AbortController();
    const follower = new AbortController();
    followAbort(follower, [run.signal, undefined, file.signal]);
    const why = new Error('the file failed');
    file.abort(why);
    run.abort(new Error('later'));
    expect(follower.signal.reason).toBe(why);
  });

  test('an aborted source aborts the follower at once', () => {
    const follower = new AbortController();
    const why = new Error('cancelled');
    followAbort(follower, [AbortSignal.abort(why)]);
    expect(follower.signal.aborted).toBe(true);
    expect(follower.signal.reason).toBe(why);
  });

  test('once undone, the sources no longer reach the follower', () => {
    const run = new AbortController();
    const follower = new AbortController();
    followAbort(follower, [run.signal])();
    run.abort();
    expect(follower.signal.aborted).toBe(false);
  });
});
