/** The restore's own errors carry the facts (paths, hashes, codes) that download-explanations.ts words. */
import { describe, expect, test } from '@jest/globals';
import {
  DownloadHashMismatchError,
  LocalPathBlockedError,
  LocalWriteError,
  SourceChangedError,
  TruncatedBodyError,
  UnexpectedAnswerError,
  type LocalOperation,
} from '../../../src/transfer/download-errors.ts';

const DROPBOX_PATH = '/Backups/résumé 2024/db dump.sql';
const LOCAL_PATH = '/work/out/résumé 2024/db dump.sql';

describe('each error names itself and says what happened', () => {
  test.each<[string, Error, string]>([
    [
      'DownloadHashMismatchError',
      new DownloadHashMismatchError(DROPBOX_PATH, 'aa', 'bb', 3),
      `Content hash mismatch for ${DROPBOX_PATH}: Dropbox lists aa, the bytes received hash to bb (3 attempts)`,
    ],
    [
      'SourceChangedError',
      new SourceChangedError(DROPBOX_PATH, { rev: '015a', size: 3 }, { rev: '015b', size: 4 }),
      `${DROPBOX_PATH} changed in Dropbox after it was listed: listed rev 015a of 3 bytes, now rev 015b of 4 bytes`,
    ],
    [
      'UnexpectedAnswerError',
      new UnexpectedAnswerError(DROPBOX_PATH, 'HTTP 200 to a ranged request'),
      `Unexpected answer from Dropbox for ${DROPBOX_PATH}: HTTP 200 to a ranged request`,
    ],
    [
      'TruncatedBodyError',
      new TruncatedBodyError(DROPBOX_PATH, 100, 42),
      `The answer for ${DROPBOX_PATH} ended after 42 of 100 bytes`,
    ],
    [
      'LocalWriteError',
      new LocalWriteError(LOCAL_PATH, 'write', Object.assign(new Error('no space'), { code: 'ENOSPC' })),
      `Could not write ${LOCAL_PATH} (ENOSPC)`,
    ],
    [
      'LocalPathBlockedError',
      new LocalPathBlockedError(LOCAL_PATH, 'folder', 'file'),
      `A folder is in the way at ${LOCAL_PATH}, where the restore needs a file`,
    ],
  ])('%s', (name, error, message) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
  });
});

describe('DownloadHashMismatchError', () => {
  test('keeps both hashes and the number of downloads', () => {
    const error = new DownloadHashMismatchError(DROPBOX_PATH, 'aa', 'bb', 2);
    expect([error.dropboxPath, error.expectedHash, error.receivedHash, error.attempts]).toEqual([
      DROPBOX_PATH,
      'aa',
      'bb',
      2,
    ]);
  });
});

describe('SourceChangedError', () => {
  test.each<[string, { rev?: string; size: number }, { rev?: string; size?: number }, string]>([
    [
      'both revisions known',
      { rev: 'a1', size: 1 },
      { rev: 'b2', size: 2 },
      'listed rev a1 of 1 bytes, now rev b2 of 2 bytes',
    ],
    [
      'no revision listed',
      { size: 1 },
      { rev: 'b2', size: 1 },
      'listed rev ? of 1 bytes, now rev b2 of 1 bytes',
    ],
    ['an answer without a size', { rev: 'a1', size: 1 }, { rev: 'b2' }, 'now rev b2 of ? bytes'],
    ['an answer without anything', { rev: 'a1', size: 1 }, {}, 'now rev ? of ? bytes'],
  ])('%s', (_name, listed, answered, says) => {
    const error = new SourceChangedError(DROPBOX_PATH, listed, answered);
    expect(error.message).toContain(says);
    expect(error.listed).toEqual(listed);
    expect(error.answered).toEqual(answered);
    expect(error.dropboxPath).toBe(DROPBOX_PATH);
  });
});

describe('TruncatedBodyError', () => {
  test('is coded as undici codes a short body, so it is retried like a network failure', () => {
    expect(new TruncatedBodyError(DROPBOX_PATH, 10, 0).code).toBe('UND_ERR_RES_CONTENT_LENGTH_MISMATCH');
  });
});

describe('LocalWriteError', () => {
  test.each<[string, unknown, string | undefined]>([
    ['a system error', Object.assign(new Error('denied'), { code: 'EACCES' }), 'EACCES'],
    ['a plain object with a code', { code: 'EROFS' }, 'EROFS'],
    ['a code that is not a string', Object.assign(new Error('odd'), { code: 28 }), undefined],
    ['an error without a code', new Error('who knows'), undefined],
    ['a string', 'ENOSPC', undefined],
    ['nothing', undefined, undefined],
    ['null', null, undefined],
  ])('the code of %s: %s', (_name, cause, code) => {
    const error = new LocalWriteError(LOCAL_PATH, 'rename', cause);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(`Could not rename ${LOCAL_PATH}${code === undefined ? '' : ` (${code})`}`);
  });

  test.each<LocalOperation>(['create folder', 'write', 'read', 'rename', 'set time', 'check'])(
    'names the operation: %s',
    (operation) => {
      const error = new LocalWriteError(LOCAL_PATH, operation, { code: 'EIO' });
      expect(error.operation).toBe(operation);
      expect(error.localPath).toBe(LOCAL_PATH);
      expect(error.message).toBe(`Could not ${operation} ${LOCAL_PATH} (EIO)`);
    },
  );
});

describe('LocalPathBlockedError', () => {
  test.each<[LocalPathBlockedError['found'], 'folder' | 'file', string]>([
    ['file', 'folder', 'A file is in the way at /x, where the restore needs a folder'],
    ['folder', 'file', 'A folder is in the way at /x, where the restore needs a file'],
    ['symbolic link', 'folder', 'A symbolic link is in the way at /x, where the restore needs a folder'],
    [
      'other',
      'folder',
      'Something that is neither a file nor a folder (a socket, pipe or device) is in the way at /x, where the restore needs a folder',
    ],
  ])('a %s where a %s is needed', (found, needed, message) => {
    const error = new LocalPathBlockedError('/x', found, needed);
    expect([error.localPath, error.found, error.needed, error.message]).toEqual([
      '/x',
      found,
      needed,
      message,
    ]);
  });
});
