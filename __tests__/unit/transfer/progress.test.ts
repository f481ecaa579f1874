import { expect, jest, test } from '@jest/globals';
import { FileProgress, PROGRESS_MIN_BYTES, progressLine } from '../../../src/transfer/progress.ts';

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
