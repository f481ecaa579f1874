import { describe, expect, test } from '@jest/globals';
import { budgetsFor, MAX_REQUEST_WIDTH } from '../../../src/transfer/budgets.ts';

describe('budgetsFor', () => {
  test.each([
    // concurrency, start, widest, chunks, lookahead, files, big files
    [1, 1, 64, 1, 2, 128, 2],
    [8, 8, 64, 8, 16, 128, 16],
    [16, 16, 64, 16, 32, 128, 32],
    [64, 64, 64, 64, 128, 128, 128],
  ])(
    'concurrency %d: the width starts at %d and may grow to %d; %d chunks, %d ranges ahead, %d files, %d big',
    (concurrency, start, widest, chunks, lookahead, files, bigFiles) => {
      const budgets = budgetsFor(concurrency);
      expect(budgets).toEqual({
        requests: start,
        maxRequests: widest,
        chunks,
        lookahead,
        filesInProgress: files,
        bigFilesInProgress: bigFiles,
        hashing: 2,
        sharedLinks: concurrency,
        keptFileBytes: 64 * 1024,
      });
    },
  );

  test('big files’ chunks, and so memory, stay within concurrency however wide the pacer goes', () => {
    for (const concurrency of [1, 4, 8, 32, 64]) {
      const budgets = budgetsFor(concurrency);
      expect(budgets.chunks).toBe(concurrency);
      expect(budgets.maxRequests).toBeGreaterThanOrEqual(concurrency);
      expect(budgets.maxRequests).toBe(Math.max(MAX_REQUEST_WIDTH, concurrency));
    }
  });

  test('the bytes kept for small files stay a few MiB: files in progress × the kept size', () => {
    const budgets = budgetsFor(8);
    expect(budgets.filesInProgress * budgets.keptFileBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
