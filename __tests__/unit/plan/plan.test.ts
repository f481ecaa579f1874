import path from 'node:path';
import type { PathApi } from '../../../src/local/paths.ts';
import {
  dropboxJoin,
  leastCommonAncestor,
  planUploads,
  PlanError,
  uploadRoot,
} from '../../../src/plan/plan.ts';

const { posix, win32 } = path;

describe('leastCommonAncestor', () => {
  test.each<[string, string[], PathApi, string]>([
    ['one path', ['/w/dist'], posix, '/w/dist'],
    ['siblings', ['/w/dist/a', '/w/dist/b'], posix, '/w/dist'],
    ['one inside the other', ['/w/dist', '/w/dist/sub/x'], posix, '/w/dist'],
    ['shared prefix is not a shared folder', ['/w/dist-a/x', '/w/dist-b/y'], posix, '/w'],
    ['only the root in common', ['/a/x', '/b/y'], posix, '/'],
    ['trailing separators ignored', ['/w/dist/', '/w/dist/b/'], posix, '/w/dist'],
    ['posix is case-sensitive', ['/w/Dist/a', '/w/dist/b'], posix, '/w'],
    ['unicode', ['/w/résumé ü/a', '/w/résumé ü/файл'], posix, '/w/résumé ü'],
    ['windows', ['C:\\work\\dist\\a', 'C:\\work\\dist\\b\\c'], win32, 'C:\\work\\dist'],
    ['windows is case-insensitive', ['C:\\Work\\Dist\\a', 'c:\\work\\dist\\b'], win32, 'C:\\Work\\Dist'],
    ['windows drive root', ['C:\\a', 'C:\\b'], win32, 'C:\\'],
    ['windows forward slashes', ['C:/work/dist/a', 'C:\\work\\dist\\b'], win32, 'C:\\work\\dist'],
    ['three paths', ['/w/a/b/c', '/w/a/b/d', '/w/a/e'], posix, '/w/a'],
  ])('%s', (_name, paths, pathApi, expected) => {
    expect(leastCommonAncestor(paths, pathApi)).toBe(expected);
  });

  test.each<[string, string[], PathApi]>([
    ['no paths', [], posix],
    ['different windows drives', ['C:\\a', 'D:\\b'], win32],
  ])('%s is a PlanError', (_name, paths, pathApi) => {
    expect(() => leastCommonAncestor(paths, pathApi)).toThrow(PlanError);
  });
});

describe('uploadRoot', () => {
  test.each<[string, string[], string[], PathApi, string]>([
    ['a folder search path', ['/w/dist'], ['/w/dist/a.txt', '/w/dist/b/c.txt'], posix, '/w/dist'],
    ['a folder holding one file', ['/w/dist'], ['/w/dist/a.txt'], posix, '/w/dist'],
    ['the search path is the only file', ['/w/dist/a.txt'], ['/w/dist/a.txt'], posix, '/w/dist'],
    ['several search paths', ['/w/dist', '/w/docs/x.md'], ['/w/dist/a', '/w/docs/x.md'], posix, '/w'],
    ['windows single file', ['C:\\w\\dist\\a.txt'], ['c:\\W\\dist\\a.txt'], win32, 'C:\\w\\dist'],
  ])('%s', (_name, searchPaths, files, pathApi, expected) => {
    expect(uploadRoot(searchPaths, files, pathApi)).toBe(expected);
  });

  test('no search paths is a PlanError', () => {
    expect(() => uploadRoot([], [], posix)).toThrow(PlanError);
  });
});

describe('dropboxJoin', () => {
  test.each([
    ['', 'a.txt', '/a.txt'],
    ['/', 'a.txt', '/a.txt'],
    ['/dest', 'a/b.txt', '/dest/a/b.txt'],
    ['/dest/', '/a.txt', '/dest/a.txt'],
    ['/dest', '', '/dest'],
    ['', '', '/'],
    ['/Apps/My App', 'résumé ü/файл 名.txt', '/Apps/My App/résumé ü/файл 名.txt'],
  ])('%j + %j → %j', (folder, relative, expected) => {
    expect(dropboxJoin(folder, relative)).toBe(expected);
  });
});

interface PlanRow {
  name: string;
  files: string[];
  searchPaths: string[];
  destination: string;
  pathApi: PathApi;
  expected: { relativePath: string; dropboxPath: string }[];
  expectedDestination?: string;
}

