/**
 * The bundled dist/restore.js, run as the Actions runner runs it (restore/action.yml): a child process with
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and Dropbox traffic sent to the fake server.
 * Ends with the round trip: a tree uploaded with dist/index.js comes back the same with dist/restore.js.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import {
  annotationsIn,
  bundledRestore,
  runAction,
  type ActionRun,
  type Annotation,
} from '../../../scripts/action-runner.ts';
import { makeTree, MiB, patternBytes, type Tree } from '../../support/tree.ts';

const APP = { key: 'e2e-restore-key', secret: 'e2e-restore-secret-value' };
let server: FakeDropbox;
const workspaces: string[] = [];

/** The tree in Dropbox, with the times an uploader gave each file. */
const tree: Record<string, { content: Buffer; clientModified: string }> = {
  'index.html': { content: Buffer.from('<h1>site</h1>'), clientModified: '2026-01-02T03:04:05Z' },
  'docs/résumé 2026 – final.txt': {
    content: Buffer.from('unicode and spaces'),
    clientModified: '2025-12-31T23:59:59Z',
  },
  'docs/日本語/メモ.txt': { content: Buffer.from('nested unicode'), clientModified: '2026-02-03T04:05:06Z' },
  'a/b/c/deep file.txt': { content: Buffer.from('deep'), clientModified: '2026-03-04T05:06:07Z' },
  'empty.txt': { content: Buffer.alloc(0), clientModified: '2026-04-05T06:07:08Z' },
  '.env.example': { content: Buffer.from('KEY=value'), clientModified: '2026-05-06T07:08:09Z' },
  'big/archive.bin': { content: patternBytes(9 * MiB + 4321, 7), clientModified: '2026-06-07T08:09:10Z' },
};

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  for (const [name, file] of Object.entries(tree))
    server.putFile(`/trees/site/${name}`, file.content, { clientModified: file.clientModified });
  server.createFolder('/trees/site/empty folder');
  server.createFolder('/trees/site/a/b/empty too');
  for (const stamp of ['2026-11-21T02-00-00Z', '2026-11-23T02-00-00Z', '2026-11-22T02-00-00Z'])
    server.putFile(`/backups/shop/${stamp}/db.sql`, `dump of ${stamp}`);
  server.createFolder('/backups/shop/manual');
});
afterAll(async () => {
  await server.close();
  await Promise.all(workspaces.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function workspace(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'dbx-restore-e2e-'));
  workspaces.push(folder);
  return folder;
}

function refreshInputs(): Record<string, string> {
  return {
    'refresh-token': server.issueRefreshToken({ appKey: APP.key }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
}

/** The restore in `root`, as a job in the repository acme/shop runs it. */
function restore(root: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    bundle: bundledRestore,
    inputs,
    workspace: root,
    fakeDropboxUrl: server.url,
    env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_REF: 'refs/heads/main' },
  });
}

const annotations = (run: ActionRun, level: 'error' | 'warning' | 'notice'): Annotation[] =>
  annotationsIn(run.stdout, level);
const titled = (run: ActionRun, level: 'error' | 'warning' | 'notice'): Annotation[] =>
  annotations(run, level).filter((annotation) => annotation.title !== '');

/** Everything the process printed or wrote, less the add-mask commands that hand secrets to the runner. */
function everythingShown(run: ActionRun): string {
  const printed = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return `${printed}\n${JSON.stringify(run.outputs)}\n${run.summary}`;
}

function expectNoSecrets(run: ActionRun, secrets: string[]): void {
  const shown = everythingShown(run);
  for (const secret of secrets) expect(shown).not.toContain(secret);
  expect(shown).not.toMatch(/sl\.[A-Za-z0-9_-]{12,}/);
}

interface FileEntry {
  dropboxPath: string;
  path: string;
  size: number;
  contentHash: string;
  status: string;
  reason?: string;
  error?: string;
}

const filesOf = (run: ActionRun): FileEntry[] => JSON.parse(run.outputs['files'] ?? '[]') as FileEntry[];

/** Every file and folder under `folder`: relative path with `/`, `dir` or the bytes. */
async function treeUnder(folder: string): Promise<Map<string, Buffer | 'dir'>> {
  const found = new Map<string, Buffer | 'dir'>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, full).split(path.sep).join('/');
    found.set(relative, entry.isDirectory() ? 'dir' : await readFile(full));
  }
  return found;
}

const downloadsSince = (since: number): number =>
  server.requests.filter((entry) => entry.seq > since && entry.route === 'files/download').length;
const lastSeq = (): number => server.requests.at(-1)?.seq ?? 0;

