import { InputError, readInputs } from '../../../src/inputs/inputs.ts';
import { ACCESS, inputErrorOf, inputs } from '../../support/inputs.ts';

const base = { path: 'dist/**', 'access-token': ACCESS };

const errorOf = (values: Record<string, string>): InputError => inputErrorOf(readInputs, values);

describe('choices and booleans', () => {
  test.each([
    ['if-no-files-found', 'error', { ifNoFilesFound: 'error' }],
    ['if-no-files-found', 'IGNORE', { ifNoFilesFound: 'ignore' }],
    ['if-no-files-found', ' Warn ', { ifNoFilesFound: 'warn' }],
    ['if-exists', 'skip', { ifExists: 'skip' }],
    ['if-exists', 'Rename', { ifExists: 'rename' }],
    ['if-exists', 'FAIL', { ifExists: 'fail' }],
    ['include-hidden-files', 'true', { includeHiddenFiles: true }],
    ['include-hidden-files', 'True', { includeHiddenFiles: true }],
    ['include-hidden-files', 'TRUE', { includeHiddenFiles: true }],
    ['follow-symbolic-links', 'false', { followSymbolicLinks: false }],
    ['follow-symbolic-links', 'False', { followSymbolicLinks: false }],
    ['follow-symbolic-links', 'FALSE', { followSymbolicLinks: false }],
  ])('%s: %j', (name, value, expected) => {
    expect(readInputs(inputs({ ...base, [name]: value }))).toMatchObject(expected);
  });

  test.each([
    [
      'if-no-files-found',
      'fail',
      'Input "if-no-files-found" is "fail"; it must be one of warn, error, ignore.',
    ],
    [
      'if-exists',
      'replace',
      'Input "if-exists" is "replace"; it must be one of overwrite, skip, rename, fail.',
    ],
    ['include-hidden-files', 'yes', 'Input "include-hidden-files" is "yes"; it must be true or false.'],
    ['follow-symbolic-links', 'tRUE', 'Input "follow-symbolic-links" is "tRUE"; it must be true or false.'],
    ['follow-symbolic-links', '1', 'Input "follow-symbolic-links" is "1"; it must be true or false.'],
  ])('%s %j is an error', (name, value, message) => {
    expect(errorOf({ ...base, [name]: value }).message).toBe(message);
  });
});

describe('numbers', () => {
  test.each([
    ['chunk-size', '4', { chunkSizeBytes: 4 * 1048576 }],
    ['chunk-size', '148', { chunkSizeBytes: 148 * 1048576 }],
    ['chunk-size', ' 32 ', { chunkSizeBytes: 32 * 1048576 }],
    ['concurrency', '1', { concurrency: 1 }],
    ['concurrency', '64', { concurrency: 64 }],
    ['max-attempts', '1', { maxAttempts: 1 }],
    ['max-attempts', '20', { maxAttempts: 20 }],
    ['request-timeout', '1', { requestTimeoutSeconds: 1 }],
    ['request-timeout', '3600', { requestTimeoutSeconds: 3600 }],
    ['request-timeout', ' 30 ', { requestTimeoutSeconds: 30 }],
  ])('%s %j', (name, value, expected) => {
    expect(readInputs(inputs({ ...base, [name]: value }))).toMatchObject(expected);
  });

  const chunkRule = 'it must be a multiple of 4 from 4 to 148 (MiB).';
  const concurrencyRule = 'it must be a whole number from 1 to 64.';
  const attemptsRule = 'it must be a whole number from 1 to 20.';
  const timeoutRule = 'it must be a whole number of seconds from 1 to 3600.';
  test.each([
    ['chunk-size', '10', chunkRule],
    ['chunk-size', '0', chunkRule],
    ['chunk-size', '152', chunkRule],
    ['chunk-size', '1.5', chunkRule],
    ['chunk-size', '8x', chunkRule],
    ['chunk-size', ' ', chunkRule],
    ['chunk-size', '-4', chunkRule],
    ['chunk-size', '0x10', chunkRule],
    ['chunk-size', '16MiB', chunkRule],
    ['concurrency', '0', concurrencyRule],
    ['concurrency', '65', concurrencyRule],
    ['concurrency', '-1', concurrencyRule],
    ['concurrency', '1e1', concurrencyRule],
    ['max-attempts', '21', attemptsRule],
    ['max-attempts', '2.0', attemptsRule],
    ['max-attempts', '\t', attemptsRule],
    ['request-timeout', '0', timeoutRule],
    ['request-timeout', '3601', timeoutRule],
    ['request-timeout', '30s', timeoutRule],
    ['request-timeout', '1.5', timeoutRule],
  ])('%s %j is an error', (name, value, rule) => {
    expect(errorOf({ ...base, [name]: value }).message).toBe(
      `Input "${name}" is ${JSON.stringify(value)}; ${rule}`,
    );
  });

  test('the example message from the brief', () => {
    expect(errorOf({ ...base, 'chunk-size': '10' }).message).toBe(
      'Input "chunk-size" is "10"; it must be a multiple of 4 from 4 to 148 (MiB).',
    );
  });
});

test('the first problem is the one reported', () => {
  expect(errorOf({ path: 'a', destination: 'a\\b', 'chunk-size': '3' }).message).toMatch(/"destination"/);
});
