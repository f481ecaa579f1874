import { describe, expect, test } from '@jest/globals';
import { findField, findTagged, retryAfterSeconds } from '../../../src/dropbox/error-body.ts';

describe('retryAfterSeconds', () => {
  test.each<[string, unknown, unknown, number | undefined]>([
    ['a Headers header', new Headers({ 'Retry-After': '7' }), {}, 7],
    ['a plain-object header', { 'retry-after': '3' }, {}, 3],
    ['the header wins over the body', new Headers({ 'Retry-After': '2' }), { error: { retry_after: 9 } }, 2],
    [
      'the body when there is no header',
      new Headers(),
      { error: { '.tag': 'too_many_requests', retry_after: 9 } },
      9,
    ],
    [
      'an HTTP date is not whole seconds',
      new Headers({ 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' }),
      {},
      undefined,
    ],
    ['nothing', undefined, 'plain text', undefined],
  ])('%s', (_case, headers, body, expected) => {
    expect(retryAfterSeconds(headers, body)).toBe(expected);
  });
});

describe('findField and findTagged', () => {
  const body = {
    error_summary: 'lookup_failed/incorrect_offset/..',
    error: {
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 8388608 },
    },
  };

  test('find a field or a tagged union at any depth', () => {
    expect(findField(body, 'correct_offset')).toBe(8388608);
    expect(findTagged(body, 'incorrect_offset')).toEqual({
      '.tag': 'incorrect_offset',
      correct_offset: 8388608,
    });
    expect(findField(body, 'missing')).toBeUndefined();
    expect(findTagged(body, 'not_found')).toBeUndefined();
  });

  test('a body nested deeper than any Dropbox union is not walked forever', () => {
    let deep: Record<string, unknown> = { correct_offset: 1 };
    for (let depth = 0; depth < 50; depth += 1) deep = { next: deep };
    expect(findField(deep, 'correct_offset')).toBeUndefined();
  });
});
