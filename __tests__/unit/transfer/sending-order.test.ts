/** The order a plan is sent in, the first requests' ranges, and hashing those ahead of the transfer. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { PlannedFile } from '../../../src/model.ts';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import type { DigestStore } from '../../../src/transfer/file-digests.ts';
import { firstRanges, rankOf, sendingOrder, startHashingAhead } from '../../../src/transfer/sending-order.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const MiB = 1024 * 1024;

const file = (name: string, size: number, root = '/w'): PlannedFile => ({
  localPath: `${root}/${name}`,
  shownPath: name,
  relativePath: name,
  dropboxPath: `/d/${name}`,
  size,
});

describe('rankOf', () => {
  test.each([
    [0, 0],
    [10, -10],
    [5 * MiB, -5 * MiB],
  ])('a file of %i bytes ranks %i: bigger goes first', (size, rank) => {
    // -0 for an empty file: it ranks with the other empty files either way.
    expect(rankOf(file('f', size)) === rank).toBe(true);
  });
});

describe('sendingOrder', () => {
  test.each<[string, number[], number[]]>([
    ['no files', [], []],
    ['one file', [7], [0]],
    ['bigger first', [1, 3, 2], [1, 2, 0]],
    ['equal sizes keep plan order', [5, 5, 5], [0, 1, 2]],
    ['ties after a bigger one, still in plan order', [2, 9, 2, 0, 9], [1, 4, 0, 2, 3]],
    ['empty files last', [0, 1, 0], [1, 0, 2]],
  ])('%s', (_name, sizes, expected) => {
    const order = sendingOrder(sizes.map((size, index) => file(`f${index}`, size)));
    expect(order).toBeInstanceOf(Uint32Array);
    expect([...order]).toEqual(expected);
  });

  test('a long plan with many ties: every index once, by size, then plan order', () => {
    const sizes = Array.from({ length: 3000 }, (_, index) => (index * 7919) % 13);
    const order = [...sendingOrder(sizes.map((size, index) => file(`f${index}`, size)))];
    const expected = sizes.map((_, index) => index).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    expect(order).toEqual(expected);
  });
});

describe('firstRanges', () => {
  const plan = [file('small-1', 10), file('big', 10 * MiB), file('mid', 5 * MiB), file('small-2', 10)];
  test.each([
    ['nothing', 0, []],
    [
      'the biggest file first, in its request order',
      2,
      [
        ['big', 0, 4 * MiB],
        ['big', 4 * MiB, 4 * MiB],
      ],
    ],
    [
      'then the next biggest; equal sizes in plan order',
      7,
      [
        ['big', 0, 4 * MiB],
        ['big', 4 * MiB, 4 * MiB],
        ['big', 8 * MiB, 2 * MiB],
        ['mid', 0, 4 * MiB],
        ['mid', 4 * MiB, 1 * MiB],
        ['small-1', 0, 10],
        ['small-2', 0, 10],
      ],
    ],
    ['no more than there are', 50, expect.arrayContaining([['small-2', 0, 10]])],
  ])('%s', (_name, count, expected) => {
    const ranges = firstRanges(plan, 4 * MiB, count).map(({ file, range }) => [
      file.relativePath,
      range.offset,
      range.length,
    ]);
    expect(ranges).toEqual(expected);
    expect(ranges.length).toBeLessThanOrEqual(count);
  });

  test('an empty file is one request of no bytes', () => {
    expect(firstRanges([file('empty', 0)], 4 * MiB, 3)).toEqual([
      { file: expect.objectContaining({ relativePath: 'empty' }), range: { offset: 0, length: 0 } },
    ]);
  });

  test('a 4 MiB-aligned file has no closing range of its own', () => {
    expect(firstRanges([file('aligned', 8 * MiB)], 4 * MiB, 5).map(({ range }) => range)).toEqual([
      { offset: 0, length: 4 * MiB },
      { offset: 4 * MiB, length: 4 * MiB },
    ]);
  });
});

describe('startHashingAhead', () => {
  const contents = {
    'small.txt': 'tiny',
    'largest.txt': 'the largest of the three',
    'middle.txt': 'the middle one',
  };
  let tree: Tree;
  let plan: PlannedFile[];
  beforeAll(async () => {
    tree = await makeTree(contents);
    plan = Object.entries(contents).map(([name, text]) => file(name, Buffer.byteLength(text), tree.root));
  });
  afterAll(() => tree.cleanup());

  const whole = (planned: PlannedFile) => ({ offset: 0, length: planned.size });

  async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 5) {
      if (waited > 5000) throw new Error('hashing ahead did not finish');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('hashes the first `concurrency` requests, biggest first, and keeps their bytes for the first send', async () => {
    const byName = (name: string) => plan.find((planned) => planned.relativePath === name)!;
    const [largest, middle, small] = [byName('largest.txt'), byName('middle.txt'), byName('small.txt')];
    const store: DigestStore = startHashingAhead(
      plan,
      { chunkSizeBytes: 4 * MiB, concurrency: 2 },
      new AbortController().signal,
    );
    await until(() => store.of(largest).has(whole(largest)) && store.of(middle).has(whole(middle)));
    expect(store.of(largest).contentHash).toBe(contentHashOfBuffer(Buffer.from(contents['largest.txt'])));
    expect(store.of(middle).takeBytes(whole(middle))?.toString()).toBe(contents['middle.txt']);
    expect(store.of(small).has(whole(small))).toBe(false);
  });

  test('an aborted run hashes nothing ahead', async () => {
    const store = startHashingAhead(plan, { chunkSizeBytes: 4 * MiB, concurrency: 8 }, AbortSignal.abort());
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const planned of plan) expect(store.of(planned).has(whole(planned))).toBe(false);
  });

  test('a file that cannot be read is left to the transfer, without a rejection', async () => {
    const missing = file('missing.txt', 12, tree.root);
    const store = startHashingAhead(
      [missing],
      { chunkSizeBytes: 4 * MiB, concurrency: 2 },
      new AbortController().signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.of(missing).has(whole(missing))).toBe(false);
  });
});
