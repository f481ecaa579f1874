import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { compareCodePoints, pathInside, workspacePath } from '../../../src/local/paths.ts';

const WORKSPACE = '/home/runner/work/repo/repo';

describe('workspacePath', () => {
  test.each([
    [`${WORKSPACE}/dist/a.txt`, WORKSPACE, 'dist/a.txt'],
    ['/tmp/elsewhere/a.txt', WORKSPACE, '/tmp/elsewhere/a.txt'],
    [`${WORKSPACE}-other/a.txt`, WORKSPACE, `${WORKSPACE}-other/a.txt`],
    ['C:\\work\\repo\\dist\\a.txt', 'C:\\work\\repo', 'dist/a.txt'],
    ['D:\\tmp\\a.txt', 'C:\\work\\repo', 'D:/tmp/a.txt'],
  ])('workspacePath(%j, %j) = %j', (localPath, workspace, expected) => {
    const pathApi = localPath.includes('\\') ? path.win32 : path.posix;
    expect(workspacePath(localPath, workspace, pathApi)).toBe(expected);
  });
});

describe('pathInside', () => {
  test.each([
    ['/w', '/w/a/b.txt', 'a/b.txt'],
    ['/w', '/w', undefined],
    ['/w', '/w/../x', undefined],
    ['/w', '/wx/a', undefined],
    ['/w', '/w/..a', '..a'],
    ['C:\\w', 'C:\\w\\a\\b.txt', 'a/b.txt'],
    ['C:\\w', 'D:\\w\\a', undefined],
  ])('pathInside(%j, %j) = %j', (root, localPath, expected) => {
    const pathApi = root.includes('\\') ? path.win32 : path.posix;
    expect(pathInside(root, localPath, pathApi)).toBe(expected);
  });
});

describe('compareCodePoints', () => {
  test.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['B', 'a', -1],
    // U+FF5E sorts before U+1F600 by code point, but after its surrogates (U+D83D) in UTF-16 order.
    ['\uff5e', '😀', -1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(sign);
  });
});
