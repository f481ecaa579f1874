/**
 * The restore's side of the local file system, in real temp dirs: what is at a path, folders made inside
 * the target without following a link out of it, the temporary names, and a local file's content hash.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import { LocalPathBlockedError, LocalWriteError } from '../../../src/transfer/download-errors.ts';
import {
  folderWouldBeBlocked,
  localContentHash,
  localEntryAt,
  LocalFolders,
  temporaryPathFor,
  type LocalEntry,
} from '../../../src/transfer/local-target.ts';
import { MiB, patternBytes } from '../../support/tree.ts';
import { SocketEntries } from '../../support/sockets.ts';

/** Names a restore may meet: Unicode in both normal forms, spaces, and text that looks like a workflow command. */
const NAMES = [
  'plain',
  'with space',
  'résumé (1)',
  'e\u0301 decomposed',
  '日本語のフォルダ',
  '🎉 emoji',
  'a\n::error::x',
  '::warning file=x::y',
  '-rf',
  '..dots',
  '%2e%2e',
];

let root: string;
const sockets = new SocketEntries();
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dbx-local-'));
});
afterEach(async () => {
  await sockets.closeAll();
  await rm(root, { recursive: true, force: true });
});

/** A Unix socket: an entry that is neither a file, a folder nor a link. */
const socketAt = (socketPath: string): Promise<void> => sockets.at(socketPath);

/** Every entry under `folder`, relative, with `/`. */
async function entriesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true });
  return entries.map((entry) => entry.split(path.sep).join('/')).sort();
}

describe('localEntryAt', () => {
  test.each<[string, (at: string) => Promise<unknown>, LocalEntry]>([
    ['nothing', async () => undefined, { kind: 'none' }],
    ['a file', (at) => writeFile(at, 'five!'), { kind: 'file', size: 5 }],
    ['an empty file', (at) => writeFile(at, ''), { kind: 'file', size: 0 }],
    ['a folder', (at) => mkdir(at), { kind: 'folder' }],
    [
      'a link to a file, not followed',
      async (at) => {
        await writeFile(`${at}.real`, 'x');
        await symlink(`${at}.real`, at);
      },
      { kind: 'symbolic link' },
    ],
    [
      'a link to a folder, not followed',
      async (at) => {
        await mkdir(`${at}.real`);
        await symlink(`${at}.real`, at);
      },
      { kind: 'symbolic link' },
    ],
    ['a dangling link', (at) => symlink(path.join(root, 'gone'), at), { kind: 'symbolic link' }],
    ['a socket', (at) => socketAt(at), { kind: 'other' }],
  ])('%s', async (_name, make, expected) => {
    const at = path.join(root, 'entry');
    await make(at);
    expect(await localEntryAt(at)).toEqual(expected);
  });

  test.each(NAMES)('a file named %j', async (name) => {
    await writeFile(path.join(root, name), 'abc');
    expect(await localEntryAt(path.join(root, name))).toEqual({ kind: 'file', size: 3 });
    expect(await localEntryAt(path.join(root, `${name}-not-there`))).toEqual({ kind: 'none' });
  });

  test.each([
    ['just below', ['child']],
    ['deeper below', ['child', 'grandchild.txt']],
  ])('a path %s a file: the file is named as what is in the way', async (_where, segments) => {
    await writeFile(path.join(root, 'file'), 'x');
    const error = await localEntryAt(path.join(root, 'file', ...segments)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalPathBlockedError);
    expect(error).toMatchObject({ localPath: path.join(root, 'file'), found: 'file', needed: 'folder' });
  });
});