describe('planUploads', () => {
  const rows: PlanRow[] = [
    {
      name: 'single file goes to destination/<name>',
      files: ['/w/dist/deep/app.zip'],
      searchPaths: ['/w/dist'],
      destination: '/releases',
      pathApi: posix,
      expected: [{ relativePath: 'app.zip', dropboxPath: '/releases/app.zip' }],
    },
    {
      name: 'single file to the root',
      files: ['/w/app.zip'],
      searchPaths: ['/w/app.zip'],
      destination: '',
      pathApi: posix,
      expected: [{ relativePath: 'app.zip', dropboxPath: '/app.zip' }],
      expectedDestination: '/',
    },
    {
      name: 'nested folders keep their layout, sorted',
      files: ['/w/dist/z.txt', '/w/dist/a/b/c.txt', '/w/dist/a/a.txt'],
      searchPaths: ['/w/dist'],
      destination: '/dest',
      pathApi: posix,
      expected: [
        { relativePath: 'a/a.txt', dropboxPath: '/dest/a/a.txt' },
        { relativePath: 'a/b/c.txt', dropboxPath: '/dest/a/b/c.txt' },
        { relativePath: 'z.txt', dropboxPath: '/dest/z.txt' },
      ],
    },
    {
      name: 'unicode and spaces',
      files: ['/w/out/résumé ü/файл 名.txt', '/w/out/my report (final).pdf'],
      searchPaths: ['/w/out'],
      destination: '/Backups/Jörg',
      pathApi: posix,
      expected: [
        { relativePath: 'my report (final).pdf', dropboxPath: '/Backups/Jörg/my report (final).pdf' },
        { relativePath: 'résumé ü/файл 名.txt', dropboxPath: '/Backups/Jörg/résumé ü/файл 名.txt' },
      ],
    },
    {
      name: 'several search paths are relative to their common folder',
      files: ['/w/dist/app.js', '/w/docs/guide/index.md'],
      searchPaths: ['/w/dist', '/w/docs/guide'],
      destination: '/site',
      pathApi: posix,
      expected: [
        { relativePath: 'dist/app.js', dropboxPath: '/site/dist/app.js' },
        { relativePath: 'docs/guide/index.md', dropboxPath: '/site/docs/guide/index.md' },
      ],
    },
    {
      name: 'destination root',
      files: ['/w/dist/a.txt', '/w/dist/b.txt'],
      searchPaths: ['/w/dist'],
      destination: '',
      pathApi: posix,
      expected: [
        { relativePath: 'a.txt', dropboxPath: '/a.txt' },
        { relativePath: 'b.txt', dropboxPath: '/b.txt' },
      ],
      expectedDestination: '/',
    },
    {
      name: 'windows paths use / in Dropbox',
      files: ['C:\\work\\dist\\a\\b.txt', 'C:\\work\\dist\\c.txt'],
      searchPaths: ['C:\\work\\dist'],
      destination: '/dest',
      pathApi: win32,
      expected: [
        { relativePath: 'a/b.txt', dropboxPath: '/dest/a/b.txt' },
        { relativePath: 'c.txt', dropboxPath: '/dest/c.txt' },
      ],
    },
    {
      name: 'windows, several search paths differing in case',
      files: ['C:\\Work\\dist\\a.txt', 'c:\\work\\docs\\b.md'],
      searchPaths: ['C:\\Work\\dist', 'c:\\work\\docs'],
      destination: '/dest',
      pathApi: win32,
      expected: [
        { relativePath: 'dist/a.txt', dropboxPath: '/dest/dist/a.txt' },
        { relativePath: 'docs/b.md', dropboxPath: '/dest/docs/b.md' },
      ],
    },
    {
      name: 'windows single file',
      files: ['C:\\work\\dist\\a\\b.txt'],
      searchPaths: ['C:\\work\\dist\\a\\b.txt'],
      destination: '/dest',
      pathApi: win32,
      expected: [{ relativePath: 'b.txt', dropboxPath: '/dest/b.txt' }],
    },
    {
      name: 'a file matched twice is planned once',
      files: ['/w/dist/a.txt', '/w/dist/a.txt', '/w/dist/b.txt'],
      searchPaths: ['/w/dist'],
      destination: '/d',
      pathApi: posix,
      expected: [
        { relativePath: 'a.txt', dropboxPath: '/d/a.txt' },
        { relativePath: 'b.txt', dropboxPath: '/d/b.txt' },
      ],
    },
    {
      name: 'no files',
      files: [],
      searchPaths: ['/w/dist'],
      destination: '/d',
      pathApi: posix,
      expected: [],
    },
  ];

  test.each(rows)('$name', ({ files, searchPaths, destination, pathApi, expected, expectedDestination }) => {
    const plan = planUploads({
      files: files.map((localPath, i) => ({ localPath, size: i * 10 })),
      searchPaths,
      destination,
      workspace: pathApi === win32 ? 'C:\\w' : '/w',
      pathApi,
    });
    expect(plan.destination).toBe(expectedDestination ?? destination);
    expect(plan.files.map(({ relativePath, dropboxPath }) => ({ relativePath, dropboxPath }))).toEqual(
      expected,
    );
    for (const planned of plan.files) {
      const index = files.indexOf(planned.localPath);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(planned.size).toBe(index * 10);
    }
  });

  test.each([
    {
      name: 'same path apart from letter case',
      files: ['/w/dist/README.md', '/w/dist/readme.md'],
      message:
        /"\/w\/dist\/README\.md" and "\/w\/dist\/readme\.md" would both upload to the Dropbox path "\/d\/readme\.md"/,
    },
    {
      name: 'folder names differing in case',
      files: ['/w/dist/Docs/a.txt', '/w/dist/docs/A.txt'],
      message: /would both upload to the Dropbox path/,
    },
    {
      name: 'a file where another file needs a folder',
      files: ['/w/dist/Logs', '/w/dist/logs/today.txt'],
      message: /"\/w\/dist\/Logs" would upload to the Dropbox path "\/d\/Logs", which must be a folder/,
    },
  ])('case collision: $name is a PlanError', ({ files, message }) => {
    const plan = (): unknown =>
      planUploads({
        files: files.map((localPath) => ({ localPath, size: 1 })),
        searchPaths: ['/w/dist'],
        destination: '/d',
        workspace: '/w',
        pathApi: posix,
      });
    expect(plan).toThrow(PlanError);
    expect(plan).toThrow(message);
  });

  test.each([
    ['inside the workspace', '/w', posix, ['dist/a.txt', 'dist/sub/b.txt']],
    ['outside it: absolute', '/elsewhere', posix, ['/w/dist/a.txt', '/w/dist/sub/b.txt']],
    ['windows', 'C:\\w', win32, ['dist/a.txt', 'dist/sub/b.txt']],
  ] as const)('shown paths: %s', (_name, workspace, pathApi, expected) => {
    const root = pathApi === win32 ? 'C:\\w\\dist' : '/w/dist';
    const plan = planUploads({
      files: ['a.txt', 'sub/b.txt'].map((name) => ({ localPath: pathApi.join(root, name), size: 1 })),
      searchPaths: [root],
      destination: '/d',
      workspace: pathApi === win32 && workspace === '/elsewhere' ? 'D:\\x' : workspace,
      pathApi,
    });
    expect(plan.files.map((file) => file.shownPath)).toEqual(expected);
  });

  test('a file outside the upload root is a PlanError', () => {
    expect(() =>
      planUploads({
        files: [
          { localPath: '/elsewhere/a', size: 1 },
          { localPath: '/w/dist/b', size: 1 },
        ],
        searchPaths: ['/w/dist'],
        destination: '',
        workspace: '/w',
        pathApi: posix,
      }),
    ).toThrow(/not inside the upload root/);
  });

  test('defaults to the platform path module', () => {
    const root = path.resolve('dist');
    const plan = planUploads({
      files: [path.join(root, 'x', 'a.txt'), path.join(root, 'b.txt')].map((localPath) => ({
        localPath,
        size: 0,
      })),
      searchPaths: [root],
      destination: '/d',
      workspace: path.resolve('.'),
    });
    expect(plan.files.map((f) => f.dropboxPath)).toEqual(['/d/b.txt', '/d/x/a.txt']);
    expect(plan.files.map((f) => f.shownPath)).toEqual(['dist/b.txt', 'dist/x/a.txt']);
  });
});

