import { InputError, readInputs } from '../../../src/inputs/inputs.ts';
import { ACCESS, inputErrorOf, inputs } from '../../support/inputs.ts';

const base = { path: 'dist/**', 'access-token': ACCESS };

const errorOf = (values: Record<string, string>): InputError => inputErrorOf(readInputs, values);

describe('destination', () => {
  test.each([
    ['', ''],
    ['/', ''],
    ['  /  ', ''],
    ['backups', '/backups'],
    ['/backups', '/backups'],
    ['/backups/', '/backups'],
    ['backups/site/', '/backups/site'],
    ['/Apps/My App/résumé ü/файл 名', '/Apps/My App/résumé ü/файл 名'],
    ['/a b/ c ', '/a b/ c'],
  ])('%j → %j', (destination, expected) => {
    expect(readInputs(inputs({ ...base, destination })).destination).toBe(expected);
  });

  test.each([
    [
      'backslash',
      'backups\\site',
      /Input "destination" is "backups\\\\site"; Dropbox paths separate folders with "\/"/,
    ],
    ['empty segment', '/a//b', /Input "destination" is "\/a\/\/b"; it has an empty folder name/],
    ['double slash', '//', /Input "destination" is "\/\/"; it has an empty folder name/],
    ['dot segment', '/a/./b', /"\." is not allowed as a folder name/],
    ['dot-dot segment', '../b', /"\.\." is not allowed as a folder name/],
    ['tab', '/a\tb', /Input "destination" is "\/a\\tb"; it contains a control character/],
    ['line break inside', '/a\nb', /control character/],
    ['whitespace only', '   ', /Input "destination" is " {3}"; it must be a Dropbox folder path/],
  ])('%s is an error', (_name, destination, message) => {
    expect(errorOf({ ...base, destination }).message).toMatch(message);
  });
});
