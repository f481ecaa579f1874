import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
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
 * Concatenates `parts` into `target`, hashing on the way unless the content hash is already known (from
 * the parts' block digests), in which case the bytes are only copied. With `at`, the bytes are written
 * from that position of an existing `target`, whose other bytes stay; without, `target` is replaced.
 * `size` counts the bytes copied by this call.
 */
export async function concatFiles(
  parts: string[],
  target: string,
  knownContentHash?: string,
  at?: number,
): Promise<{ size: number; contentHash: string }> {
  const hasher = knownContentHash === undefined ? new ContentHasher() : undefined;
  const out = await open(target, at === undefined ? 'w' : 'r+');
  let position = at ?? 0;
  const buffer = Buffer.allocUnsafe(COPY_BUFFER_BYTES);
  let size = 0;
  try {
    for (const part of parts) {
      const input = await open(part, 'r');
      try {
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          const bytes = buffer.subarray(0, bytesRead);
          hasher?.update(bytes);
          for (let written = 0; written < bytes.length;) {
            const { bytesWritten } = await out.write(bytes, written, bytes.length - written, position);
            written += bytesWritten;
            position += bytesWritten;
          }
          size += bytesRead;
        }
      } finally {
        await input.close();
      }
    }
    await out.close();
  } catch (error) {
    await out.close().catch(() => undefined);
    // A failed write into part of an existing file leaves it to its owner, who knows it is not whole.
    if (at === undefined) rmSync(target, { force: true });
    throw error;
  }
  return { size, contentHash: knownContentHash ?? hasher!.digest() };
}

async function closeAndRemove(out: WriteStream, file: string): Promise<void> {
  out.destroy();
  await finished(out).catch(() => undefined);
  rmSync(file, { force: true });
}
