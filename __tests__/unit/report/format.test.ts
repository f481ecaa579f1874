import { describe, expect, test } from '@jest/globals';
import { formatBytes, formatDuration, formatRate } from '../../../src/report/format.ts';

const MIB = 1024 * 1024;

describe('formatting helpers', () => {
  test.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [MIB, '1.0 MiB'],
    [1.25 * 1024 * MIB, '1.3 GiB'],
    [3 * 1024 * 1024 * MIB, '3.0 TiB'],
  ])('formatBytes(%d) = %j', (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });

  test.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [849.6, '850 ms'],
    [1000, '1.0 s'],
    [12_345, '12.3 s'],
    [65_000, '1 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [7_380_000, '2 h 03 min'],
    [-1, 'unknown'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('formatDuration(%d) = %j', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  test.each([
    [10 * MIB, 2000, '5.00 MiB/s'],
    [MIB, 4000, '0.25 MiB/s'],
    [0, 1000, '0.00 MiB/s'],
    [MIB, 0, 'n/a'],
  ])('formatRate(%d, %d) = %j', (bytes, ms, expected) => {
    expect(formatRate(bytes, ms)).toBe(expected);
  });
});