describe('dist/restore.js as the runner runs it', () => {
  test('restores a tree byte-exact with its times: unicode, spaces, nesting, empty files and folders, ranges', async () => {
    const root = await workspace();
    const credentials = refreshInputs();
    const run = await restore(root, {
      source: '/trees/site',
      path: 'restored',
      'chunk-size': '4',
      ...credentials,
    });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const target = path.join(root, 'restored');
    const restored = await treeUnder(target);
    for (const [name, file] of Object.entries(tree)) {
      expect([name, (restored.get(name) as Buffer | undefined)?.equals(file.content)]).toEqual([name, true]);
      expect([name, (await stat(path.join(target, name))).mtime.toISOString()]).toEqual([
        name,
        new Date(file.clientModified).toISOString(),
      ]);
    }
    expect(restored.get('empty folder')).toBe('dir');
    expect(restored.get('a/b/empty too')).toBe('dir');
    expect([...restored.keys()].filter((name) => name.includes('.dropbox-restore-'))).toEqual([]);
    expect(run.outputs).toMatchObject({
      'downloaded-count': String(Object.keys(tree).length),
      'skipped-count': '0',
      'failed-count': '0',
      'downloaded-bytes': String(Object.values(tree).reduce((sum, file) => sum + file.content.length, 0)),
      source: '/trees/site',
      path: target,
    });
    expect(filesOf(run).map((file) => [file.path, file.status])).toContainEqual([
      'restored/docs/日本語/メモ.txt',
      'downloaded',
    ]);
    expect(run.outputs['files-json']).toMatch(/files\.json$/);
    // The big file came as ranges of 4 MiB.
    const ranged = server.requests.filter(
      (entry) => entry.route === 'files/download' && entry.range !== undefined,
    );
    expect(ranged.length).toBeGreaterThanOrEqual(3);
    expect(run.summary).toContain('## Dropbox restore');
    expect(run.summary).toMatch(/\| *Dropbox path *\| *Local path *\| *Size *\| *Status *\|/);
    expect(run.summary).toContain('résumé 2026 – final.txt');
    for (const group of ['Inputs', 'Find the source', 'Plan', 'Download', 'Report'])
      expect(run.stdout).toContain(`::group::${group}`);
    expectNoSecrets(run, [credentials['refresh-token']!, APP.secret]);
  });

  test.each<[Record<string, string>, string, string]>([
    [{ source: '' }, 'source', 'is required'],
    [{ source: '/a/../b' }, 'source', '"/a/../b"'],
    [{ source: '/b/{nope}' }, 'source', '"/b/{nope}"'],
    [{ source: '/backups/{date}/db' }, 'source', '"/backups/{date}/db"'],
    [{ path: '   ' }, 'path', '"   "'],
    [{ include: '../etc' }, 'include', '"../etc"'],
    [{ 'if-exists': 'rename' }, 'if-exists', '"rename"'],
    [{ 'skip-unchanged': 'maybe' }, 'skip-unchanged', '"maybe"'],
    [{ 'chunk-size': '10' }, 'chunk-size', '"10"'],
    [{ 'chunk-size': ' ' }, 'chunk-size', '" "'],
    [{ concurrency: '0' }, 'concurrency', '"0"'],
    [{ 'max-attempts': '0' }, 'max-attempts', '"0"'],
    [{ 'request-timeout': '1.5' }, 'request-timeout', '"1.5"'],
    [{ 'dry-run': 'on' }, 'dry-run', '"on"'],
    [{ namespace: 'ns:1' }, 'namespace', '"ns:1"'],
    [{ 'select-user': 'bob' }, 'select-user', '"bob"'],
    [{ 'refresh-token': 'abc\u200bdef' }, 'refresh-token', 'U+200B'],
  ])('bad input %j fails before any request, naming the input and the value', async (bad, name, shown) => {
    const root = await workspace();
    const before = server.requests.length;
    const run = await restore(root, { source: '/trees/site', ...refreshInputs(), ...bad });
    expect(run.exitCode).toBe(1);
    const [error] = annotations(run, 'error');
    expect(error?.message).toContain(`"${name}"`);
    expect(error?.message).toContain(shown);
    expect(server.requests.length).toBe(before);
    expect(await readdir(root)).toEqual([]);
  });

  test.each([
    ['skip', 0, 'skipped', 'local copy'],
    ['fail', 1, 'failed', 'local copy'],
    ['overwrite', 0, 'downloaded', '<h1>site</h1>'],
  ])('if-exists: %s with a local file at the target', async (mode, exitCode, status, content) => {
    const root = await workspace();
    await mkdir(path.join(root, 'out'));
    await writeFile(path.join(root, 'out', 'index.html'), 'local copy');
    const run = await restore(root, {
      source: '/trees/site/index.html',
      path: 'out',
      'if-exists': mode,
      ...refreshInputs(),
    });
    expect(run.exitCode).toBe(exitCode);
    expect(filesOf(run).map((file) => file.status)).toEqual([status]);
    expect(await readFile(path.join(root, 'out', 'index.html'), 'utf8')).toBe(content);
    if (mode === 'fail') {
      expect(titled(run, 'error')).toEqual([expect.objectContaining({ title: 'Local file already exists' })]);
      expect(run.stdout).toMatch(/1 of 1 file\(s\) were not restored/);
    }
  });

  test('skip-unchanged: a local copy with the same content is not downloaded; a changed one is', async () => {
    const root = await workspace();
    await mkdir(path.join(root, 'docs'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), tree['index.html']!.content);
    await writeFile(path.join(root, 'empty.txt'), 'not empty any more');
    const since = lastSeq();
    const run = await restore(root, {
      source: '/trees/site',
      include: 'index.html\nempty.txt',
      ...refreshInputs(),
    });
    expect(run.exitCode).toBe(0);
    expect(
      Object.fromEntries(
        filesOf(run).map((file) => [file.path, `${file.status} ${file.reason ?? ''}`.trim()]),
      ),
    ).toEqual({
      'empty.txt': 'downloaded',
      'index.html': 'skipped unchanged',
    });
    expect(downloadsSince(since)).toBe(1);
    expect(await readFile(path.join(root, 'empty.txt'))).toEqual(Buffer.alloc(0));
  });

  test('placeholders restore the newest matching sibling', async () => {
    const root = await workspace();
    const run = await restore(root, { source: '/backups/{repo}/{datetime}', path: 'db', ...refreshInputs() });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['source']).toBe('/backups/shop/2026-11-23T02-00-00Z');
    expect(await readFile(path.join(root, 'db', 'db.sql'), 'utf8')).toBe('dump of 2026-11-23T02-00-00Z');
    expect(run.stdout).toContain('resolved to /backups/shop/2026-11-23T02-00-00Z');
  });

  test('nothing matches: the step fails naming the pattern and what it found, and writes nothing', async () => {
    const root = await workspace();
    const run = await restore(root, {
      source: '/backups/{repo}/nightly-{date}',
      path: 'db',
      ...refreshInputs(),
    });
    expect(run.exitCode).toBe(1);
    const errors = titled(run, 'error');
    expect(errors).toEqual([expect.objectContaining({ title: 'No matching backup in Dropbox' })]);
    expect(errors[0]?.message).toContain('"/backups/shop" matches "nightly-{date}"');
    expect(errors[0]?.message).toContain('"2026-11-23T02-00-00Z"');
    expect(errors[0]?.message).toContain('"manual"');
    expect(await readdir(root)).toEqual([]);
  });

  test('a dry run lists what would be written, writes nothing and downloads nothing', async () => {
    const root = await workspace();
    await writeFile(path.join(root, 'keep.txt'), 'untouched');
    const before = await treeUnder(root);
    const since = lastSeq();
    const run = await restore(root, {
      source: '/trees/site',
      path: 'restored',
      'dry-run': 'true',
      ...refreshInputs(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['downloaded-count']).toBe(String(Object.keys(tree).length));
    expect(filesOf(run).every((file) => file.status === 'downloaded')).toBe(true);
    expect(run.stdout).toContain('would download /trees/site/index.html → restored/index.html');
    expect(run.stdout).toContain(
      'would create empty folder /trees/site/empty folder → restored/empty folder/',
    );
    expect(run.summary).toContain('Dropbox restore (dry run)');
    expect(await treeUnder(root)).toEqual(before);
    expect(downloadsSince(since)).toBe(0);
  });

  test('hostile names are restored as data and never form a workflow command', async () => {
    server.putFile('/hostile/\n::error::x.txt', 'newline name');
    server.putFile('/hostile/pipe | name.txt', 'pipe name');
    server.putFile('/hostile/::warning::y', 'colons');
    const root = await workspace();
    const run = await restore(root, { source: '/hostile', ...refreshInputs() });
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(root, '\n::error::x.txt'), 'utf8')).toBe('newline name');
    expect(await readFile(path.join(root, 'pipe | name.txt'), 'utf8')).toBe('pipe name');
    expect(annotations(run, 'error')).toEqual([]);
    expect(annotations(run, 'warning')).toEqual([]);
    expect(run.stdout).not.toMatch(/^::error::x/m);
    expect(run.stdout).not.toMatch(/^::warning::y/m);
    expect(run.stdout).toContain('\\n::error::x.txt');
    // The summary is Markdown: a pipe cannot break its table, a line break cannot start a new line.
    expect(run.summary).toContain('pipe \\| name.txt');
    expect(run.summary).not.toMatch(/^::error::x/m);
  });

  test('a token without files.content.read: one annotation names that permission; nothing is written', async () => {
    const root = await workspace();
    const run = await restore(root, {
      source: '/trees/site',
      'refresh-token': server.issueRefreshToken({ appKey: APP.key, scopes: ['files.metadata.read'] }),
      'app-key': APP.key,
      'app-secret': APP.secret,
    });
    expect(run.exitCode).toBe(1);
    const errors = titled(run, 'error');
    expect(errors).toEqual([expect.objectContaining({ title: 'Dropbox app is missing a permission' })]);
    expect(errors[0]?.message).toContain('"files.content.read"');
    expect(
      (await treeUnder(root)).size === 0 || [...(await treeUnder(root)).values()].every((v) => v === 'dir'),
    ).toBe(true);
  });

  test('an access token that expired mid-run is refreshed once and the restore goes on', async () => {
    const root = await workspace();
    const credentials = refreshInputs();
    const since = lastSeq();
    server.faults.add({ route: 'files/download', nth: 2, action: { kind: 'expire-token' } });
    const run = await restore(root, { source: '/trees/site', path: 'r', ...credentials });
    server.faults.clear();
    expect(run.exitCode).toBe(0);
    expect(run.outputs['failed-count']).toBe('0');
    const tokens = server.requests.filter((entry) => entry.seq > since && entry.route === 'oauth2/token');
    expect(tokens).toHaveLength(2);
    expectNoSecrets(run, [credentials['refresh-token']!, APP.secret]);
  });
});

