import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { contentHashOfBlocks } from '../../fake-dropbox/content-hash.ts';
import { ContentHasher, dropboxContentHash } from '../../fake-dropbox/index.ts';
import { bytes, BLOCK } from './helpers.ts';

// The project's own copy if there is one, else the shared test data next to the checkout.
const RUBY_PNG = [
  new URL('../fixtures/ruby.png', import.meta.url),
  new URL('../../../shared/testdata/content-hash/ruby.png', import.meta.url),
].find((candidate) => existsSync(candidate));

describe('dropboxContentHash', () => {
  test('reproduces the ruby.png vector from dropbox-api-content-hasher', () => {
    if (!RUBY_PNG) throw new Error('ruby.png not found: copy it to __tests__/fixtures/ruby.png');
    const data = readFileSync(RUBY_PNG);
    expect(data.length).toBe(57_610);
    expect(dropboxContentHash(data)).toBe('78a5497e5094c82060997bd21c3a1233fb3e783c08c0b2ec9a3b32fcb5635e66');
    expect(createHash('sha256').update(data).digest('hex')).not.toBe(dropboxContentHash(data));
  });

  test('hashes empty input to the SHA-256 of nothing (no blocks)', () => {
    expect(dropboxContentHash(Buffer.alloc(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  test('is SHA-256 over the concatenated 4 MiB block digests', () => {
    const data = bytes(2 * BLOCK + 123);
    const blocks = [data.subarray(0, BLOCK), data.subarray(BLOCK, 2 * BLOCK), data.subarray(2 * BLOCK)];
    const expected = createHash('sha256')
      .update(Buffer.concat(blocks.map((block) => createHash('sha256').update(block).digest())))
      .digest('hex');
    expect(dropboxContentHash(data)).toBe(expected);

    // Fed in pieces that straddle block boundaries, the incremental hasher agrees.
    const hasher = new ContentHasher();
    for (let offset = 0; offset < data.length; offset += 1_000_003)
      hasher.update(data.subarray(offset, offset + 1_000_003));
    expect(hasher.digest()).toBe(expected);
  });

  test('an exact block multiple has no trailing empty block', () => {
    const data = bytes(BLOCK);
    const expected = createHash('sha256').update(createHash('sha256').update(data).digest()).digest('hex');
    expect(dropboxContentHash(data)).toBe(expected);
  });

  test('block digests of 4 MiB-aligned pieces give the hash of the whole without reading it again', () => {
    const data = bytes(2 * BLOCK + 777, 3);
    const pieces = [data.subarray(0, BLOCK), data.subarray(BLOCK, 2 * BLOCK), data.subarray(2 * BLOCK)];
    const digests = pieces.flatMap((piece) => {
      const hasher = new ContentHasher().update(piece);
      hasher.digest();
      return [...hasher.blockDigests];
    });
    expect(digests).toHaveLength(3);
    expect(contentHashOfBlocks(digests)).toBe(dropboxContentHash(data));
    expect(contentHashOfBlocks([])).toBe(dropboxContentHash(Buffer.alloc(0)));
  });
});
