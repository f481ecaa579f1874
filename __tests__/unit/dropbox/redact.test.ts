import { describe, expect, test } from '@jest/globals';
import {
  clip,
  describeUnknown,
  redactSecrets,
  safeIdentifier,
  unexpectedFailure,
} from '../../../src/dropbox/redact.ts';

describe('redactSecrets', () => {
  test.each([
    ['Bearer abc.def', 'Bearer (hidden)'],
    ['see https://x.example/path?token=1', 'see (URL hidden)'],
    ['refresh_token=abc&x=1', 'refresh_token=(hidden)&x=1'],
    ['files/upload_session/append_v2 failed', 'files/upload_session/append_v2 failed'],
    ['id AAAAAAAAACdmvyjpEyLbVQ12', 'id (hidden)'],
    ['plain words stay', 'plain words stay'],
  ])('%j → %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });
});

describe('clip, safeIdentifier, describeUnknown, unexpectedFailure', () => {
  test('clip makes one line of at most the given length', () => {
    expect(clip('a\n b   c', 10)).toBe('a b c');
    expect(clip('abcdefghij', 4)).toBe('abcd…');
  });

  test.each([
    ['files.content.write', 'files.content.write'],
    ['has space', undefined],
    [42, undefined],
    ['x'.repeat(65), undefined],
  ])('safeIdentifier(%j) = %j', (value, expected) => {
    expect(safeIdentifier(value)).toBe(expected);
  });

  test('unknown errors are described without secrets', () => {
    expect(describeUnknown(new Error('token=sl.AbCdEf0123456789AbCdEf01 refused'))).toBe(
      'Error: (hidden) refused',
    );
    expect(describeUnknown(7)).toBe('an unknown error');
    expect(unexpectedFailure(new Error('see https://api.dropboxapi.com/oauth2/token?refresh_token=x'))).toBe(
      'Unexpected failure: see (URL hidden)',
    );
  });
});
