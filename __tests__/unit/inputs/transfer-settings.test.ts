/** The inputs every transfer shares: the limits, the namespace and the team member, read on their own. */
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../../src/inputs/values.ts';
import {
  readNamespace,
  readSelectUser,
  readTransferSettings,
  transferLimits,
} from '../../../src/inputs/transfer-settings.ts';

const MIB = 1024 * 1024;

function messageOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('did not throw');
}

const defaults: Record<string, string> = {
  'chunk-size': '16',
  concurrency: '8',
  'max-attempts': '5',
  'request-timeout': '300',
  namespace: 'home',
};

/** withDefault and getInput over plain records, as readInputs hands them over. */
function settingsFrom(given: Record<string, string>): ReturnType<typeof readTransferSettings> {
  return readTransferSettings(
    (name) => given[name] ?? defaults[name] ?? '',
    (name) => given[name] ?? '',
  );
}

describe('readTransferSettings', () => {
  test('the documented defaults, chunk-size in bytes, and no team member', () => {
    expect(settingsFrom({})).toEqual({
      chunkSizeBytes: 16 * MIB,
      concurrency: 8,
      maxAttempts: 5,
      requestTimeoutSeconds: 300,
      namespace: { kind: 'home' },
    });
  });

  test('every setting given', () => {
    expect(
      settingsFrom({
        'chunk-size': '148',
        concurrency: '64',
        'max-attempts': '20',
        'request-timeout': '3600',
        namespace: '3235641',
        'select-user': ' dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc ',
      }),
    ).toEqual({
      chunkSizeBytes: 148 * MIB,
      concurrency: 64,
      maxAttempts: 20,
      requestTimeoutSeconds: 3600,
      namespace: { kind: 'id', id: '3235641' },
      selectUser: 'dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
    });
  });

  test.each([
    [{ 'chunk-size': '6', concurrency: '0' }, 'Input "chunk-size" is "6"'],
    [{ concurrency: '0', 'max-attempts': '0' }, 'Input "concurrency" is "0"'],
    [{ 'max-attempts': '0', 'request-timeout': '0' }, 'Input "max-attempts" is "0"'],
    [{ 'request-timeout': '0', namespace: 'root' }, 'Input "request-timeout" is "0"'],
    [{ namespace: 'root', 'select-user': 'bob' }, 'Input "namespace" is "root"'],
    [{ 'select-user': 'bob' }, 'Input "select-user" is "bob"'],
  ])('with %j the first problem in input order is the one reported', (given, start) => {
    expect(messageOf(() => settingsFrom(given))).toMatch(new RegExp(`^${start}; `));
  });
});

describe('transferLimits', () => {
  const chunkSizes = Array.from({ length: 150 }, (_, index) => index);
  const allowed = chunkSizes.filter((size) => {
    try {
      readTransferSettings(
        (name) => (name === 'chunk-size' ? String(size) : (defaults[name] ?? '')),
        () => '',
      );
      return true;
    } catch {
      return false;
    }
  });

  test('every chunk-size allowed is whole 4 MiB blocks and keeps a request under 150 MiB', () => {
    expect(allowed[0]).toBe(transferLimits['chunk-size'].min);
    expect(allowed.at(-1)).toBe(transferLimits['chunk-size'].max);
    expect(allowed).toHaveLength(37);
    for (const size of allowed) {
      expect(size % 4).toBe(0);
      expect(size * MIB).toBeLessThan(150 * MIB);
    }
  });
});

describe('readNamespace', () => {
  test.each([
    ['home', { kind: 'home' }],
    ['Home', { kind: 'home' }],
    ['TEAM', { kind: 'team' }],
    ['0', { kind: 'id', id: '0' }],
    ['3235641', { kind: 'id', id: '3235641' }],
    ['12345678901234567890', { kind: 'id', id: '12345678901234567890' }],
  ])('%j', (value, expected) => {
    expect(readNamespace(value)).toEqual(expected);
  });

  const rule =
    'it must be home (your own folder), team (the team space root) or a namespace id (digits only, e.g. 1234567890).';
  test.each([
    ['root', `Input "namespace" is "root"; ${rule}`],
    ['123456789012345678901', `Input "namespace" is "123456789012345678901"; ${rule}`],
    ['-1', `Input "namespace" is "-1"; ${rule}`],
    ['12 34', `Input "namespace" is "12 34"; ${rule}`],
    [' home', `Input "namespace" is " home"; ${rule}`],
    ['١٢٣', `Input "namespace" is "١٢٣"; ${rule}`],
    ['ns:3235641', `Input "namespace" is "ns:3235641"; ${rule} Leave out the "ns:" prefix: "3235641".`],
    ['home\n::error::forged', `Input "namespace" is "home\\n::error::forged"; ${rule}`],
    ['a|b', `Input "namespace" is "a|b"; ${rule}`],
  ])('%j is an error', (value, message) => {
    expect(messageOf(() => readNamespace(value))).toBe(message);
  });
});

describe('readSelectUser', () => {
  test.each([
    ['', {}],
    [' \t\n', {}],
    [
      'dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
      { selectUser: 'dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc' },
    ],
    [' dbmid:abc_DEF-1 \n', { selectUser: 'dbmid:abc_DEF-1' }],
  ])('%j', (raw, expected) => {
    expect(readSelectUser(raw)).toEqual(expected);
  });

  test.each([
    ['dbid:AAH4f99T0taONIb', '"dbid:AAH4f99T0taONIb"'],
    ['dbmid:', '"dbmid:"'],
    ['dbmid:a b', '"dbmid:a b"'],
    ['DBMID:abc', '"DBMID:abc"'],
    ['dbmid:ü', '"dbmid:ü"'],
    ['dbmid:a|b', '"dbmid:a|b"'],
    // The value as given, untrimmed and quoted, so stray whitespace and a line break show.
    [' dbmid:a\n::error::x ', '" dbmid:a\\n::error::x "'],
  ])('%j is an error that quotes it', (raw, quoted) => {
    const message = messageOf(() => readSelectUser(raw));
    expect(message).toMatch(/; it must be a team member id such as dbmid:\S+ \(the member the team token/);
    expect(message.startsWith(`Input "select-user" is ${quoted}; `)).toBe(true);
    expect(message).not.toContain('\n');
  });
});
