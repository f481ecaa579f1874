import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes, so a failure can be reproduced byte for byte. */
export function patternBytes(size: number, seed = 1): Buffer {
  const block = randomBytesFromSeed(seed);
  const out = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += block.length)
    block.copy(out, offset, 0, Math.min(block.length, size - offset));
  return out;
}

function randomBytesFromSeed(seed: number): Buffer {
  // A 64 KiB block that differs per seed; repeating it is enough to catch misplaced chunks
  // because its length is not a divisor of any chunk size offset pattern we use (64 KiB + 7).
  const block = Buffer.allocUnsafe(64 * 1024 + 7);
  let state = (seed * 2654435761) >>> 0;
  for (let index = 0; index < block.length; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    block[index] = state >>> 24;
  }
  return block;
}

export interface Tree {
  root: string;
  file(relative: string): string;
  cleanup(): Promise<void>;
}

/** Writes the files into a fresh temp dir; values are contents (string/Buffer) or a byte count. */
export async function makeTree(files: Record<string, string | Buffer | number>): Promise<Tree> {
  const root = await mkdtemp(path.join(tmpdir(), 'dbx-tree-'));
  let seed = 1;
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof content === 'number' ? patternBytes(content, seed++) : content);
  }
  return {
    root,
    file: (relative) => path.join(root, ...relative.split('/')),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
