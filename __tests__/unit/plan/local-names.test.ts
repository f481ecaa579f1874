import path from 'node:path';
import type { PathApi } from '../../../src/local/paths.ts';
import { collisionKey, localNameProblem } from '../../../src/plan/local-names.ts';
import type { RestoreProblemReason } from '../../../src/model.ts';

const { posix, win32 } = path;

describe('localNameProblem', () => {
  test.each<[string, string, PathApi, RestoreProblemReason | undefined]>([
    ['a plain name', 'report.pdf', win32, undefined],
    ['unicode and spaces', 'résumé 2026 – final.txt', win32, undefined],
    ['a dot file', '.env', win32, undefined],
    ['a colon', 'a:b.txt', win32, { kind: 'reserved-character', name: 'a:b.txt', character: ':' }],
    ['a question mark', 'why?.txt', win32, { kind: 'reserved-character', name: 'why?.txt', character: '?' }],
    ['an asterisk', '*.txt', win32, { kind: 'reserved-character', name: '*.txt', character: '*' }],
    ['a double quote', 'say "hi"', win32, { kind: 'reserved-character', name: 'say "hi"', character: '"' }],
    ['less than', 'a<b', win32, { kind: 'reserved-character', name: 'a<b', character: '<' }],
    ['greater than', 'a>b', win32, { kind: 'reserved-character', name: 'a>b', character: '>' }],
    ['a pipe', 'a|b', win32, { kind: 'reserved-character', name: 'a|b', character: '|' }],
    ['a backslash', 'a\\b', win32, { kind: 'reserved-character', name: 'a\\b', character: '\\' }],
    ['a newline', 'a\nb', win32, { kind: 'reserved-character', name: 'a\nb', character: '\n' }],
    ['a trailing dot', 'notes.', win32, { kind: 'trailing-dot-or-space', name: 'notes.' }],
    ['a trailing space', 'notes ', win32, { kind: 'trailing-dot-or-space', name: 'notes ' }],
    ['CON', 'CON', win32, { kind: 'reserved-name', name: 'CON', device: 'CON' }],
    ['nul in lower case', 'nul', win32, { kind: 'reserved-name', name: 'nul', device: 'NUL' }],
    [
      'a device name with an extension',
      'NUL.txt',
      win32,
      { kind: 'reserved-name', name: 'NUL.txt', device: 'NUL' },
    ],
    ['two extensions', 'aux.tar.gz', win32, { kind: 'reserved-name', name: 'aux.tar.gz', device: 'AUX' }],
    ['COM1', 'com1.log', win32, { kind: 'reserved-name', name: 'com1.log', device: 'COM1' }],
    ['LPT9', 'LPT9', win32, { kind: 'reserved-name', name: 'LPT9', device: 'LPT9' }],
    ['COM with a superscript digit', 'COM¹', win32, { kind: 'reserved-name', name: 'COM¹', device: 'COM¹' }],
    [
      'a device name with a space before its extension',
      'PRN .txt',
      win32,
      {
        kind: 'reserved-name',
        name: 'PRN .txt',
        device: 'PRN',
      },
    ],
    ['COM10 is not a device', 'COM10', win32, undefined],
    ['a device name inside a longer name', 'console.log', win32, undefined],
    ['a device name as the extension', 'file.aux', win32, undefined],
    ['255 characters', 'a'.repeat(255), win32, undefined],
    [
      '256 characters',
      'a'.repeat(256),
      win32,
      { kind: 'name-too-long', name: 'a'.repeat(256), limit: '255 characters' },
    ],
    ['posix takes a colon', 'a:b.txt', posix, undefined],
    ['posix takes a trailing dot and CON', 'CON.', posix, undefined],
    ['posix takes a backslash', 'a\\b', posix, undefined],
    [
      'posix refuses NUL',
      'a\u0000b',
      posix,
      { kind: 'reserved-character', name: 'a\u0000b', character: '\u0000' },
    ],
    ['posix: 255 bytes', 'é'.repeat(127) + 'a', posix, undefined],
    [
      'posix: 256 bytes of UTF-8',
      'é'.repeat(128),
      posix,
      {
        kind: 'name-too-long',
        name: 'é'.repeat(128),
        limit: '255 bytes',
      },
    ],
  ])('%s', (_name, name, pathApi, expected) => {
    expect(localNameProblem(name, pathApi)).toEqual(expected);
  });
});

describe('collisionKey', () => {
  test.each<[string, string, string, boolean]>([
    ['letter case', 'Docs/README.md', 'docs/readme.md', true],
    ['composed and decomposed accents', 'caf\u00e9.txt', 'cafe\u0301.txt', true],
    ['final and medial sigma', 'ΟΔΟΣ', 'οδος', true],
    ['sigma forms', 'ας', 'ασ', true],
    ['sharp s is not ss', 'straße', 'strasse', false],
    ['different names', 'a.txt', 'b.txt', false],
    ['different folders', 'a/x.txt', 'b/x.txt', false],
  ])('%s: %j and %j meet: %s', (_name, a, b, same) => {
    expect(collisionKey(a) === collisionKey(b)).toBe(same);
  });
});
