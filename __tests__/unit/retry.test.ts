import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import {
  failureFacts,
  isExpiredToken,
  isTransient,
  retryDelayMs,
  type FailureFacts,
} from '../../src/retry.ts';

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
