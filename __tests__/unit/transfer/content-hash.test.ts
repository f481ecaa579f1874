import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  blockDigestsOfRange,
  combineBlockDigests,
  contentHashOfBuffer,
  HASH_BLOCK_BYTES,
} from '../../../src/transfer/content-hash.ts';
import { patternBytes } from '../../support/tree.ts';

const vectorDir = path.resolve('..', 'shared', 'testdata', 'content-hash');
const fixture = path.resolve('__tests__', 'fixtures', 'ruby.png');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hash-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('the official vector: ruby.png hashes to the value in dropbox-api-content-hasher', async () => {
  const bytes = readFileSync(fixture);
  expect(bytes.length).toBe(57610);
  expect(contentHashOfBuffer(bytes)).toBe('78a5497e5094c82060997bd21c3a1233fb3e783c08c0b2ec9a3b32fcb5635e66');
  const copy = path.join(dir, 'ruby.png');
  await copyFile(fixture, copy);
  expect(combineBlockDigests(await blockDigestsOfRange(copy, 0, bytes.length))).toBe(
    '78a5497e5094c82060997bd21c3a1233fb3e783c08c0b2ec9a3b32fcb5635e66',
  );
});

test('the fixture is the shared vector, byte for byte (when shared/ is beside the repo)', () => {
  let shared: Buffer;
  try {
    shared = readFileSync(path.join(vectorDir, 'ruby.png'));
  } catch {
    return;
  }
  expect(shared.equals(readFileSync(fixture))).toBe(true);
});

test('the empty input hashes to SHA-256 of nothing', () => {
  expect(contentHashOfBuffer(Buffer.alloc(0))).toBe(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test.each([
  ['one byte', 1],
  ['exactly one block', HASH_BLOCK_BYTES],
  ['one block and a byte', HASH_BLOCK_BYTES + 1],
  ['three blocks and a bit', 3 * HASH_BLOCK_BYTES + 12345],
])('streamed block digests of a file agree with hashing it whole: %s', async (_name, size) => {
  const bytes = patternBytes(size, size);
  const file = path.join(dir, `f-${size}`);
  await writeFile(file, bytes);
  const digests = await blockDigestsOfRange(file, 0, size);
  expect(digests).toHaveLength(Math.ceil(size / HASH_BLOCK_BYTES));
  expect(combineBlockDigests(digests)).toBe(contentHashOfBuffer(bytes));
});

test('a range hash is the hash of just those bytes', async () => {
  const bytes = patternBytes(3 * HASH_BLOCK_BYTES + 99, 7);
  const file = path.join(dir, 'ranged');
  await writeFile(file, bytes);
  const digests = await blockDigestsOfRange(file, HASH_BLOCK_BYTES, 2 * HASH_BLOCK_BYTES);
  expect(combineBlockDigests(digests)).toBe(
    contentHashOfBuffer(bytes.subarray(HASH_BLOCK_BYTES, 3 * HASH_BLOCK_BYTES)),
  );
});

test('a file shorter than expected is an error, not a silent short hash', async () => {
  const file = path.join(dir, 'short');
  await writeFile(file, 'abc');
  await expect(blockDigestsOfRange(file, 0, 10)).rejects.toThrow(/changed while it was read/);
});
