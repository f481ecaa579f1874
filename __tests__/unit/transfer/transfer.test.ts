/**
 * The transfer engine's pure parts: how a file is cut into session requests, when a batch of commits
 * goes, what each batch entry's result means, and the limiter's ranks and aborts.
 */
import { describe, expect, test } from '@jest/globals';
import type { PlannedFile } from '../../../src/model.ts';
import { firstRanges } from '../../../src/transfer/transfer.ts';

const MiB = 1024 * 1024;

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
