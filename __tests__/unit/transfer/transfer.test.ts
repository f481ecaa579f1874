/**
 * The transfer engine's pure parts: how a file is cut into session requests, when a batch of commits
 * goes, what each batch entry's result means, and the limiter's ranks and aborts.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, jest, test } from '@jest/globals';
import { fitsInOneRequest, requestRanges, sessionLayout } from '../../../src/transfer/chunks.ts';
import {
  entryVerdict,
  shouldFlush,
  type BatchPolicy,
  type FlushState,
} from '../../../src/transfer/commit-batch.ts';
import { commitFor } from '../../../src/transfer/commit-info.ts';
import { Limiter } from '../../../src/transfer/limiter.ts';
import { ProgressWatchdog, RequestStalledError } from '../../../src/dropbox/request-timeout.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { isNetworkError } from '../../../src/dropbox/retry.ts';
import { firstRanges } from '../../../src/transfer/transfer.ts';

const MiB = 1024 * 1024;

describe('sessionLayout', () => {
  test.each([
    // size, chunk → parallel appends, closing append
    [
      '40 MiB in 4 MiB chunks: every block in parallel, an empty closing append',
      40 * MiB,
      4 * MiB,
      Array.from({ length: 10 }, (_, index) => [index * 4 * MiB, 4 * MiB]),
      [40 * MiB, 0],
    ],
    [
      '9 MiB + 123 in 4 MiB chunks',
      9 * MiB + 123,
      4 * MiB,
      [
        [0, 4 * MiB],
        [4 * MiB, 4 * MiB],
      ],
      [8 * MiB, 1 * MiB + 123],
    ],
    [
      '33 MiB in 16 MiB chunks: appends stay 4 MiB-aligned',
      33 * MiB,
      16 * MiB,
      [
        [0, 16 * MiB],
        [16 * MiB, 16 * MiB],
      ],
      [32 * MiB, 1 * MiB],
    ],
    ['4 MiB + 1 in 4 MiB chunks', 4 * MiB + 1, 4 * MiB, [[0, 4 * MiB]], [4 * MiB, 1]],
    [
      '20 MiB in 16 MiB chunks: the last whole block is a short append',
      20 * MiB,
      16 * MiB,
      [
        [0, 16 * MiB],
        [16 * MiB, 4 * MiB],
      ],
      [20 * MiB, 0],
    ],
  ])('%s', (_name, size, chunk, appends, closing) => {
    const layout = sessionLayout(size, chunk);
    expect(layout.appends.map((range) => [range.offset, range.length])).toEqual(appends);
    expect([layout.closing.offset, layout.closing.length]).toEqual(closing);
    for (const range of layout.appends) {
      expect(range.offset % (4 * MiB)).toBe(0);
      expect(range.length % (4 * MiB)).toBe(0);
      expect(range.length).toBeLessThanOrEqual(chunk);
    }
    expect(layout.closing.length).toBeLessThan(4 * MiB);
    const covered = [...layout.appends, layout.closing].reduce((sum, range) => sum + range.length, 0);
    expect(covered).toBe(size);
  });

  test('a file that fits in one request, or a chunk size that is not whole 4 MiB blocks, is refused', () => {
    expect(() => sessionLayout(4 * MiB, 4 * MiB)).toThrow(RangeError);
    expect(() => sessionLayout(20 * MiB, 6 * MiB)).toThrow(RangeError);
  });

  test.each([
    [0, true],
    [4 * MiB, true],
    [4 * MiB + 1, false],
  ])('fitsInOneRequest(%d, 4 MiB) is %s', (size, fits) => {
    expect(fitsInOneRequest(size, 4 * MiB)).toBe(fits);
  });
});

describe('requestRanges', () => {
  test.each([
    // size, chunk → the ranges the file is sent in
    ['an empty file: one empty request', 0, 4 * MiB, [[0, 0]]],
    ['exactly one chunk: one request', 4 * MiB, 4 * MiB, [[0, 4 * MiB]]],
    [
      'whole blocks: no empty closing range',
      12 * MiB,
      8 * MiB,
      [
        [0, 8 * MiB],
        [8 * MiB, 4 * MiB],
      ],
    ],
    [
      'a tail: the closing range carries it',
      9 * MiB + 123,
      4 * MiB,
      [
        [0, 4 * MiB],
        [4 * MiB, 4 * MiB],
        [8 * MiB, 1 * MiB + 123],
      ],
    ],
  ])('%s', (_name, size, chunk, ranges) => {
    expect(requestRanges(size, chunk).map((range) => [range.offset, range.length])).toEqual(ranges);
  });
});

describe('firstRanges', () => {
  const file = (name: string, size: number): PlannedFile => ({
    localPath: `/w/${name}`,
    shownPath: name,
    relativePath: name,
    dropboxPath: `/d/${name}`,
    size,
  });
  const plan = [file('small-1', 10), file('big', 10 * MiB), file('mid', 5 * MiB), file('small-2', 10)];
  test.each([
    ['nothing', 0, []],
    [
      'the biggest file first, in its request order',
      2,
      [
        ['big', 0, 4 * MiB],
        ['big', 4 * MiB, 4 * MiB],
      ],
    ],
    [
      'then the next biggest; equal sizes in plan order',
      7,
      [
        ['big', 0, 4 * MiB],
        ['big', 4 * MiB, 4 * MiB],
        ['big', 8 * MiB, 2 * MiB],
        ['mid', 0, 4 * MiB],
        ['mid', 4 * MiB, 1 * MiB],
        ['small-1', 0, 10],
        ['small-2', 0, 10],
      ],
    ],
    ['no more than there are', 50, expect.arrayContaining([['small-2', 0, 10]])],
  ])('%s', (_name, count, expected) => {
    const ranges = firstRanges(plan, 4 * MiB, count).map(({ file, range }) => [
      file.relativePath,
      range.offset,
      range.length,
    ]);
    expect(ranges).toEqual(expected);
    expect(ranges.length).toBeLessThanOrEqual(count);
  });
});

describe('shouldFlush', () => {
  const policy: BatchPolicy = { maxEntries: 1000, maxWaitMs: 2000 };
  const state = (overrides: Partial<FlushState>): FlushState => ({
    pending: 10,
    inFlight: false,
    othersUploading: true,
    oldestWaitMs: 0,
    ...overrides,
  });
  test.each([
    ['nothing pending', state({ pending: 0, othersUploading: false }), false],
    ['a batch already in flight', state({ inFlight: true, pending: 1000 }), false],
    ['others still uploading, not full, not waited long', state({}), false],
    ['full', state({ pending: 1000 }), true],
    ['nothing else uploading', state({ othersUploading: false, pending: 1 }), true],
    ['waited long enough', state({ oldestWaitMs: 2000 }), true],
  ])('%s', (_name, given, expected) => {
    expect(shouldFlush(given, policy)).toBe(expected);
  });
});

describe('entryVerdict', () => {
  const failure = (error: object) => ({ '.tag': 'failure' as const, failure: error }) as never;
  test.each([
    ['success', { '.tag': 'success', name: 'a.txt', content_hash: 'h' } as never, false, 'committed'],
    ['too_many_write_operations', failure({ '.tag': 'too_many_write_operations' }), false, 'retry'],
    [
      'a consumed session after a lost answer',
      failure({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } }),
      true,
      'verify',
    ],
    [
      'an unknown session without a lost answer',
      failure({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } }),
      false,
      'failed',
    ],
    [
      'insufficient_space',
      failure({ '.tag': 'path', path: { '.tag': 'insufficient_space' } }),
      false,
      'failed',
    ],
    ['no entry at all', undefined, false, 'failed'],
  ])('%s', (_name, result, outcomeUnknown, kind) => {
    expect(entryVerdict(result, outcomeUnknown).kind).toBe(kind);
  });

  test('a committed entry carries the metadata without its tag', () => {
    const verdict = entryVerdict({ '.tag': 'success', name: 'a.txt', content_hash: 'h' } as never, false);
    expect(verdict).toEqual({ kind: 'committed', metadata: { name: 'a.txt', content_hash: 'h' } });
  });
});

describe('commitFor', () => {
  test.each([
    ['overwrite', { '.tag': 'overwrite' }, false, undefined],
    ['rename', { '.tag': 'add' }, true, undefined],
    ['skip', { '.tag': 'add' }, false, true],
    ['fail', { '.tag': 'add' }, false, true],
  ] as const)('%s', (mode, writeMode, autorename, strictConflict) => {
    const info = commitFor('/a.txt', mode);
    expect(info.mode).toEqual(writeMode);
    expect(info.autorename).toBe(autorename);
    expect(info.strict_conflict).toBe(strictConflict);
  });
});

describe('Limiter ranks and aborts', () => {
  test('waiters start by rank, then in arrival order', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const queued = [
      ['data a', 0],
      ['data b', 0],
      ['commit', Number.NEGATIVE_INFINITY],
      ['big file', -100],
    ] as const;
    const runs = queued.map(([name, rank]) => limiter.run(async () => void started.push(name), { rank }));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, ...runs]);
    expect(started).toEqual(['commit', 'big file', 'data a', 'data b']);
  });

  test('a waiter whose signal aborts never starts, and its slot is not lost', async () => {
    const limiter = new Limiter(1);
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    const abort = new AbortController();
    const task = jest.fn(async () => undefined);
    const waiting = limiter.run(task, { signal: abort.signal });
    abort.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    release();
    await first;
    await limiter.run(async () => undefined);
    expect(task).not.toHaveBeenCalled();
    expect(limiter.active).toBe(0);
  });
});

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
