import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFiles } from '../../../src/plan/search.ts';

let root: string;

/** Files of the test tree: relative path → content. */
const tree: Record<string, string> = {
  'dist/app.js': 'console.log(1)',
  'dist/app.js.map': '{}',
  'dist/empty.txt': '',
  'dist/nested/deeper/data.bin': 'x'.repeat(1000),
  'dist/.env': 'SECRET=1',
  'dist/.cache/blob': 'hidden folder',
  'dist/résumé ü/файл 名.txt': 'unicode',
  'docs/guide.md': '# guide',
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'search-test-'));
  for (const [relative, content] of Object.entries(tree)) {
    const full = path.join(root, relative);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  await symlink(path.join(root, 'docs'), path.join(root, 'dist', 'linked-docs'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function find(
  patterns: string[],
  options = { includeHiddenFiles: false, followSymbolicLinks: true },
): Promise<{ files: Record<string, number>; searchPaths: string[] }> {
  const found = await findFiles(
    patterns.map((p) => (p.startsWith('!') ? `!${path.join(root, p.slice(1))}` : path.join(root, p))),
    options,
  );
  const files: Record<string, number> = {};
  for (const file of found.files) files[path.relative(root, file.localPath)] = file.size;
  return { files, searchPaths: found.searchPaths.map((p) => path.relative(root, p)) };
}

describe('findFiles', () => {
  test.each<[string, string[], { includeHiddenFiles: boolean; followSymbolicLinks: boolean }, string[]]>([
    [
      'a folder: hidden files and folders left out, links followed',
      ['dist'],
      { includeHiddenFiles: false, followSymbolicLinks: true },
      [
        'dist/app.js',
        'dist/app.js.map',
        'dist/empty.txt',
        'dist/linked-docs/guide.md',
        'dist/nested/deeper/data.bin',
        'dist/résumé ü/файл 名.txt',
      ],
    ],
    [
      'hidden files included',
      ['dist'],
      { includeHiddenFiles: true, followSymbolicLinks: true },
      [
        'dist/.cache/blob',
        'dist/.env',
        'dist/app.js',
        'dist/app.js.map',
        'dist/empty.txt',
        'dist/linked-docs/guide.md',
        'dist/nested/deeper/data.bin',
        'dist/résumé ü/файл 名.txt',
      ],
    ],
    [
      'symbolic links not followed: the link is left out',
      ['dist'],
      { includeHiddenFiles: false, followSymbolicLinks: false },
      [
        'dist/app.js',
        'dist/app.js.map',
        'dist/empty.txt',
        'dist/nested/deeper/data.bin',
        'dist/résumé ü/файл 名.txt',
      ],
    ],
    [
      '! excludes',
      ['dist/**', '!dist/**/*.map', '!dist/nested', '!dist/linked-docs'],
      { includeHiddenFiles: false, followSymbolicLinks: true },
      ['dist/app.js', 'dist/empty.txt', 'dist/résumé ü/файл 名.txt'],
    ],
    [
      'a glob over unicode names',
      ['dist/résumé ü/*.txt'],
      { includeHiddenFiles: false, followSymbolicLinks: true },
      ['dist/résumé ü/файл 名.txt'],
    ],
    ['nothing matches', ['missing/**'], { includeHiddenFiles: false, followSymbolicLinks: true }, []],
  ])('%s', async (_name, patterns, options, expected) => {
    const { files } = await find(patterns, options);
    expect(Object.keys(files).sort()).toEqual([...expected].sort());
  });

  test('sizes are the file sizes, empty files included', async () => {
    const { files } = await find(['dist/empty.txt', 'dist/nested', 'docs']);
    expect(files).toEqual({ 'dist/empty.txt': 0, 'dist/nested/deeper/data.bin': 1000, 'docs/guide.md': 7 });
  });

  test('search paths are reported for planning', async () => {
    const { searchPaths } = await find(['dist/nested', 'docs/*.md']);
    expect(searchPaths.sort()).toEqual(['dist/nested', 'docs']);
  });

  test('a file matched by two patterns is found once', async () => {
    const found = await findFiles([path.join(root, 'docs'), path.join(root, 'docs/guide.md')], {
      includeHiddenFiles: false,
      followSymbolicLinks: true,
    });
    expect(found.files.map((f) => path.relative(root, f.localPath))).toEqual(['docs/guide.md']);
  });
});
