import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentHasher } from './content-hash.ts';

/**
 * Request bodies go straight to disk while being counted and hashed, so a multi-GiB upload costs the
 * server a few chunks of memory, not the whole body.
 */
export class Storage {
  /** A directory of our own: a fresh temporary one, or a fresh one inside the caller's `storageDir`. */
  readonly root: string;
  readonly spoolDir: string;
  readonly blobDir: string;
  #counter = 0;

  constructor(parent?: string) {
    if (parent !== undefined) mkdirSync(parent, { recursive: true });
    this.root = mkdtempSync(join(parent ?? tmpdir(), 'fake-dropbox-'));
    this.spoolDir = join(this.root, 'spool');
    this.blobDir = join(this.root, 'blobs');
    mkdirSync(this.spoolDir);
    mkdirSync(this.blobDir);
  }

  tempFile(prefix: string): string {
    return join(this.spoolDir, `${prefix}-${++this.#counter}`);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface SpooledBody {
  /** The spooled bytes; already removed when `tooLarge`. */
  file: string;
  /** Bytes received, even when over the limit. */
  size: number;
  contentHash: string;
  /** The SHA-256 of each 4 MiB block: a session of block-aligned chunks is hashed from these at finish. */
  blockDigests: readonly Buffer[];
  tooLarge: boolean;
}

/**
 * Pieces buffered before the spool waits for the disk: the stream then writes them with one writev
 * instead of one write per network read, which on a busy machine is most of the server's CPU.
 */
const SPOOL_BUFFER_BYTES = 4 * 1024 * 1024;

export async function spoolBody(
  source: AsyncIterable<Buffer>,
  file: string,
  maxBytes: number,
): Promise<SpooledBody> {
  const hasher = new ContentHasher();
  let out: WriteStream | undefined = createWriteStream(file, { highWaterMark: SPOOL_BUFFER_BYTES });
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) {
        // Keep draining so the client can read our 409 instead of seeing a broken pipe.
        if (out) await closeAndRemove(out, file);
        out = undefined;
        continue;
      }
      hasher.update(chunk);
      if (!out!.write(chunk)) await once(out!, 'drain');
    }
    if (out) {
      out.end();
      await finished(out);
    }
  } catch (error) {
    if (out) await closeAndRemove(out, file);
    throw error;
  }
  const contentHash = hasher.digest();
  return { file, size, contentHash, blockDigests: hasher.blockDigests, tooLarge: out === undefined };
}

/** Bytes per read while concatenating: big reads keep a multi-GiB finish from costing seconds of syscalls. */
const COPY_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Concatenates `parts` into `target` (replaced), hashing on the way unless the content hash is already
 * known (from the parts' block digests), in which case the bytes are only copied.
 */
export async function concatFiles(
  parts: string[],
  target: string,
  knownContentHash?: string,
): Promise<{ size: number; contentHash: string }> {
  const hasher = knownContentHash === undefined ? new ContentHasher() : undefined;
  const sizes = await Promise.all(parts.map(async (part) => (await stat(part)).size));
  const buffer = copyBuffer(sizes.reduce((sum, size) => sum + size, 0));
  const out = await open(target, 'w');
  let size = 0;
  try {
    for (const part of parts) size = await copyFrom(part, out, size, buffer, hasher);
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    rmSync(target, { force: true });
    throw error;
  }
  return { size, contentHash: knownContentHash ?? hasher!.digest() };
}

/**
 * Writes all of `source` into the existing file `target` from `position`; `target`'s other bytes stay.
 * A failed copy leaves `target` to its owner, who knows it is not whole.
 */
export async function copyInto(source: string, target: string, position: number): Promise<void> {
  const buffer = copyBuffer((await stat(source)).size);
  const out = await open(target, 'r+');
  try {
    await copyFrom(source, out, position, buffer);
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    throw error;
  }
}

function copyBuffer(totalBytes: number): Buffer {
  return Buffer.allocUnsafe(Math.min(COPY_BUFFER_BYTES, totalBytes));
}

/** Copies all of `source` to `out` from `position`, hashing on the way when given a hasher; the position after. */
async function copyFrom(
  source: string,
  out: FileHandle,
  position: number,
  buffer: Buffer,
  hasher?: ContentHasher,
): Promise<number> {
  const input = await open(source, 'r');
  try {
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return position;
      const bytes = buffer.subarray(0, bytesRead);
      hasher?.update(bytes);
      for (let written = 0; written < bytes.length;) {
        const { bytesWritten } = await out.write(bytes, written, bytes.length - written, position);
        written += bytesWritten;
        position += bytesWritten;
      }
    }
  } finally {
    await input.close();
  }
}

async function closeAndRemove(out: WriteStream, file: string): Promise<void> {
  out.destroy();
  await finished(out).catch(() => undefined);
  rmSync(file, { force: true });
}
