import { describe, expect, jest, test } from '@jest/globals';
import { Limiter } from '../../../src/transfer/limiter.ts';
import { FileProgress, PROGRESS_MIN_BYTES, progressLine } from '../../../src/transfer/progress.ts';
import { chunkRanges } from '../../../src/transfer/chunks.ts';

test('the limiter never runs more than its capacity, and starts waiters in order', async () => {
  const limiter = new Limiter(3);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      limiter.run(async () => {
        order.push(index);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running -= 1;
      }),
    ),
  );
  expect(peak).toBe(3);
  expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test.each([
  [0, 4, []],
  [1, 4, [[0, 1]]],
  [4, 4, [[0, 4]]],
  [
    9,
    4,
    [
      [0, 4],
      [4, 4],
      [8, 1],
    ],
  ],
])('chunkRanges(%d, %d)', (size, chunk, expected) => {
  expect(chunkRanges(size, chunk).map((range) => [range.offset, range.length])).toEqual(expected);
});

test('a progress line has percent, MiB/s and ETA', () => {
  const MiB = 1024 * 1024;
  expect(
    progressLine({ name: '/b/dump.sql', sentBytes: 256 * MiB, totalBytes: 1024 * MiB, elapsedMs: 8000 }),
  ).toMatch(/^\/b\/dump\.sql: 25\.0% \(.*256.*of.*1.*GiB.*\), 32\.0 MiB\/s, ETA 24/);
});

test('a file of 64 MiB or more logs a progress line about every 5 s until it stops', () => {
  jest.useFakeTimers();
  try {
    const MiB = 1024 * 1024;
    let clock = 0;
    const lines: string[] = [];
    const small = new FileProgress(
      '/small',
      PROGRESS_MIN_BYTES - 1,
      (line) => lines.push(line),
      () => clock,
    );
    const big = new FileProgress(
      '/big',
      128 * MiB,
      (line) => lines.push(line),
      () => clock,
    );
    big.add(32 * MiB);
    clock = 5000;
    jest.advanceTimersByTime(5000);
    expect(lines).toEqual([expect.stringMatching(/^\/big: 25\.0% .*, 6\.4 MiB\/s, ETA 15\.0 s$/)]);
    big.stop();
    small.stop();
    jest.advanceTimersByTime(20_000);
    expect(lines).toHaveLength(1);
  } finally {
    jest.useRealTimers();
  }
});

describe('a limiter whose capacity moves (the pacer’s width)', () => {
  /** Tasks that end when told to. */
  function gated(limiter: Limiter, count: number): { started: number[]; finish: (index: number) => void } {
    const started: number[] = [];
    const ends = new Map<number, () => void>();
    for (let index = 0; index < count; index += 1) {
      void limiter.run(
        () =>
          new Promise<void>((resolve) => {
            started.push(index);
            ends.set(index, resolve);
          }),
      );
    }
    return { started, finish: (index) => ends.get(index)?.() };
  }

  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  test('a wider capacity starts more at the next release; a narrower one starts none until below it', async () => {
    let capacity = 2;
    const limiter = new Limiter(() => capacity);
    const { started, finish } = gated(limiter, 10);
    await settle();
    expect(started).toEqual([0, 1]);
    capacity = 5;
    finish(0);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    capacity = 2;
    finish(1);
    finish(2);
    finish(3);
    await settle();
    // 4 and 5 still run: no new start until fewer than 2 run.
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    finish(4);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('a capacity below one still lets one run', async () => {
    const limiter = new Limiter(() => 0);
    const { started } = gated(limiter, 3);
    await settle();
    expect(started).toEqual([0]);
  });
});
