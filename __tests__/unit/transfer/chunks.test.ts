import { describe, expect, test } from '@jest/globals';
import { chunkRanges, fitsInOneRequest, requestRanges, sessionLayout } from '../../../src/transfer/chunks.ts';

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
