/** What each entry of a finish_batch_v2 answer means for its file, and the error a failed entry becomes. */
import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError, type files } from 'dropbox';
import { failureFacts } from '../../../src/dropbox/retry.ts';
import { entryError, entryVerdict, type EntryVerdict } from '../../../src/transfer/commit-verdict.ts';

type Entry = files.UploadSessionFinishBatchResultEntry;

const success = { '.tag': 'success', name: 'a.txt', content_hash: 'h' } as unknown as Entry;
const failure = (error: object): Entry => ({ '.tag': 'failure', failure: error }) as unknown as Entry;
const sessionGone = failure({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } });

describe('entryVerdict', () => {
  test.each<[string, Entry | undefined, boolean, EntryVerdict['kind']]>([
    ['success', success, false, 'committed'],
    ['success after a lost answer', success, true, 'committed'],
    ['too_many_write_operations', failure({ '.tag': 'too_many_write_operations' }), false, 'retry'],
    [
      'too_many_write_operations after a lost answer',
      failure({ '.tag': 'too_many_write_operations' }),
      true,
      'retry',
    ],
    ['internal_error', failure({ '.tag': 'internal_error' }), false, 'retry'],
    ['a consumed session after a lost answer', sessionGone, true, 'verify'],
    ['an unknown session without a lost answer', sessionGone, false, 'failed'],
    [
      'a closed session after a lost answer is no sign of a commit',
      failure({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'closed' } }),
      true,
      'failed',
    ],
    [
      'insufficient_space',
      failure({ '.tag': 'path', path: { '.tag': 'insufficient_space' } }),
      false,
      'failed',
    ],
    [
      'a conflict',
      failure({ '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } }),
      true,
      'failed',
    ],
    ['no entry at all', undefined, false, 'failed'],
    ['a tag the API does not list', { '.tag': 'other' } as unknown as Entry, false, 'failed'],
  ])('%s', (_name, result, outcomeUnknown, kind) => {
    expect(entryVerdict(result, outcomeUnknown).kind).toBe(kind);
  });

  test('a committed entry carries the metadata without its tag', () => {
    expect(entryVerdict(success, false)).toEqual({
      kind: 'committed',
      metadata: { name: 'a.txt', content_hash: 'h' },
    });
  });

  test.each<[string, Entry | undefined, RegExp]>([
    ['no entry', undefined, /without an entry for this file/],
    ['an unknown tag', { '.tag': 'other' } as unknown as Entry, /answered the batch commit with "other"/],
  ])('%s fails the file with a plain error that says so', (_name, result, message) => {
    const verdict = entryVerdict(result, false);
    if (verdict.kind !== 'failed') throw new Error(`expected failed, got ${verdict.kind}`);
    expect(verdict.error).toBeInstanceOf(Error);
    expect(verdict.error).not.toBeInstanceOf(DropboxResponseError);
    expect((verdict.error as Error).message).toMatch(message);
  });

  test('a refused entry is failed with the error a single finish would have thrown', () => {
    const refused = { '.tag': 'path', path: { '.tag': 'insufficient_space' } };
    const verdict = entryVerdict(failure(refused), false);
    if (verdict.kind !== 'failed') throw new Error(`expected failed, got ${verdict.kind}`);
    expect(verdict.error).toBeInstanceOf(DropboxResponseError);
    expect((verdict.error as DropboxResponseError<unknown>).error).toEqual({
      error_summary: 'path/insufficient_space/',
      error: refused,
    });
  });
});

describe('entryError', () => {
  test.each<[string, files.UploadSessionFinishError, string, string[]]>([
    [
      'a bare tag',
      { '.tag': 'too_many_write_operations' },
      'too_many_write_operations/',
      ['too_many_write_operations'],
    ],
    [
      'a nested lookup failure',
      { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } },
      'lookup_failed/not_found/',
      ['lookup_failed', 'not_found'],
    ],
    [
      'a path failure two levels down',
      { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } } as never,
      'path/conflict/folder/',
      ['path', 'conflict', 'folder'],
    ],
  ])('%s: a 409 whose summary and tags retry.ts reads', (_name, failureBody, summary, tags) => {
    const error = entryError(failureBody);
    expect(error.status).toBe(409);
    expect(error.error).toEqual({ error_summary: summary, error: failureBody });
    const facts = failureFacts(error);
    expect(facts.status).toBe(409);
    expect(facts.tags).toEqual(expect.arrayContaining(tags));
    expect(facts.network).toBe(false);
  });
});
