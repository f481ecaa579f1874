import { describe, expect, test } from '@jest/globals';
import {
  entryVerdict,
  shouldFlush,
  type BatchPolicy,
  type FlushState,
} from '../../../src/transfer/commit-batch.ts';

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
