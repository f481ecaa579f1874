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
    this.#overall.update(this.#block!.digest());
    this.#block = undefined;
    this.#blockFill = 0;
  }
}

export function dropboxContentHash(data: Buffer | Uint8Array): string {
  return new ContentHasher().update(data).digest();
}
