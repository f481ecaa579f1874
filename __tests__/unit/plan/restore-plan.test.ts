import path from 'node:path';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import type { PathApi } from '../../../src/local/paths.ts';
import type { RestorePlan, RestoreProblemReason } from '../../../src/model.ts';
import { parseIncludePatterns } from '../../../src/plan/include-patterns.ts';
import { planRestore } from '../../../src/plan/restore-plan.ts';
import { remoteFile, remoteFolder } from '../../support/remote-entries.ts';

const { posix, win32 } = path;

const file = remoteFile;
const folder = remoteFolder;

describe('planRestore: mapping', () => {
  const tree: RemoteEntry[] = [
    folder('/backup/2026'),
    file('/backup/2026/index.html'),
    folder('/backup/2026/docs'),
    file('/backup/2026/docs/résumé 2026 – final.txt'),
    folder('/backup/2026/docs/日本語'),
    file('/backup/2026/docs/日本語/メモ.txt'),
    file('/backup/2026/empty.txt', { size: 0 }),
    folder('/backup/2026/empty folder'),
    folder('/backup/2026/a'),
    folder('/backup/2026/a/b'),
    folder('/backup/2026/a/b/deep empty'),
  ];

  test('a folder source: every file under the target, in code-point order; empty folders created', () => {
    const plan = planRestore({
      source: '/backup/2026',
      sourceKind: 'folder',
      entries: tree,
      target: '/work/out',
      workspace: '/work',
      pathApi: posix,
    });
    expect(plan.source).toBe('/backup/2026');
    expect(plan.target).toBe('/work/out');
    expect(plan.files.map((f) => [f.relativePath, f.localPath])).toEqual([
      ['docs/résumé 2026 – final.txt', '/work/out/docs/résumé 2026 – final.txt'],
      ['docs/日本語/メモ.txt', '/work/out/docs/日本語/メモ.txt'],
      ['empty.txt', '/work/out/empty.txt'],
      ['index.html', '/work/out/index.html'],
    ]);
    expect(plan.files[2]).toEqual({
      dropboxPath: '/backup/2026/empty.txt',
      localPath: '/work/out/empty.txt',
      relativePath: 'empty.txt',
      shownPath: 'out/empty.txt',
      size: 0,
      contentHash: 'hash-of-/backup/2026/empty.txt',
      rev: '0123456789a',
      clientModified: '2026-01-02T03:04:05Z',
    });
    expect(plan.folders).toEqual([
      {
        dropboxPath: '/backup/2026/a/b/deep empty',
        localPath: '/work/out/a/b/deep empty',
        relativePath: 'a/b/deep empty',
        shownPath: 'out/a/b/deep empty',
      },
      {
        dropboxPath: '/backup/2026/empty folder',
        localPath: '/work/out/empty folder',
        relativePath: 'empty folder',
        shownPath: 'out/empty folder',
      },
    ]);
    expect(plan.problems).toEqual([]);
  });

  test.each<[string, string, string | undefined, PathApi, string]>([
    ['inside the workspace', '/work/out/db', '/work', posix, 'out/db/x.sql'],
    ['the workspace itself', '/work', '/work', posix, 'x.sql'],
    ['no workspace: relative to the target', '/work/out', undefined, posix, 'x.sql'],
    ['outside the workspace: absolute', '/tmp/restore', '/work', posix, '/tmp/restore/x.sql'],
    ['windows, inside', 'C:\\w\\out', 'C:\\w', win32, 'out/x.sql'],
    ['windows, outside', 'D:\\restore', 'C:\\w', win32, 'D:/restore/x.sql'],
  ])('local paths are shown as the upload shows them: %s', (_name, target, workspace, pathApi, shown) => {
    const plan = planRestore({
      source: '/d',
      sourceKind: 'folder',
      entries: [file('/d/x.sql'), file('/d/bad:name.txt')],
      target,
      ...(workspace === undefined ? {} : { workspace }),
      pathApi,
    });
    expect(plan.files.map((planned) => planned.shownPath)).toEqual(
      pathApi === win32 ? [shown] : [shown.replace('x.sql', 'bad:name.txt'), shown],
    );
    // A file the runner cannot hold is shown where it would have gone.
    if (pathApi === win32) expect(plan.problems[0]?.shownPath).toBe(shown.replace('x.sql', 'bad:name.txt'));
  });

  test('a file source maps to target/<name>', () => {
    const plan = planRestore({
      source: '/dumps/DB.sql',
      sourceKind: 'file',
      entries: [file('/dumps/DB.sql', { size: 10 })],
      target: 'C:\\restore',
      pathApi: win32,
    });
    expect(plan.files).toEqual([
      expect.objectContaining({ relativePath: 'DB.sql', localPath: 'C:\\restore\\DB.sql', size: 10 }),
    ]);
    expect(plan.folders).toEqual([]);
  });

  test('the root as source', () => {
    const plan = planRestore({
      source: '',
      sourceKind: 'folder',
      entries: [folder('/A'), file('/A/x.txt'), file('/top.txt')],
      target: '/out',
      pathApi: posix,
    });
    expect(plan.source).toBe('/');
    expect(plan.files.map((f) => f.localPath)).toEqual(['/out/A/x.txt', '/out/top.txt']);
  });

  test('folders take the case of their own name, not of a file’s path_display (only its last part is sure)', () => {
    const plan = planRestore({
      source: '/src',
      sourceKind: 'folder',
      entries: [
        folder('/src/Docs'),
        file('/src/docs/a.txt', { pathLower: '/src/docs/a.txt' }),
        file('/src/DOCS/b.txt', { pathLower: '/src/docs/b.txt' }),
        // A folder the listing does not name: the file's path_display is all there is.
        file('/src/Unlisted/c.txt'),
      ],
      target: '/out',
      pathApi: posix,
    });
    expect(plan.files.map((f) => f.relativePath)).toEqual(['Docs/a.txt', 'Docs/b.txt', 'Unlisted/c.txt']);
  });

  test('the source in another case than Dropbox lists it, and its own entry in the listing', () => {
    const plan = planRestore({
      source: '/BACKUP/2026',
      sourceKind: 'folder',
      entries: [folder('/backup/2026'), file('/Backup/2026/x.txt')],
      target: '/out',
      pathApi: posix,
    });
    expect(plan.files.map((f) => f.relativePath)).toEqual(['x.txt']);
    expect(plan.folders).toEqual([]);
  });

  test('windows paths', () => {
    const plan = planRestore({
      source: '/backup/2026',
      sourceKind: 'folder',
      entries: tree,
      target: 'D:\\a\\restore',
      pathApi: win32,
    });
    expect(plan.files.map((f) => f.localPath)).toContain('D:\\a\\restore\\docs\\日本語\\メモ.txt');
    expect(plan.files.map((f) => f.relativePath)).toContain('docs/日本語/メモ.txt');
  });

  test.each<[string, string[], string[], string[]]>([
    ['only the docs folder', ['docs'], ['docs/résumé 2026 – final.txt', 'docs/日本語/メモ.txt'], []],
    ['all but the docs', ['!docs'], ['empty.txt', 'index.html'], ['a/b/deep empty', 'empty folder']],
    ['html files', ['**/*.html'], ['index.html'], []],
    ['an empty folder by name', ['empty folder', '*.txt'], ['empty.txt'], ['empty folder']],
  ])('include: %s', (_name, lines, files, folders) => {
    const plan = planRestore({
      source: '/backup/2026',
      sourceKind: 'folder',
      entries: tree,
      target: '/out',
      include: parseIncludePatterns(lines),
      pathApi: posix,
    });
    expect(plan.files.map((f) => f.relativePath)).toEqual(files);
    expect(plan.folders.map((f) => f.relativePath)).toEqual(folders);
  });
});

