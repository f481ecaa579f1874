import { InputError, readInputs } from '../../../src/inputs/inputs.ts';
import { ACCESS, inputErrorOf, inputs, REFRESH } from '../../support/inputs.ts';

const KEY = 'fakeappkey01234';
const SECRET = 'fakeappsecret98';

const errorOf = (values: Record<string, string>): InputError => inputErrorOf(readInputs, values);

describe('credentials', () => {
  test.each([
    ['access token', { 'access-token': ACCESS }, { kind: 'access-token', accessToken: ACCESS }],
    [
      'access token, surrounding whitespace trimmed',
      { 'access-token': `  ${ACCESS}\n` },
      { kind: 'access-token', accessToken: ACCESS },
    ],
    [
      'refresh token with key and secret',
      { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET },
      {
        kind: 'refresh-token',
        refreshToken: REFRESH,
        appKey: KEY,
        appSecret: SECRET,
        accessTokenIgnored: false,
      },
    ],
    [
      'refresh token with key only (PKCE)',
      { 'refresh-token': REFRESH, 'app-key': KEY },
      { kind: 'refresh-token', refreshToken: REFRESH, appKey: KEY, accessTokenIgnored: false },
    ],
    [
      'both kinds: refresh token wins',
      { 'access-token': ACCESS, 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET },
      {
        kind: 'refresh-token',
        refreshToken: REFRESH,
        appKey: KEY,
        appSecret: SECRET,
        accessTokenIgnored: true,
      },
    ],
    [
      'access token with a stray app key',
      { 'access-token': ACCESS, 'app-key': KEY },
      { kind: 'access-token', accessToken: ACCESS },
    ],
  ])('%s', (_name, credentialInputs, expected) => {
    expect(readInputs(inputs({ path: 'a', ...credentialInputs })).credentials).toEqual(expected);
  });

  test.each([
    [
      'none',
      {},
      'No Dropbox credentials: set "refresh-token" with "app-key" and "app-secret" (recommended), or "access-token". ' +
        `See the README's "Credentials" section.`,
    ],
    [
      'refresh token without app key',
      { 'refresh-token': REFRESH, 'app-secret': SECRET },
      /Input "app-key" is empty/,
    ],
    ['app key and secret alone', { 'app-key': KEY, 'app-secret': SECRET }, /Input "refresh-token" is empty/],
    ['app secret alone', { 'app-secret': SECRET }, /Input "refresh-token" is empty/],
    [
      'access token with a space inside',
      { 'access-token': 'sl.abc def' },
      /Input "access-token" \(hidden\) contains/,
    ],
    [
      'access token pasted over two lines',
      { 'access-token': `${ACCESS}\n${ACCESS}` },
      /Input "access-token"/,
    ],
    [
      'refresh token with a space inside',
      { 'refresh-token': `${REFRESH} x`, 'app-key': KEY },
      /Input "refresh-token" \(hidden\)/,
    ],
    [
      'app secret with a tab inside',
      { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': 'ab\tcd' },
      /"app-secret"/,
    ],
  ])('%s is an error', (_name, credentialInputs, message) => {
    expect(errorOf({ path: 'a', ...credentialInputs }).message).toMatch(message);
  });

  test('no message ever contains a credential value', () => {
    const bad: Record<string, string>[] = [
      { 'access-token': `${ACCESS} tail` },
      { 'refresh-token': `${REFRESH}\nmore`, 'app-key': KEY },
      { 'refresh-token': REFRESH, 'app-secret': SECRET },
      { 'app-key': KEY, 'app-secret': SECRET },
      { 'access-token': ACCESS, 'refresh-token': REFRESH, 'app-key': `${KEY} x` },
    ];
    for (const credentialInputs of bad) {
      const message = errorOf({ path: 'a', ...credentialInputs }).message;
      for (const secret of [ACCESS, REFRESH, KEY, SECRET, 'tail', 'more'])
        expect(message).not.toContain(secret);
    }
  });
});

describe('credential characters: only visible ASCII can be in a token, key or secret', () => {
  const refresh = { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET };

  test.each<[string, Record<string, string>, string, string, number]>([
    [
      'a zero-width space pasted inside',
      { 'refresh-token': `${REFRESH.slice(0, 10)}\u200b${REFRESH.slice(10)}` },
      'refresh-token',
      'U+200B (a zero-width space)',
      11,
    ],
    [
      'a zero-width space at the end (trim keeps it)',
      { 'access-token': `${ACCESS}\u200b` },
      'access-token',
      'U+200B (a zero-width space)',
      ACCESS.length + 1,
    ],
    ['a space inside', { 'access-token': 'sl.abc def' }, 'access-token', 'U+0020 (a space)', 7],
    ['a tab inside', { 'app-secret': 'ab\tcd' }, 'app-secret', 'U+0009 (a tab)', 3],
    [
      'a line break inside',
      { 'refresh-token': `${REFRESH}\n${REFRESH}` },
      'refresh-token',
      'U+000A (a line break)',
      REFRESH.length + 1,
    ],
    ['a carriage return inside', { 'app-key': 'abc\rdef' }, 'app-key', 'U+000D (a carriage return)', 4],
    ['a no-break space inside', { 'app-key': 'abc\u00a0def' }, 'app-key', 'U+00A0 (a no-break space)', 4],
    [
      'a line separator inside',
      { 'access-token': 'sl.a\u2028b' },
      'access-token',
      'U+2028 (a line separator)',
      5,
    ],
    ['a NUL', { 'app-secret': 'a\u0000b' }, 'app-secret', 'U+0000 (a control character)', 2],
    ['DEL', { 'app-secret': 'ab\u007f' }, 'app-secret', 'U+007F (a control character)', 3],
    [
      'a C1 control (NEL), which trim keeps',
      { 'app-secret': `${SECRET}\u0085` },
      'app-secret',
      'U+0085 (a control character)',
      SECRET.length + 1,
    ],
    [
      'a typographic quote around it',
      { 'app-key': `\u201c${KEY}\u201d` },
      'app-key',
      'U+201C (a typographic quote)',
      1,
    ],
    ['an accented letter', { 'app-key': 'cl\u00e9' }, 'app-key', 'U+00E9 (a non-ASCII character)', 3],
    [
      'an emoji counts as one character',
      { 'app-key': 'ab\u{1F600}c\u200b' },
      'app-key',
      'U+1F600 (a non-ASCII character)',
      3,
    ],
    ['a soft hyphen', { 'refresh-token': `ab\u00adcd` }, 'refresh-token', 'U+00AD (a soft hyphen)', 3],
  ])('%s', (_name, given, input, character, position) => {
    const message = errorOf({ path: 'a', ...refresh, ...given }).message;
    expect(message).toContain(`Input "${input}" (hidden) contains a character that cannot be in it: `);
    expect(message).toContain(`${character} at character ${position} (after trimming)`);
    const value = given[input]!;
    expect(message).not.toContain(value.trim());
    for (const part of value.split(/[^\x21-\x7e]+/).filter((piece) => piece.length >= 3)) {
      expect(message).not.toContain(part);
    }
  });

  test.each<[string, string]>([
    ['spaces and line breaks around it', `  \n${REFRESH} \r\n`],
    ['a byte order mark in front (trim removes it)', `\ufeff${REFRESH}`],
    ['a no-break space at the end (trim removes it)', `${REFRESH}\u00a0`],
  ])('%s is still trimmed and accepted', (_name, value) => {
    const credentials = readInputs(inputs({ path: 'a', ...refresh, 'refresh-token': value })).credentials;
    expect(credentials).toMatchObject({ kind: 'refresh-token', refreshToken: REFRESH });
  });

  test('every visible ASCII character is accepted', () => {
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) =>
      String.fromCharCode(0x21 + index),
    ).join('');
    expect(readInputs(inputs({ path: 'a', 'access-token': visible })).credentials).toEqual({
      kind: 'access-token',
      accessToken: visible,
    });
  });

  test('the check runs on every credential input, even one that is then ignored', () => {
    const message = errorOf({ path: 'a', ...refresh, 'access-token': `${ACCESS}\u200b` }).message;
    expect(message).toContain('Input "access-token" (hidden)');
  });
});
