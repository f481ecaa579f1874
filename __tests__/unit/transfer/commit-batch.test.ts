import { describe, expect, test } from '@jest/globals';
import { shouldFlush, type BatchPolicy, type FlushState } from '../../../src/transfer/commit-batch.ts';

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
