import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
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
  tooLarge: boolean;
}

export async function spoolBody(
  source: AsyncIterable<Buffer>,
  file: string,
  maxBytes: number,
): Promise<SpooledBody> {
  const hasher = new ContentHasher();
  let out: WriteStream | undefined = createWriteStream(file);
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
  return { file, size, contentHash: hasher.digest(), tooLarge: out === undefined };
}

/** Concatenates `parts` into `target`, hashing on the way. */
export async function concatFiles(
  parts: string[],
  target: string,
): Promise<{ size: number; contentHash: string }> {
  const hasher = new ContentHasher();
  const out = createWriteStream(target);
  let size = 0;
  try {
    for (const part of parts) {
      for await (const chunk of createReadStream(part)) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        hasher.update(bytes);
        if (!out.write(bytes)) await once(out, 'drain');
      }
    }
    out.end();
    await finished(out);
  } catch (error) {
    await closeAndRemove(out, target);
    throw error;
  }
  return { size, contentHash: hasher.digest() };
}

async function closeAndRemove(out: WriteStream, file: string): Promise<void> {
  out.destroy();
  await finished(out).catch(() => undefined);
  rmSync(file, { force: true });
}
