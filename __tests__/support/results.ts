/** File results as the report receives them, for the report's own tests. */
import type { Explanation, FileResult } from '../../src/model.ts';

export const WORKSPACE = '/home/runner/work/repo/repo';
export const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MIB = 1024 * 1024;

export const outOfSpace: Explanation = {
  title: 'Dropbox is out of space',
  message: 'Dropbox has no room for "/d/big.iso". Free up space.',
  scope: 'file',
};

export function result(
  overrides: Partial<FileResult> & Pick<FileResult, 'shownPath' | 'dropboxPath'>,
): FileResult {
  return {
    localPath: `${WORKSPACE}/${overrides.shownPath}`,
    size: 0,
    contentHash: HASH,
    status: 'uploaded',
    bytesSent: 0,
    ...overrides,
  };
}

/** Two uploaded (one with unicode in its name), one skipped with Markdown in its name, one failed. */
export const mixedResults: FileResult[] = [
  result({ shownPath: 'dist/app.js', dropboxPath: '/d/app.js', size: 2048, bytesSent: 2048 }),
  result({
    shownPath: 'dist/résumé ü/файл 名.txt',
    dropboxPath: '/d/résumé ü/файл 名.txt',
    size: 3 * MIB,
    bytesSent: 3 * MIB,
  }),
  result({
    shownPath: 'dist/a|b *c*.txt',
    dropboxPath: '/d/a|b *c*.txt',
    size: 10,
    status: 'skipped',
    reason: 'already exists',
  }),
  result({
    shownPath: 'dist/big.iso',
    dropboxPath: '/d/big.iso',
    size: 5 * MIB,
    status: 'failed',
    error: outOfSpace,
    bytesSent: MIB,
  }),
];
