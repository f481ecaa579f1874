import { describe, expect, test } from '@jest/globals';
import {
  capitalise,
  credentials,
  doing,
  file,
  quotePath,
  run,
  where,
} from '../../../../src/dropbox/explain/words.ts';
import { titles } from '../../../../src/dropbox/explain/titles.ts';

describe('words every explanation shares', () => {
  test.each([
    [{}, 'uploading the file'],
    [{ dropboxPath: '/a b' }, 'uploading "/a b"'],
    [{ action: 'list' as const }, 'listing the Dropbox folder'],
    [{ action: 'list' as const, dropboxPath: '/d' }, 'listing "/d"'],
    [{ action: 'share' as const, dropboxPath: '/d/x' }, 'creating a shared link for "/d/x"'],
    [{ action: 'team-space-lookup' as const }, "looking up the account's team space"],
    [{ action: 'download' as const, dropboxPath: '/d/x' }, 'downloading "/d/x"'],
  ])('doing(%j) = %j', (context, expected) => {
    expect(doing(context)).toBe(expected);
  });

  test('where, quotePath, capitalise', () => {
    expect(where({})).toBe('the file');
    expect(where({ dropboxPath: '/résumé ü.pdf' })).toBe('"/résumé ü.pdf"');
    expect(quotePath('/x')).toBe('"/x"');
    expect(capitalise('the file')).toBe('The file');
  });

  test('the three scopes', () => {
    expect(file(titles.fileLocked, 'm').scope).toBe('file');
    expect(credentials(titles.accessTokenInvalid, 'm').scope).toBe('credentials');
    expect(run(titles.outOfSpace, 'm').scope).toBe('run');
  });
});
