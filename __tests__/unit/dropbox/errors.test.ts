/** The upload's own errors carry the facts (paths, hashes, the system code) that explain.ts words. */
import { describe, expect, test } from '@jest/globals';
import { ContentHashMismatchError, LocalReadError } from '../../../src/dropbox/errors.ts';

describe('ContentHashMismatchError', () => {
  test.each([
    ['/Backups/site.tar', 'a'.repeat(64), 'b'.repeat(64)],
    ['/Backups/résumé ü (1).pdf', '0'.repeat(64), 'f'.repeat(64)],
    ['/Backups/a\n::error::x', 'aa', 'bb'],
  ])('for %j keeps both hashes', (dropboxPath, localHash, remoteHash) => {
    const error = new ContentHashMismatchError(dropboxPath, localHash, remoteHash);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ContentHashMismatchError');
    expect([error.dropboxPath, error.localHash, error.remoteHash]).toEqual([
      dropboxPath,
      localHash,
      remoteHash,
    ]);
    expect(error.message).toBe(
      `Content hash mismatch for ${dropboxPath}: local ${localHash}, Dropbox ${remoteHash}`,
    );
  });
});

describe('LocalReadError', () => {
  test.each<[string, unknown, string]>([
    ['a system error', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), ' (ENOENT)'],
    ['a plain object with a code', { code: 'EACCES' }, ' (EACCES)'],
    ['a code that is not a string', Object.assign(new Error('odd'), { code: 5 }), ''],
    ['an error without a code', new Error('changed while it was read'), ''],
    ['a string', 'EIO', ''],
    ['nothing', undefined, ''],
    ['null', null, ''],
  ])('%s as the cause', (_name, cause, suffix) => {
    const error = new LocalReadError('/w/dist/a.txt', cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LocalReadError');
    expect(error.localPath).toBe('/w/dist/a.txt');
    expect(error.message).toBe(`Could not read /w/dist/a.txt${suffix}`);
    expect(error.cause).toBe(cause);
  });
});