describe('planUploads: empty folders', () => {
  const plan = (files: string[], folders: string[]): string[] =>
    planUploads({
      files: files.map((localPath) => ({ localPath, size: 1 })),
      folders,
      searchPaths: ['/w/dist'],
      destination: '/d',
      workspace: '/w',
      pathApi: posix,
    }).folders.map((folder) => `${folder.shownPath} → ${folder.dropboxPath}`);

  test.each<[string, string[], string[], string[]]>([
    [
      'an empty folder next to files',
      ['/w/dist/a.txt', '/w/dist/b.txt'],
      ['/w/dist', '/w/dist/empty'],
      ['dist/empty → /d/empty'],
    ],
    [
      'only the deepest of nested empty folders',
      ['/w/dist/a.txt', '/w/dist/b.txt'],
      ['/w/dist/x', '/w/dist/x/y', '/w/dist/x/y/z'],
      ['dist/x/y/z → /d/x/y/z'],
    ],
    ['a folder that holds a file is not empty', ['/w/dist/a.txt', '/w/dist/sub/b.txt'], ['/w/dist/sub'], []],
    [
      'a folder whose files were all left out counts as empty',
      ['/w/dist/a.txt', '/w/dist/b.txt'],
      ['/w/dist/maps'],
      ['dist/maps → /d/maps'],
    ],
    [
      'unicode and spaces',
      ['/w/dist/a.txt', '/w/dist/b.txt'],
      ['/w/dist/résumé ü/日本'],
      ['dist/résumé ü/日本 → /d/résumé ü/日本'],
    ],
    [
      'the root itself, and folders outside it, are not planned',
      ['/w/dist/a.txt', '/w/dist/b.txt'],
      ['/w/dist', '/w/other'],
      [],
    ],
    ['a single file goes alone, under its own name', ['/w/dist/only.txt'], ['/w/dist/empty'], []],
  ])('%s', (_name, files, folders, expected) => {
    expect(plan(files, folders)).toEqual(expected);
  });

  test('the modification time is carried to the plan', () => {
    const planned = planUploads({
      files: [{ localPath: '/w/dist/a.txt', size: 1, modifiedMs: 1_764_000_000_123 }],
      searchPaths: ['/w/dist'],
      destination: '/d',
      workspace: '/w',
      pathApi: posix,
    });
    expect(planned.files[0]?.modifiedMs).toBe(1_764_000_000_123);
  });
});
