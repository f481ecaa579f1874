import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import { explainDropboxError, titles } from '../../../src/dropbox/explain/explain.ts';
import { RequestStalledError } from '../../../src/dropbox/request-timeout.ts';
import {
  failureFacts,
  isExpiredToken,
  isNetworkError,
  isTransient,
  networkFailure,
  retryDelayMs,
  type FailureFacts,
} from '../../../src/dropbox/retry.ts';

function response(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): DropboxResponseError<unknown> {
  return new DropboxResponseError(status, new Headers(headers), body);
}

function networkError(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('failureFacts and isTransient', () => {
  test.each([
    ['500 with an empty body', response(500, ''), true],
    ['503', response(503, { error: 'x' }), true],
    ['408', response(408, 'timeout'), true],
    [
      '429 too_many_requests',
      response(429, {
        error_summary: 'too_many_requests/..',
        error: { reason: { '.tag': 'too_many_requests' }, retry_after: 15 },
      }),
      true,
    ],
    [
      '409 too_many_write_operations',
      response(409, {
        error_summary: 'path/too_many_write_operations/',
        error: { '.tag': 'path', path: { '.tag': 'too_many_write_operations' } },
      }),
      true,
    ],
    [
      '409 conflict',
      response(409, {
        error: { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
      }),
      false,
    ],
    ['400 text', response(400, 'Error in call to API function "files/upload": bad'), false],
    ['401 expired', response(401, { error: { '.tag': 'expired_access_token' } }), false],
    ['connection reset', networkError('ECONNRESET'), true],
    ['connection refused', networkError('ECONNREFUSED'), true],
    ['socket closed by the other side', networkError('UND_ERR_SOCKET'), true],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a bug', new RangeError('oops'), false],
  ])('%s → transient: %s', (_name, error, transient) => {
    expect(isTransient(failureFacts(error))).toBe(transient);
  });

  test('Retry-After header wins; a JSON retry_after is the fallback', () => {
    expect(failureFacts(response(429, {}, { 'Retry-After': '7' })).retryAfterSeconds).toBe(7);
    expect(failureFacts(response(429, { error: { retry_after: 15 } })).retryAfterSeconds).toBe(15);
  });

  test('correct_offset is found wherever the union nests it', () => {
    expect(
      failureFacts(response(409, { error: { '.tag': 'incorrect_offset', correct_offset: 300 } }))
        .correctOffset,
    ).toBe(300);
    expect(
      failureFacts(
        response(409, {
          error: {
            '.tag': 'lookup_failed',
            lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 12 },
          },
        }),
      ).correctOffset,
    ).toBe(12);
  });

  test('expired_access_token is recognised for a transparent refresh', () => {
    expect(isExpiredToken(failureFacts(response(401, { error: { '.tag': 'expired_access_token' } })))).toBe(
      true,
    );
    expect(isExpiredToken(failureFacts(response(401, { error: { '.tag': 'invalid_access_token' } })))).toBe(
      false,
    );
  });
});

describe('retryDelayMs', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 20_000, random: () => 1 };
  const plain: FailureFacts = { tags: [], network: true };
  test.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [7, 20_000],
  ])('attempt %d backs off to at most %d ms', (attempt, ceiling) => {
    expect(retryDelayMs(attempt, plain, policy)).toBe(ceiling);
    expect(retryDelayMs(attempt, plain, { ...policy, random: () => 0 })).toBe(ceiling / 2);
  });
  test('Retry-After is honoured as given', () => {
    expect(retryDelayMs(1, { ...plain, retryAfterSeconds: 3 }, policy)).toBe(3000);
  });
});

/**
 * "Retried as a network failure" (retry.ts) and "explained as Could not reach Dropbox" (explain.ts)
 * must agree for every error: a failure explained as unreachable "on every attempt, so the retries are
 * exhausted" has to have been retried, and one that was not retried must not be explained so.
 */
describe('retry and explanation agree on network failures', () => {
  // What a cancelled run's requests reject with: the run signal's reason (cancellation.ts), or a
  // reason-less abort's DOMException.
  const cancelled = new Error('cancelled (SIGINT)');
  const plainAbort = new DOMException('This operation was aborted', 'AbortError');

  test.each<[string, unknown, string | undefined]>([
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [
      'ECONNRESET as the cause of an ERR_-coded error',
      Object.assign(new Error('request failed', { cause: networkError('ECONNRESET') }), { code: 'ERR_X' }),
      'ECONNRESET',
    ],
    [
      'a bare ENOTFOUND (DNS)',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      'ENOTFOUND',
    ],
    ['UND_ERR_SOCKET under fetch failed', networkError('UND_ERR_SOCKET'), 'UND_ERR_SOCKET'],
    [
      "TypeError 'fetch failed' with an uncoded cause",
      new TypeError('fetch failed', { cause: new Error('other side closed') }),
      'connection failed',
    ],
    ['TimeoutError (AbortSignal.timeout)', new DOMException('timed out', 'TimeoutError'), 'timeout'],
    ['RequestStalledError (request-timeout)', new RequestStalledError(30_000), 'timeout'],
    ['our cancellation (the signal reason)', cancelled, undefined],
    ['a reason-less abort (AbortError)', plainAbort, undefined],
    ['fetch failed caused by an abort', new TypeError('fetch failed', { cause: plainAbort }), undefined],
    ['DropboxResponseError 500', response(500, ''), undefined],
    ['a duck-typed HTTP 503 (another realm)', { status: 503, headers: {}, error: 'unavailable' }, undefined],
    ['a bug', new RangeError('oops'), undefined],
  ])('%s → %s', (_name, error, code) => {
    expect(networkFailure(error)).toBe(code);
    const network = isNetworkError(error);
    expect(failureFacts(error).network).toBe(network);
    const explanation = explainDropboxError(error, { dropboxPath: '/d/f' });
    expect(explanation.title === titles.unreachable).toBe(network);
    if (code !== undefined) {
      expect(isTransient(failureFacts(error))).toBe(true);
      expect(explanation.message).toContain(`(${code})`);
    }
  });

  test('an HTTP failure is read alike, SDK error or duck-typed', () => {
    const sdk = failureFacts(response(503, { error: { retry_after: 4 } }, { 'Retry-After': '7' }));
    const duck = failureFacts({
      status: 503,
      headers: { 'retry-after': '7' },
      error: { error: { retry_after: 4 } },
    });
    expect(duck).toEqual(sdk);
    expect(isTransient(duck)).toBe(true);
    expect(explainDropboxError({ status: 503, error: '' }).title).toBe(titles.serverFailing);
  });
});
