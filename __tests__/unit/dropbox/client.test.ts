/** The client's parts that make no request: how a failure is named in a log line, and what it is configured with. */
import { describe, expect, test } from '@jest/globals';
import { DropboxApi, describeFailure } from '../../../src/dropbox/client.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { Pacer } from '../../../src/dropbox/pacer.ts';
import { defaultBackoff, type FailureFacts } from '../../../src/dropbox/retry.ts';

describe('describeFailure', () => {
  test.each<[string, FailureFacts, string]>([
    [
      'a network failure, whatever else is known',
      { network: true, status: 503, tags: ['x'] },
      'network error',
    ],
    ['a garbled token answer', { network: false, malformedAnswer: true, tags: [] }, 'malformed token answer'],
    ['a status without a body', { network: false, status: 503, tags: [] }, 'HTTP 503'],
    [
      'a status and a tag',
      { network: false, status: 429, tags: ['too_many_requests'] },
      'HTTP 429 too_many_requests',
    ],
    [
      'the first tag that says something, past the wrappers',
      { network: false, status: 409, tags: ['path', 'lookup_failed', 'reason', 'not_found'] },
      'HTTP 409 not_found',
    ],
    [
      'a lookup failure: its own tag, not the wrapper',
      { network: false, status: 409, tags: ['lookup_failed', 'incorrect_offset'] },
      'HTTP 409 incorrect_offset',
    ],
    [
      'only wrapper tags: the first of them',
      { network: false, status: 409, tags: ['path'] },
      'HTTP 409 path',
    ],
  ])('%s', (_name, facts, described) => {
    expect(describeFailure(facts)).toBe(described);
  });
});

describe('DropboxApi settings', () => {
  const tokens = (): TokenSource =>
    new TokenSource({ kind: 'access-token', accessToken: 'sl.test-token' }, { mask: () => undefined });

  test.each<[string, { pathRoot?: string; selectUser?: string }, Record<string, string>]>([
    ['neither', {}, {}],
    [
      'a namespace',
      { pathRoot: '{".tag":"root","root":"123"}' },
      { 'Dropbox-API-Path-Root': '{".tag":"root","root":"123"}' },
    ],
    ['a team member', { selectUser: 'dbmid:abc' }, { 'Dropbox-API-Select-User': 'dbmid:abc' }],
    [
      'both',
      { pathRoot: '{".tag":"home"}', selectUser: 'dbmid:abc' },
      { 'Dropbox-API-Path-Root': '{".tag":"home"}', 'Dropbox-API-Select-User': 'dbmid:abc' },
    ],
  ])('commonHeaders with %s', (_name, options, headers) => {
    expect(new DropboxApi(tokens(), { maxAttempts: 1, ...options }).commonHeaders).toEqual(headers);
  });

  test('attempts, backoff and signal are the ones given', () => {
    const backoff = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0 };
    const signal = new AbortController().signal;
    const api = new DropboxApi(tokens(), { maxAttempts: 7, backoff, signal });
    expect([api.maxAttempts, api.backoff, api.signal]).toEqual([7, backoff, signal]);
  });

  test('without a backoff or signal: the default backoff, no signal', () => {
    const api = new DropboxApi(tokens(), { maxAttempts: 3 });
    expect(api.backoff).toBe(defaultBackoff);
    expect(api.signal).toBeUndefined();
  });

  test("a run's pacer is used as given; otherwise each client has its own", () => {
    const shared = new Pacer({ maxWindows: 3, backoff: defaultBackoff });
    expect(new DropboxApi(tokens(), { maxAttempts: 3, pacer: shared }).pacer).toBe(shared);
    const own = [new DropboxApi(tokens(), { maxAttempts: 3 }), new DropboxApi(tokens(), { maxAttempts: 3 })];
    expect(own[0]!.pacer).not.toBe(own[1]!.pacer);
  });
});
