/** The credential inputs: which kind of credentials were given, and whether each secret was pasted whole. */
import type { Credentials } from '../model.ts';
import { InputError } from './values.ts';
import { uploadSecretInputNames } from './upload-inputs.ts';

/** Inputs whose values are secrets; every front door masks them before the inputs are read. */
export const secretInputNames = uploadSecretInputNames;

/** Characters a paste brings along unseen, by name; the message must name them since it cannot show them. */
const characterNames: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x0a: 'a line break',
  0x0d: 'a carriage return',
  0x20: 'a space',
  0xa0: 'a no-break space',
  0xad: 'a soft hyphen',
  0x200b: 'a zero-width space',
  0x200c: 'a zero-width non-joiner',
  0x200d: 'a zero-width joiner',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
  0x202f: 'a narrow no-break space',
  0x2060: 'a word joiner',
  0x3000: 'an ideographic space',
  0xfeff: 'a byte order mark',
  0x2018: 'a typographic quote',
  0x2019: 'a typographic quote',
  0x201c: 'a typographic quote',
  0x201d: 'a typographic quote',
};

function describeCharacter(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const named =
    characterNames[codePoint] ??
    (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)
      ? 'a control character'
      : 'a non-ASCII character');
  return `${hex} (${named})`;
}

/**
 * The first character of a trimmed secret that no Dropbox token, key or secret holds (tokens go into an
 * HTTP header, so only visible ASCII can be in one), with its 1-based position in code points.
 */
function firstCharacterNotInToken(value: string): { position: number; codePoint: number } | undefined {
  let position = 0;
  for (const character of value) {
    position += 1;
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x21 || codePoint > 0x7e) return { position, codePoint };
  }
  return undefined;
}

export function readCredentials(getInput: (name: string) => string): Credentials {
  // Secrets are read trimmed; anything left that a token cannot hold means the secret was pasted badly.
  // The message names the character by position and code point, never the value.
  const secret = (name: (typeof secretInputNames)[number]): string => {
    const value = getInput(name).trim();
    const bad = firstCharacterNotInToken(value);
    if (bad !== undefined) {
      throw new InputError(
        `Input "${name}" (hidden) contains a character that cannot be in it: ${describeCharacter(bad.codePoint)} ` +
          `at character ${bad.position} (after trimming). It was most likely copied along with the secret, or ` +
          'the secret was not copied whole. Copy it again as a single line, without spaces or quotes, and ' +
          'update the secret.',
      );
    }
    return value;
  };
  const accessToken = secret('access-token');
  const refreshToken = secret('refresh-token');
  const appKey = secret('app-key');
  const appSecret = secret('app-secret');

  if (refreshToken !== '') {
    if (appKey === '') {
      throw new InputError(
        'Input "app-key" is empty, but "refresh-token" is set: a refresh token needs the key of the Dropbox app ' +
          'it was issued to. Set "app-key" (and "app-secret", unless the token came from a PKCE flow). ' +
          `See the README's "Credentials" section.`,
      );
    }
    return {
      kind: 'refresh-token',
      refreshToken,
      appKey,
      ...(appSecret === '' ? {} : { appSecret }),
      accessTokenIgnored: accessToken !== '',
    };
  }
  if (accessToken !== '') return { kind: 'access-token', accessToken };
  if (appKey !== '' || appSecret !== '') {
    throw new InputError(
      'Input "refresh-token" is empty, but "app-key"/"app-secret" are set: the app key and secret alone cannot ' +
        'sign in to a Dropbox account. Also set "refresh-token" (or set "access-token" instead). ' +
        `See the README's "Credentials" section.`,
    );
  }
  throw new InputError(
    'No Dropbox credentials: set "refresh-token" with "app-key" and "app-secret" (recommended), or "access-token". ' +
      `See the README's "Credentials" section.`,
  );
}
