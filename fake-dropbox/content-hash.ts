import { createHash, type Hash } from 'node:crypto';

/** Dropbox hashes content in 4 MiB blocks; concurrent upload sessions use the same block size. */
export const BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Incremental Dropbox content hash: SHA-256 over the concatenated SHA-256 digests of each 4 MiB block.
 * Incremental so request bodies can be hashed while they stream to disk.
 */
export class ContentHasher {
  #overall: Hash = createHash('sha256');
  #block: Hash | undefined;
  #blockFill = 0;
  readonly #blockDigests: Buffer[] = [];

  /** The SHA-256 of each 4 MiB block so far (complete after digest()). */
  get blockDigests(): readonly Buffer[] {
    return this.#blockDigests;
  }

  update(data: Uint8Array): this {
    let offset = 0;
    while (offset < data.length) {
      this.#block ??= createHash('sha256');
      const take = Math.min(BLOCK_SIZE - this.#blockFill, data.length - offset);
      this.#block.update(data.subarray(offset, offset + take));
      this.#blockFill += take;
      offset += take;
      if (this.#blockFill === BLOCK_SIZE) this.#finishBlock();
    }
    return this;
  }

  digest(): string {
    if (this.#block) this.#finishBlock();
    return this.#overall.digest('hex');
  }

  #finishBlock(): void {
    const digest = this.#block!.digest();
    this.#blockDigests.push(digest);
    this.#overall.update(digest);
    this.#block = undefined;
    this.#blockFill = 0;
  }
}

/** The content hash of bytes whose 4 MiB block digests are known: no need to read the bytes again. */
export function contentHashOfBlocks(blockDigests: readonly Buffer[]): string {
  const overall = createHash('sha256');
  for (const digest of blockDigests) overall.update(digest);
  return overall.digest('hex');
}

export function dropboxContentHash(data: Buffer | Uint8Array): string {
  return new ContentHasher().update(data).digest();
}
