import { describe, expect, jest, test } from '@jest/globals';
import {
  etaMs,
  groupDigits,
  RunProgress,
  runProgressLine,
  type RunProgressSnapshot,
} from '../../../src/transfer/run-progress.ts';

const MiB = 1024 * 1024;

describe('groupDigits', () => {
  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [100000, '100,000'],
    [1234567, '1,234,567'],
    [12.6, '13'],
  ])('%d → %s', (n, shown) => {
    expect(groupDigits(n)).toBe(shown);
  });
});

const snapshot = (overrides: Partial<RunProgressSnapshot>): RunProgressSnapshot => ({
  filesDone: 0,
  filesTotal: 100_000,
  bytesDone: 0,
  bytesTotal: 100_000 * 100,
  elapsedMs: 10_000,
  ...overrides,
});

describe('runProgressLine', () => {
  test.each<[string, Partial<RunProgressSnapshot>, string]>([
    [
      'many small files: files and bytes alike, the ETA from either',
      { filesDone: 25_000, bytesDone: 2_500_000, elapsedMs: 30_000 },
      'Progress: 25,000 of 100,000 files, 2.4 MiB of 9.5 MiB, 833 files/s, 81.4 KiB/s, ETA 1 min 30 s',
    ],
    [
      'nothing done yet',
      { elapsedMs: 10_000 },
      'Progress: 0 of 100,000 files, 0 B of 9.5 MiB, 0.0 files/s, 0 B/s, ETA unknown',
    ],
    [
      'one big file half sent: the bytes set the ETA',
      { filesTotal: 1, filesDone: 0, bytesTotal: 1024 * MiB, bytesDone: 512 * MiB, elapsedMs: 20_000 },
      'Progress: 0 of 1 files, 512.0 MiB of 1.0 GiB, 0.0 files/s, 25.6 MiB/s, ETA 20.0 s',
    ],
    [
      'small files done, a big one still going: whichever ends later sets the ETA',
      { filesTotal: 11, filesDone: 10, bytesTotal: 110 * MiB, bytesDone: 60 * MiB, elapsedMs: 6_000 },
      'Progress: 10 of 11 files, 60.0 MiB of 110.0 MiB, 1.7 files/s, 10.0 MiB/s, ETA 5.0 s',
    ],
    [
      'everything done',
      { filesDone: 100_000, bytesDone: 100_000 * 100, elapsedMs: 100_000 },
      'Progress: 100,000 of 100,000 files, 9.5 MiB of 9.5 MiB, 1,000 files/s, 97.7 KiB/s, ETA 0 ms',
    ],
    ['no time passed yet', { elapsedMs: 0 }, 'Progress: 0 of 100,000 files, 0 B of 9.5 MiB, ETA unknown'],
  ])('%s', (_name, given, line) => {
    expect(runProgressLine(snapshot(given))).toBe(line);
  });

  test('empty files only: the files set the ETA', () => {
    expect(etaMs(snapshot({ bytesTotal: 0, filesDone: 10, elapsedMs: 1000, filesTotal: 40 }))).toBe(3000);
  });
});

describe('RunProgress', () => {
  test('counts the bytes that arrive, and a finished file’s uncounted rest, up to the totals', () => {
    let clock = 0;
    const progress = new RunProgress(3, 300, () => clock);
    progress.addBytes(40);
    clock = 1000;
    expect(progress.snapshot()).toEqual({
      filesDone: 0,
      filesTotal: 3,
      bytesDone: 40,
      bytesTotal: 300,
      elapsedMs: 1000,
    });
    // The file whose 40 bytes arrived is committed; a skipped file counts whole; a failed one too.
    progress.fileDone(100, 40);
    progress.fileDone(100, 0);
    progress.fileDone(100, 0);
    expect(progress.snapshot()).toMatchObject({ filesDone: 3, bytesDone: 300 });
  });

  test('says one line every interval while it lasts, nothing before the first, nothing once stopped', () => {
    jest.useFakeTimers();
    try {
      const lines: string[] = [];
      const progress = new RunProgress(10, 1000);
      const saying = progress.every(10_000, (line) => lines.push(line));
      jest.advanceTimersByTime(9_999);
      expect(lines).toEqual([]);
      progress.fileDone(100, 0);
      jest.advanceTimersByTime(1);
      expect(lines).toEqual([expect.stringMatching(/^Progress: 1 of 10 files, 100 B of 1000 B, /)]);
      jest.advanceTimersByTime(10_000);
      expect(lines).toHaveLength(2);
      saying.stop();
      jest.advanceTimersByTime(60_000);
      expect(lines).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
