/** Block digests shared between hashing ahead, the transfer and skip-unchanged: real files in a temp dir. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  blockDigestsOfRange,
  contentHashOfBuffer,
  HASH_BLOCK_BYTES,
} from '../../../src/transfer/content-hash.ts';
import { DigestStore, FileDigests, hashAhead, type BlockReader } from '../../../src/transfer/file-digests.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { patternBytes } from '../../support/tree.ts';

const BLOCK = HASH_BLOCK_BYTES;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'digests-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileOf(name: string, bytes: Buffer): Promise<PlannedFile> {
  const localPath = path.join(dir, name);
  await writeFile(localPath, bytes);
  return { localPath, shownPath: name, relativePath: name, dropboxPath: `/d/${name}`, size: bytes.length };
}

describe('FileDigests', () => {
  test.each([
    ['an empty file', 0],
    ['less than a block', 1000],
    ['whole blocks', 3 * BLOCK],
    ['blocks and a tail, bigger than a chunk', 5 * BLOCK + 17],
  ])('the whole-file hash, in request-sized ranges, is Dropbox’s content hash: %s', async (_name, size) => {
    const bytes = patternBytes(size, size + 1);
    const digests = new FileDigests(await fileOf(`whole-${size}`, bytes));
    expect(await digests.hashAll(2 * BLOCK)).toBe(contentHashOfBuffer(bytes));
    expect(digests.contentHashIfKnown).toBe(contentHashOfBuffer(bytes));
  });

  test('a range is hashed on its own, and nothing else is known until it is', async () => {
    const bytes = patternBytes(3 * BLOCK + 5, 3);
    const digests = new FileDigests(await fileOf('ranges', bytes));
    const second = { offset: BLOCK, length: 2 * BLOCK };
    expect(digests.has(second)).toBe(false);
    expect(() => digests.hashOf(second)).toThrow(/not hashed/);
    await digests.hash(second);
    expect(digests.hashOf(second)).toBe(contentHashOfBuffer(bytes.subarray(BLOCK, 3 * BLOCK)));
    expect(digests.has({ offset: 0, length: BLOCK })).toBe(false);
    expect(digests.contentHashIfKnown).toBe('');
  });

  test('callers asking for the same range at once share one reading of it; a hashed range is not read again', async () => {
    const bytes = patternBytes(2 * BLOCK, 9);
    const reads: string[] = [];
    const countingReader: BlockReader = (localPath, offset, length) => {
      reads.push(`${offset}+${length}`);
      return blockDigestsOfRange(localPath, offset, length);
    };
    const digests = new FileDigests(await fileOf('shared', bytes), countingReader);
    const range = { offset: 0, length: 2 * BLOCK };
    await Promise.all([digests.hash(range), digests.hash(range)]);
    await digests.hash(range);
    expect(await digests.hashAll(2 * BLOCK)).toBe(contentHashOfBuffer(bytes));
    expect(reads).toEqual([`0+${2 * BLOCK}`]);
  });

  test('a cancelled caller stops waiting; a file that cannot be read rejects', async () => {
    const digests = new FileDigests(await fileOf('cancelled', patternBytes(BLOCK, 1)));
    await expect(digests.hash({ offset: 0, length: BLOCK }, AbortSignal.abort())).rejects.toThrow();
    const missing = new FileDigests({
      localPath: path.join(dir, 'missing'),
      shownPath: 'missing',
      relativePath: 'missing',
      dropboxPath: '/d/missing',
      size: 10,
    });
    await expect(missing.hash({ offset: 0, length: 10 })).rejects.toThrow(/ENOENT/);
  });
});

describe('hashAhead', () => {
  test('hashes the ranges it is given, into the store the transfer reads', async () => {
    const bytes = patternBytes(2 * BLOCK + 1, 4);
    const file = await fileOf('ahead', bytes);
    const store = new DigestStore();
    const ranges = [{ file, range: { offset: 0, length: 2 * BLOCK } }];
    await hashAhead(ranges, store, new AbortController().signal);
    expect(store.of(file).has({ offset: 0, length: 2 * BLOCK })).toBe(true);
    expect(store.of(file).has({ offset: 2 * BLOCK, length: 1 })).toBe(false);
  });

  test('stops quietly at a file it cannot read, or when aborted: the transfer reports such files', async () => {
    const store = new DigestStore();
    const missing: PlannedFile = {
      localPath: path.join(dir, 'gone'),
      shownPath: 'gone',
      relativePath: 'gone',
      dropboxPath: '/d/gone',
      size: 10,
    };
    const readable = await fileOf('after-gone', patternBytes(100, 2));
    await expect(
      hashAhead(
        [
          { file: missing, range: { offset: 0, length: 10 } },
          { file: readable, range: { offset: 0, length: 100 } },
        ],
        store,
        new AbortController().signal,
      ),
    ).resolves.toBeUndefined();
    expect(store.of(readable).has({ offset: 0, length: 100 })).toBe(false);
    await expect(
      hashAhead([{ file: readable, range: { offset: 0, length: 100 } }], store, AbortSignal.abort()),
    ).resolves.toBeUndefined();
    expect(store.of(readable).has({ offset: 0, length: 100 })).toBe(false);
  });
});

describe('a small file read once', () => {
  test.each([
    ['a few bytes', 3],
    ['just under the kept size', 64 * 1024 - 1],
    ['the kept size', 64 * 1024],
  ])('%s: hashed from one read, and those bytes are its first request’s body, once', async (_name, size) => {
    const bytes = patternBytes(size, size);
    const file = await fileOf(`kept-${size}`, bytes);
    const digests = new FileDigests(file, blockDigestsOfRange, 64 * 1024);
    const whole = { offset: 0, length: size };
    await digests.hash(whole);
    expect(digests.contentHash).toBe(contentHashOfBuffer(bytes));
    expect(digests.takeBytes(whole)?.equals(bytes)).toBe(true);
    // A retry reads the file again.
    expect(digests.takeBytes(whole)).toBeUndefined();
  });

  test('a bigger file, or a store that keeps nothing, is read as ranges and keeps no bytes', async () => {
    const bigger = await fileOf('not-kept', patternBytes(64 * 1024 + 1, 5));
    const kept = new FileDigests(bigger, blockDigestsOfRange, 64 * 1024);
    await kept.hash({ offset: 0, length: bigger.size });
    expect(kept.takeBytes({ offset: 0, length: bigger.size })).toBeUndefined();
    const small = await fileOf('store-keeps-nothing', patternBytes(10, 6));
    const store = new DigestStore();
    await store.of(small).hash({ offset: 0, length: 10 });
    expect(store.of(small).takeBytes({ offset: 0, length: 10 })).toBeUndefined();
  });

  test('a file that is not the size planned is refused, as a range read would be', async () => {
    const file = await fileOf('grew', patternBytes(20, 7));
    const digests = new FileDigests({ ...file, size: 10 }, blockDigestsOfRange, 64 * 1024);
    await expect(digests.hash({ offset: 0, length: 10 })).rejects.toThrow(/changed while it was read/);
    const shrunk = new FileDigests({ ...file, size: 30 }, blockDigestsOfRange, 64 * 1024);
    await expect(shrunk.hash({ offset: 0, length: 30 })).rejects.toThrow(/changed while it was read/);
  });

  test('a store releases a file’s digests once the transfer is done with it', async () => {
    const file = await fileOf('released', patternBytes(10, 8));
    const store = new DigestStore(64 * 1024);
    await store.of(file).hash({ offset: 0, length: 10 });
    expect(store.size).toBe(1);
    store.release(file);
    expect(store.size).toBe(0);
    expect(store.of(file).has({ offset: 0, length: 10 })).toBe(false);
  });
});