describe('the round trip: dist/index.js up, dist/restore.js back', () => {
  let original: Tree;
  let back: Map<string, Buffer | 'dir'>;
  let restoredRoot: string;

  beforeAll(async () => {
    original = await makeTree({
      'site/index.html': '<h1>round trip</h1>',
      'site/docs/résumé 2026 – final.txt': 'unicode and spaces',
      'site/docs/日本語/メモ.txt': 'nested unicode',
      'site/a/b/c/deep.txt': 'deep',
      'site/empty.txt': '',
      'site/.hidden/config': 'hidden',
      'site/big/archive.bin': 9 * MiB + 17,
    });
    await mkdir(original.file('site/empty folder'));
    await mkdir(original.file('site/a/b/empty too'));
    // Times a second apart, in the past, as a build leaves them.
    let second = 0;
    for (const [name] of await treeUnder(original.file('site'))) {
      const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5 + second++));
      await utimes(original.file(`site/${name}`), when, when);
    }
    const up = await runAction({
      inputs: { path: 'site', destination: '/roundtrip', 'include-hidden-files': 'true', ...refreshInputs() },
      workspace: original.root,
      fakeDropboxUrl: server.url,
    });
    expect(up.exitCode).toBe(0);
    restoredRoot = await workspace();
    const down = await restore(restoredRoot, { source: '/roundtrip', path: 'site', ...refreshInputs() });
    expect([down.exitCode, titled(down, 'error')]).toEqual([0, []]);
    back = await treeUnder(path.join(restoredRoot, 'site'));
  });
  afterAll(() => original.cleanup());

  test('the same file names and bytes', async () => {
    const sent = await treeUnder(original.file('site'));
    const files = (map: Map<string, Buffer | 'dir'>): [string, string][] =>
      [...map]
        .filter(([, value]) => value !== 'dir')
        .map(([name, value]): [string, string] => [name, (value as Buffer).toString('base64')])
        .sort();
    expect(files(back)).toEqual(files(sent));
  });

  test('the same modification times, to the second', async () => {
    for (const [name, value] of await treeUnder(original.file('site'))) {
      if (value === 'dir') continue;
      const sent = Math.floor((await stat(original.file(`site/${name}`))).mtimeMs / 1000);
      const got = Math.floor((await stat(path.join(restoredRoot, 'site', name))).mtimeMs / 1000);
      expect([name, got]).toEqual([name, sent]);
    }
  });

  test('the same empty folders, and no others', async () => {
    expect(back.get('empty folder')).toBe('dir');
    expect(back.get('a/b/empty too')).toBe('dir');
    const folders = async (map: Map<string, Buffer | 'dir'>): Promise<string[]> =>
      [...map]
        .filter(([, value]) => value === 'dir')
        .map(([name]) => name)
        .sort();
    return expect(folders(back)).resolves.toEqual(await folders(await treeUnder(original.file('site'))));
  });
});