describe('planRestore: problems', () => {
  function problemsOf(
    entries: RemoteEntry[],
    pathApi: PathApi,
    target = pathApi === win32 ? 'C:\\out' : '/out',
  ): RestorePlan {
    return planRestore({ source: '/s', sourceKind: 'folder', entries, target, pathApi });
  }

  test.each<[string, RemoteEntry[], PathApi, string, RestoreProblemReason]>([
    [
      'a colon on windows',
      [file('/s/a:b.txt')],
      win32,
      'a:b.txt',
      { kind: 'reserved-character', name: 'a:b.txt', character: ':' },
    ],
    [
      'a reserved name as a folder fails the files under it',
      [folder('/s/CON'), file('/s/CON/x.txt')],
      win32,
      'CON/x.txt',
      {
        kind: 'reserved-name',
        name: 'CON',
        device: 'CON',
      },
    ],
    [
      'a trailing space on windows',
      [file('/s/notes ')],
      win32,
      'notes ',
      { kind: 'trailing-dot-or-space', name: 'notes ' },
    ],
    [
      'NUL on posix',
      [file('/s/a\u0000b')],
      posix,
      'a\u0000b',
      { kind: 'reserved-character', name: 'a\u0000b', character: '\u0000' },
    ],
    ['a name that is ".."', [file('/s/..')], posix, '..', { kind: 'outside-target' }],
    [
      'a file Dropbox can only export',
      [file('/s/Plan.gdoc', { isDownloadable: false })],
      posix,
      'Plan.gdoc',
      { kind: 'not-downloadable' },
    ],
  ])('%s', (_name, entries, pathApi, relativePath, reason) => {
    const plan = problemsOf(entries, pathApi);
    expect(plan.files).toEqual([]);
    expect(plan.problems).toEqual([expect.objectContaining({ kind: 'file', relativePath, reason })]);
  });

  test('windows names are fine on posix', () => {
    const plan = problemsOf([file('/s/a:b.txt'), file('/s/CON'), file('/s/x.')], posix);
    expect(plan.problems).toEqual([]);
    expect(plan.files).toHaveLength(3);
  });

  test('an empty folder with a bad name is a folder problem', () => {
    const plan = problemsOf([folder('/s/what?')], win32);
    expect(plan.folders).toEqual([]);
    expect(plan.problems).toEqual([
      expect.objectContaining({ kind: 'folder', relativePath: 'what?', size: 0, contentHash: '' }),
    ]);
  });

  test('two names that meet on a case-insensitive file system both fail, each naming the other', () => {
    const plan = problemsOf([file('/s/caf\u00e9.txt'), file('/s/cafe\u0301.txt'), file('/s/ok.txt')], posix);
    expect(plan.files.map((f) => f.relativePath)).toEqual(['ok.txt']);
    expect(plan.problems).toEqual([
      expect.objectContaining({
        dropboxPath: '/s/cafe\u0301.txt',
        reason: { kind: 'case-collision', others: ['/s/caf\u00e9.txt'] },
        localPath: '/out/cafe\u0301.txt',
      }),
      expect.objectContaining({
        dropboxPath: '/s/caf\u00e9.txt',
        reason: { kind: 'case-collision', others: ['/s/cafe\u0301.txt'] },
      }),
    ]);
  });

  test('a file whose local path is a folder another file needs fails, naming the folder', () => {
    const plan = problemsOf([file('/s/ΟΔΟΣ'), folder('/s/οδος'), file('/s/οδος/x.txt')], posix);
    expect(plan.files.map((f) => f.relativePath)).toEqual(['οδος/x.txt']);
    expect(plan.problems).toEqual([
      expect.objectContaining({
        dropboxPath: '/s/ΟΔΟΣ',
        reason: { kind: 'case-collision', others: ['/s/οδος'] },
      }),
    ]);
  });

  test('problems and files come out in code-point order', () => {
    const plan = problemsOf([file('/s/b?'), file('/s/a'), file('/s/A?'), file('/s/c')], win32);
    expect(plan.files.map((f) => f.relativePath)).toEqual(['a', 'c']);
    expect(plan.problems.map((p) => p.relativePath)).toEqual(['A?', 'b?']);
  });
});