describe('LocalFolders', () => {
  test.each([
    ['the target itself', ''],
    ['one folder', 'a'],
    ['nested folders', 'a/b/c/d'],
    ...NAMES.map((name) => [`a folder named ${JSON.stringify(name)}`, `${name}/inner ${name}`]),
  ])('makes %s, and nothing else', async (_name, relative) => {
    const target = path.join(root, 'target');
    const folder = path.join(target, ...relative.split('/').filter((segment) => segment !== ''));
    await new LocalFolders(target).ensure(folder);
    expect((await stat(folder)).isDirectory()).toBe(true);
    const expected =
      relative === '' ? [] : relative.split('/').map((_, depth, all) => all.slice(0, depth + 1).join('/'));
    expect(await entriesUnder(target)).toEqual(expected.sort());
  });

  test('a missing target is made with its parents', async () => {
    const target = path.join(root, 'deep', 'er', 'target');
    await new LocalFolders(target).ensure(path.join(target, 'sub'));
    expect((await stat(path.join(target, 'sub'))).isDirectory()).toBe(true);
  });

  test('existing folders are fine, and ensure may be asked again', async () => {
    const target = path.join(root, 'target');
    await mkdir(path.join(target, 'a', 'b'), { recursive: true });
    const folders = new LocalFolders(target);
    await folders.ensure(path.join(target, 'a', 'b', 'c'));
    await folders.ensure(path.join(target, 'a', 'b', 'c'));
    await folders.ensure(path.join(target, 'a'));
    expect(await entriesUnder(target)).toEqual(['a', 'a/b', 'a/b/c']);
  });

  test('many files in the same folders at once: each folder made once, all of them there', async () => {
    const target = path.join(root, 'target');
    const folders = new LocalFolders(target);
    const wanted = Array.from({ length: 40 }, (_, index) =>
      path.join(target, `x${index % 4}`, `y${index % 8}`),
    );
    await Promise.all(wanted.map((folder) => folders.ensure(folder)));
    for (const folder of wanted) expect((await stat(folder)).isDirectory()).toBe(true);
    expect(await entriesUnder(target)).toHaveLength(4 + 8);
  });

  test('a link to a folder as the target is the caller’s choice: followed', async () => {
    const real = path.join(root, 'real');
    await mkdir(real);
    const target = path.join(root, 'linked');
    await symlink(real, target);
    await new LocalFolders(target).ensure(path.join(target, 'sub'));
    expect(await entriesUnder(real)).toEqual(['sub']);
  });

  test('a link inside the target is never followed: nothing is made outside it', async () => {
    const target = path.join(root, 'target');
    const outside = path.join(root, 'outside');
    await mkdir(target);
    await mkdir(outside);
    await symlink(outside, path.join(target, 'escape'));
    const error = await new LocalFolders(target)
      .ensure(path.join(target, 'escape', 'sub'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalPathBlockedError);
    expect(error).toMatchObject({
      localPath: path.join(target, 'escape'),
      found: 'symbolic link',
      needed: 'folder',
    });
    expect(await readdir(outside)).toEqual([]);
  });

  test.each<[string, (at: string) => Promise<unknown>, LocalPathBlockedError['found']]>([
    ['a file', (at) => writeFile(at, 'x'), 'file'],
    ['a socket', (at) => socketAt(at), 'other'],
  ])('%s where a folder is needed is in the way, and names its path', async (_name, make, found) => {
    const target = path.join(root, 'target');
    await mkdir(path.join(target, 'a'), { recursive: true });
    const blocked = path.join(target, 'a', 'b');
    await make(blocked);
    await expect(new LocalFolders(target).ensure(path.join(blocked, 'c'))).rejects.toMatchObject({
      name: 'LocalPathBlockedError',
      localPath: blocked,
      found,
      needed: 'folder',
    });
  });

  test('a file as the target is in the way', async () => {
    const target = path.join(root, 'target');
    await writeFile(target, 'x');
    await expect(new LocalFolders(target).ensure(path.join(target, 'a'))).rejects.toMatchObject({
      name: 'LocalPathBlockedError',
      localPath: target,
      found: 'file',
      needed: 'folder',
    });
  });

  test('a target below a file fails, naming the file in the way', async () => {
    await writeFile(path.join(root, 'file'), 'x');
    const target = path.join(root, 'file', 'target');
    const error = await new LocalFolders(target).ensure(target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalPathBlockedError);
    expect(error).toMatchObject({ localPath: path.join(root, 'file'), found: 'file' });
    // The dry run's check finds the same.
    await expect(folderWouldBeBlocked(target, target)).rejects.toMatchObject({
      localPath: path.join(root, 'file'),
      found: 'file',
    });
  });

  test.each([
    ['the target’s parent', (target: string) => path.dirname(target)],
    ['a sibling of the target', (target: string) => path.join(path.dirname(target), 'sibling')],
    ['a path that climbs out', (target: string) => path.join(target, 'a', '..', '..', 'out')],
  ])('%s is outside: refused, nothing made', async (_name, outside) => {
    const target = path.join(root, 'target');
    const folder = outside(target);
    await expect(new LocalFolders(target).ensure(folder)).rejects.toMatchObject({
      name: 'LocalPathBlockedError',
      localPath: folder,
      found: 'other',
    });
    expect(await readdir(root)).toEqual([]);
  });

  test('a failure is remembered for the folder: later files in it fail the same way', async () => {
    const target = path.join(root, 'target');
    await mkdir(target);
    await writeFile(path.join(target, 'a'), 'x');
    const folders = new LocalFolders(target);
    const first = await folders.ensure(path.join(target, 'a', 'b')).catch((caught: unknown) => caught);
    const again = await folders.ensure(path.join(target, 'a', 'c')).catch((caught: unknown) => caught);
    expect(first).toBeInstanceOf(LocalPathBlockedError);
    expect(again).toBe(first);
  });
});

describe('folderWouldBeBlocked', () => {
  interface Row {
    name: string;
    /** Made under the temp root before the check (`/` separated; `name/` for a folder, `name@` for a link). */
    existing: string[];
    folder: string;
    /** Where it is blocked and by what, or undefined. */
    blocked?: [string, LocalPathBlockedError['found']];
  }
  test.each<Row>([
    { name: 'no target yet', existing: [], folder: 'target/a/b' },
    { name: 'an empty target', existing: ['target/'], folder: 'target/a/b' },
    { name: 'the target itself', existing: ['target/'], folder: 'target' },
    { name: 'folders that exist', existing: ['target/a/b/'], folder: 'target/a/b' },
    { name: 'the first folder missing', existing: ['target/a/'], folder: 'target/a/b/c' },
    { name: 'a file as the target', existing: ['target'], folder: 'target/a', blocked: ['target', 'file'] },
    {
      name: 'a file on the way',
      existing: ['target/a/b'],
      folder: 'target/a/b/c',
      blocked: ['target/a/b', 'file'],
    },
    {
      name: 'a file at the folder',
      existing: ['target/a'],
      folder: 'target/a',
      blocked: ['target/a', 'file'],
    },
    {
      name: 'a link on the way',
      existing: ['target/', 'elsewhere/', 'target/a@'],
      folder: 'target/a/b',
      blocked: ['target/a', 'symbolic link'],
    },
    { name: 'a link as the target', existing: ['elsewhere/', 'target@'], folder: 'target/a' },
    {
      name: 'a folder outside the target',
      existing: ['target/'],
      folder: 'elsewhere',
      blocked: ['elsewhere', 'other'],
    },
    ...NAMES.map((name) => ({
      name: `names like ${JSON.stringify(name)}`,
      existing: [`target/${name}/`],
      folder: `target/${name}/sub`,
    })),
    ...NAMES.map((name) => ({
      name: `a file named ${JSON.stringify(name)} on the way`,
      existing: [`target/${name}`],
      folder: `target/${name}/sub`,
      blocked: [`target/${name}`, 'file'] as [string, 'file'],
    })),
  ])('$name', async ({ existing, folder, blocked }) => {
    const at = (relative: string): string => path.join(root, ...relative.split('/'));
    for (const entry of existing) {
      if (entry.endsWith('/')) await mkdir(at(entry.slice(0, -1)), { recursive: true });
      else if (entry.endsWith('@')) await symlink(at('elsewhere'), at(entry.slice(0, -1)));
      else {
        await mkdir(path.dirname(at(entry)), { recursive: true });
        await writeFile(at(entry), 'x');
      }
    }
    const before = await entriesUnder(root);
    const found = await folderWouldBeBlocked(at('target'), at(folder));
    if (blocked === undefined) expect(found).toBeUndefined();
    else {
      expect(found).toBeInstanceOf(LocalPathBlockedError);
      expect(found).toMatchObject({ localPath: at(blocked[0]), found: blocked[1], needed: 'folder' });
    }
    expect(await entriesUnder(root)).toEqual(before);
  });

  test('agrees with LocalFolders.ensure on what blocks it', async () => {
    const target = path.join(root, 'target');
    await mkdir(path.join(target, 'a'), { recursive: true });
    await writeFile(path.join(target, 'a', 'b'), 'x');
    const folder = path.join(target, 'a', 'b', 'c');
    const predicted = await folderWouldBeBlocked(target, folder);
    const met = await new LocalFolders(target).ensure(folder).catch((caught: unknown) => caught);
    expect(met).toEqual(predicted);
  });
});

describe('temporaryPathFor', () => {
  const pattern = /^\.dropbox-restore-[0-9a-f]{12}\.part$/;

  test.each([...NAMES, 'x'.repeat(255)])('next to %j, hidden, with a name of its own', (name) => {
    const localPath = path.join(root, 'sub folder', name);
    const temporary = temporaryPathFor(localPath);
    expect(path.dirname(temporary)).toBe(path.dirname(localPath));
    expect(path.basename(temporary)).toMatch(pattern);
  });

  test('the same length whatever the file’s name, and fresh each time', () => {
    const short = temporaryPathFor(path.join(root, 'a'));
    const long = temporaryPathFor(path.join(root, 'a'.repeat(250)));
    expect(path.basename(short)).toHaveLength(path.basename(long).length);
    const many = new Set(Array.from({ length: 200 }, () => temporaryPathFor(path.join(root, 'a'))));
    expect(many.size).toBe(200);
  });
});

describe('localContentHash', () => {
  test.each([
    ['an empty file', 0],
    ['a few bytes', 11],
    ['exactly one block', 4 * MiB],
    ['more than one block', 9 * MiB + 3],
  ])('%s hashes as Dropbox does', async (_name, size) => {
    const bytes = patternBytes(size, size + 1);
    const localPath = path.join(root, 'file');
    await writeFile(localPath, bytes);
    expect(await localContentHash(localPath, size)).toBe(contentHashOfBuffer(bytes));
  });

  test.each(NAMES)('a file named %j', async (name) => {
    const localPath = path.join(root, name);
    await writeFile(localPath, 'content');
    expect(await localContentHash(localPath, 7)).toBe(contentHashOfBuffer(Buffer.from('content')));
  });

  test('only the first `size` bytes count', async () => {
    const localPath = path.join(root, 'file');
    await writeFile(localPath, 'hello world');
    expect(await localContentHash(localPath, 5)).toBe(contentHashOfBuffer(Buffer.from('hello')));
  });

  test.each<[string, (localPath: string) => Promise<unknown>, number, string | undefined]>([
    ['a missing file', async () => undefined, 3, 'ENOENT'],
    ['a folder', (localPath) => mkdir(localPath), 3, 'EISDIR'],
    ['a file shorter than listed', (localPath) => writeFile(localPath, 'ab'), 3, undefined],
  ])('%s: a LocalWriteError for the read', async (_name, make, size, code) => {
    const localPath = path.join(root, 'file');
    await make(localPath);
    const error = await localContentHash(localPath, size).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalWriteError);
    expect(error).toMatchObject({ localPath, operation: 'read', code });
  });

  test('a cancelled hash stays a cancellation', async () => {
    const localPath = path.join(root, 'file');
    await writeFile(localPath, 'abc');
    const reason = new Error('cancelled by the test');
    const cancelled = new AbortController();
    cancelled.abort(reason);
    await expect(localContentHash(localPath, 3, cancelled.signal)).rejects.toBe(reason);
  });
});
