import { describe, expect, test } from '@jest/globals';
import { ArgumentError, commandLineInput, parseArguments } from '../../../src/cli/arguments.ts';
import { uploadInputs } from '../../../src/inputs/upload-inputs.ts';

function parsed(argv: string[]): Record<string, unknown> {
  const result = parseArguments(argv, uploadInputs);
  if (result.kind !== 'run') return { kind: result.kind };
  return {
    values: Object.fromEntries(result.values),
    secretFlags: result.secretFlags,
    json: result.json,
    verbose: result.verbose,
  };
}

function errorOf(argv: string[]): string {
  try {
    parseArguments(argv, uploadInputs);
  } catch (error) {
    if (error instanceof ArgumentError) return error.message;
    throw error;
  }
  throw new Error('parseArguments did not throw');
}

describe('parseArguments: flags are the action inputs', () => {
  test.each([
    ['--name value', ['--destination', '/x'], { destination: ['/x'] }],
    ['--name=value', ['--destination=/x'], { destination: ['/x'] }],
    ['an empty value (= the default)', ['--destination='], { destination: [''] }],
    ['a value with = in it', ['--destination=/a=b'], { destination: ['/a=b'] }],
    [
      'a value with spaces and unicode',
      ['--path', 'my files/résumé 名.txt'],
      { path: ['my files/résumé 名.txt'] },
    ],
    [
      'a value starting with ! or -',
      ['--path', 'a', '--path', '!a/*.map', '--path', '-x'],
      { path: ['a', '!a/*.map', '-x'] },
    ],
    ['repeated --path: several lines, in order', ['--path', 'b', '--path=a'], { path: ['b', 'a'] }],
    ['a bare boolean flag means true', ['--dry-run'], { 'dry-run': ['true'] }],
    ['a boolean with =false', ['--skip-unchanged=false'], { 'skip-unchanged': ['false'] }],
    ['--no-<boolean> means false', ['--no-skip-unchanged'], { 'skip-unchanged': ['false'] }],
    [
      'a boolean with another value is passed on for the input check',
      ['--dry-run=yes'],
      { 'dry-run': ['yes'] },
    ],
    [
      'every kind at once',
      ['--path', 'dist/**', '--chunk-size', '4', '--dry-run', '--destination', '/d/{date}', '--keep-last=3'],
      {
        path: ['dist/**'],
        'chunk-size': ['4'],
        'dry-run': ['true'],
        destination: ['/d/{date}'],
        'keep-last': ['3'],
      },
    ],
  ])('%s', (_name, argv, values) => {
    expect(parsed(argv)).toEqual({ values, secretFlags: [], json: false, verbose: false });
  });

  test('--json and --verbose are the program’s own', () => {
    expect(parsed(['--json', '--path', 'a', '--verbose'])).toEqual({
      values: { path: ['a'] },
      secretFlags: [],
      json: true,
      verbose: true,
    });
  });

  test('--help and --version win over everything else, even a bad flag', () => {
    expect(parsed(['--path', 'a', '--help'])).toEqual({ kind: 'help' });
    expect(parsed(['-h'])).toEqual({ kind: 'help' });
    expect(parsed(['--bogus', '--version'])).toEqual({ kind: 'version' });
  });

  test('secrets given as flags are named, once each, for the warning', () => {
    expect(
      parsed(['--refresh-token', 'r', '--app-key=k', '--path', 'a', '--app-secret', 's']).secretFlags,
    ).toEqual(['refresh-token', 'app-key', 'app-secret']);
  });
});

describe('parseArguments: what it refuses', () => {
  test.each([
    [
      'an unknown flag, with the nearest name',
      ['--destinaton', '/x'],
      'Unknown option --destinaton. Did you mean --destination?',
    ],
    ['an unknown flag far from any', ['--frobnicate'], 'Unknown option --frobnicate.'],
    ['a short prefix', ['--dest', '/x'], 'Unknown option --dest. Did you mean --destination?'],
    [
      'a positional argument',
      ['dist/**'],
      'Unexpected argument "dist/**". Give the files to upload with --path, and every other input as --name value.',
    ],
    [
      'true after a bare boolean',
      ['--dry-run', 'false'],
      'Unexpected argument "false". A bare --dry-run means true; write --dry-run=false to set it.',
    ],
    ['a missing value at the end', ['--destination'], '--destination needs a value: --destination <folder>.'],
    [
      'a flag where the value should be',
      ['--destination', '--dry-run'],
      '--destination needs a value: --destination <folder>.',
    ],
    [
      'a single-line input twice',
      ['--destination', '/a', '--destination=/b'],
      '--destination is given more than once ("/a" and "/b"); give it once.',
    ],
    [
      'a secret twice: never its value',
      ['--access-token', 'tok1', '--access-token', 'tok2'],
      '--access-token is given more than once ((hidden) and (hidden)); give it once.',
    ],
    ['--json with a value', ['--json=yes'], '--json takes no value.'],
    ['--no- with a value', ['--no-dry-run=true'], '--no-dry-run takes no value.'],
    [
      '--no- of an input that is not true/false',
      ['--no-destination'],
      '--no-destination: only a true/false input has a --no- form; give --destination <folder>.',
    ],
  ])('%s', (_name, argv, message) => {
    expect(errorOf(argv)).toBe(message);
  });

  test('no message holds a secret given in the wrong place', () => {
    expect(errorOf(['--access-token', 'sl.SECRET', 'sl.SECRET2'])).not.toContain('sl.SECRET"');
  });
});

describe('commandLineInput: what the pipeline reads', () => {
  const environment = {
    DROPBOX_REFRESH_TOKEN: 'env-refresh',
    DROPBOX_APP_KEY: 'env-key',
    DESTINATION: '/not-read',
  };

  test('flags as the runner would give INPUT_*: lines joined, unset inputs empty', () => {
    const input = commandLineInput(
      new Map([
        ['path', ['a', '!b']],
        ['dry-run', ['true']],
      ]),
      uploadInputs,
      {},
    );
    expect([input('path'), input('dry-run'), input('destination'), input('no-such-input')]).toEqual([
      'a\n!b',
      'true',
      '',
      '',
    ]);
  });

  test('credentials from DROPBOX_* when no flag gives them; a flag wins; other inputs never from the environment', () => {
    const input = commandLineInput(new Map([['app-key', ['flag-key']]]), uploadInputs, environment);
    expect([input('refresh-token'), input('app-key'), input('app-secret'), input('destination')]).toEqual([
      'env-refresh',
      'flag-key',
      '',
      '',
    ]);
  });
});
