import { renameSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { BLOCK_SIZE, contentHashOfBlocks } from './content-hash.ts';
import { copyInto } from './spool.ts';
import { tagged, type JsonObject } from './errors.ts';
import { randomToken } from './metadata.ts';
import type { Outcome } from './store.ts';
import { removeFile } from './store.ts';
import type { UploadSessionInfo } from './types.ts';

/** The spec's current per-session ceiling, 2^41 − 2^22 bytes. */
export const MAX_SESSION_BYTES = 2 ** 41 - 2 ** 22;

export type SessionType = 'sequential' | 'concurrent';

interface Chunk {
  offset: number;
  size: number;
  file: string;
  /** The chunk's 4 MiB block digests (see contentHashOf). */
  blockDigests: readonly Buffer[];
}

/**
 * A concurrent session's bytes copied into one file while its chunks arrive, each at its own offset as
 * soon as it is in, so its finish has at most the last few copies to wait for (Dropbox, too, does that
 * work as the chunks come in).
 */
interface Assembly {
  file: string;
  /** The size of the chunk copied (or being copied) to each offset. */
  placed: Map<number, number>;
  /**
   * False once a copy failed, or a chunk was replaced by one of another size (the bytes the first one
   * left beyond the second's end could cover a neighbour's): the finish then concatenates the chunks.
   */
  intact: boolean;
  /**
   * The copies by offset. Those of different offsets run at once; a replacement's waits for the copy it
   * replaces, so it lands over it. None rejects.
   */
  copies: Map<number, Promise<void>>;
}

export interface UploadSession {
  readonly id: string;
  readonly type: SessionType;
  closed: boolean;
  /** Set while a finish assembles the file: the session is as good as consumed. */
  finishing: boolean;
  /**
   * Sequential: in arrival order. Concurrent: one per 4 MiB-aligned offset, sorted by offset (they may
   * arrive in any order).
   */
  chunks: Chunk[];
  /** Concurrent sessions learn their length from the closing append. */
  closedLength?: number;
  assembly?: Assembly;
}

/**
 * Upload-session state and its offset/closing rules (files.stone UploadSessionLookupError and the
 * concurrent-session limits in docs §4). Chunk files are moved here from the spool, so each request's
 * bytes are written to disk once, and copied once more into the session's file (as they arrive for a
 * concurrent session, at the finish for a sequential one).
 */
export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #newChunkFile: () => string;

  constructor(newChunkFile: () => string) {
    this.#newChunkFile = newChunkFile;
  }

  create(type: SessionType): UploadSession {
    const session: UploadSession = {
      id: `pid_upload_session:${randomToken(24)}`,
      type,
      closed: false,
      finishing: false,
      chunks: [],
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** A live session, or undefined when unknown, consumed, or being finished. */
  get(id: string): UploadSession | undefined {
    const session = this.#sessions.get(id);
    return session && !session.finishing ? session : undefined;
  }

  info(): UploadSessionInfo[] {
    return [...this.#sessions.values()].map((session) => ({
      sessionId: session.id,
      sessionType: session.type,
      length: receivedBytes(session),
      closed: session.closed,
    }));
  }

  /** append_v2 / start-with-data checks; the error is an UploadSessionAppendError member. */
  checkAppend(
    session: UploadSession | undefined,
    offset: number,
    size: number,
    close: boolean,
  ): JsonObject | undefined {
    if (!session) return tagged('not_found');
    if (session.closed) return tagged('closed');
    if (session.type === 'sequential') {
      const length = receivedBytes(session);
      if (offset !== length) return { '.tag': 'incorrect_offset', correct_offset: length };
    } else {
      if (offset % BLOCK_SIZE !== 0) return tagged('concurrent_session_invalid_offset');
      if (!close && size % BLOCK_SIZE !== 0) return tagged('concurrent_session_invalid_data_size');
      if (close && session.chunks.some((chunk) => chunk.offset > offset)) {
        return tagged('concurrent_session_invalid_offset');
      }
    }
    if (offset + size > MAX_SESSION_BYTES) return tagged('too_large');
    return undefined;
  }

  /**
   * Takes the bytes in `file` (moved, so the caller's copy is gone) at `offset`. `blockDigests` (from the
   * spool) let the finish hash the file without reading it again.
   */
  append(
    session: UploadSession,
    offset: number,
    size: number,
    file: string,
    close: boolean,
    blockDigests: readonly Buffer[],
  ): void {
    const chunk: Chunk = { offset, size, file: this.#newChunkFile(), blockDigests };
    renameSync(file, chunk.file);
    if (session.type === 'concurrent') {
      // A retried append of the same block replaces the first copy.
      const previous = session.chunks.findIndex((existing) => existing.offset === offset);
      if (previous !== -1) removeFile(session.chunks.splice(previous, 1)[0]!.file);
      session.chunks.push(chunk);
      session.chunks.sort((a, b) => a.offset - b.offset);
      if (close) session.closedLength = offset + size;
      this.#assembleAhead(session, chunk);
    } else {
      session.chunks.push(chunk);
    }
    if (close) session.closed = true;
  }

  /**
   * finish / finish_batch checks. The error is an UploadSessionFinishError member.
   * `requireClosed` is the batch rule: every session must already be closed.
   */
  checkFinish(
    session: UploadSession | undefined,
    offset: number,
    dataSize: number,
    requireClosed: boolean,
  ): Outcome<UploadSession> {
    const lookup = (error: JsonObject): Outcome<UploadSession> => ({
      ok: false,
      error: { '.tag': 'lookup_failed', lookup_failed: error },
    });
    if (!session) return lookup(tagged('not_found'));
    if (requireClosed && !session.closed) return lookup(tagged('not_closed'));
    if (session.type === 'sequential') {
      if (session.closed && dataSize > 0) return lookup(tagged('closed'));
      const length = receivedBytes(session);
      if (offset !== length) return lookup({ '.tag': 'incorrect_offset', correct_offset: length });
      if (length + dataSize > MAX_SESSION_BYTES) return lookup(tagged('too_large'));
      return { ok: true, value: session };
    }
    if (dataSize > 0) return { ok: false, error: tagged('concurrent_session_data_not_allowed') };
    if (!session.closed) return { ok: false, error: tagged('concurrent_session_not_closed') };
    const length = session.closedLength ?? 0;
    if (offset !== length) return lookup({ '.tag': 'incorrect_offset', correct_offset: length });
    // Every chunk (kept sorted by offset) must start where the one before it ended, and the last end at
    // the closed length: the content hash and the assembled file are made from every chunk. A gap is
    // missing data. An overlap (a block sent longer than the distance to the next one) has no tag of its
    // own in UploadSessionFinishError; concurrent_session_invalid_offset, the tag the spec gives a chunk
    // at an offset the session cannot take, names the fault best.
    let expected = 0;
    for (const chunk of session.chunks) {
      if (chunk.offset > expected) return { ok: false, error: tagged('concurrent_session_missing_data') };
      if (chunk.offset < expected) return lookup(tagged('concurrent_session_invalid_offset'));
      expected += chunk.size;
    }
    if (expected < length) return { ok: false, error: tagged('concurrent_session_missing_data') };
    if (expected > length) return lookup(tagged('concurrent_session_invalid_offset'));
    return { ok: true, value: session };
  }

  /**
   * The content hash of the session's bytes followed by `extra`, from the block digests, when every piece
   * starts on a 4 MiB boundary (always so for concurrent sessions); else undefined, and the bytes must be
   * hashed as they are assembled.
   */
  contentHashOf(
    session: UploadSession,
    extra?: { size: number; blockDigests: readonly Buffer[] },
  ): string | undefined {
    const pieces: { size: number; blockDigests: readonly Buffer[] }[] = [...session.chunks];
    if (extra && extra.size > 0) pieces.push(extra);
    const digests: Buffer[] = [];
    let offset = 0;
    for (const piece of pieces) {
      if (offset % BLOCK_SIZE !== 0) return undefined;
      digests.push(...piece.blockDigests);
      offset += piece.size;
    }
    return contentHashOfBlocks(digests);
  }

  #assembleAhead(session: UploadSession, chunk: Chunk): void {
    if (session.assembly === undefined) {
      const file = this.#newChunkFile();
      writeFileSync(file, '');
      session.assembly = { file, placed: new Map(), intact: true, copies: new Map() };
    }
    const assembly = session.assembly;
    const earlier = assembly.placed.get(chunk.offset);
    if (earlier !== undefined && earlier !== chunk.size) assembly.intact = false;
    if (!assembly.intact) return;
    assembly.placed.set(chunk.offset, chunk.size);
    const replaced = assembly.copies.get(chunk.offset) ?? Promise.resolve();
    const copy = replaced
      .then(async () => {
        // A chunk replaced before its turn came is gone; the finish sees intact false and starts over.
        if (assembly.intact) await copyInto(chunk.file, assembly.file, chunk.offset);
      })
      .catch(() => {
        assembly.intact = false;
      });
    assembly.copies.set(chunk.offset, copy);
  }

  /**
   * The finished file of a concurrent session whose bytes were assembled as they came, once the copies
   * still running are done. Undefined when there is no intact assembly.
   */
  async completeAssembly(session: UploadSession): Promise<string | undefined> {
    const assembly = session.assembly;
    if (assembly === undefined) return undefined;
    await Promise.all(assembly.copies.values());
    if (!assembly.intact) return undefined;
    try {
      await truncate(assembly.file, session.closedLength ?? 0);
    } catch {
      return undefined;
    }
    // The file now belongs to the caller: the session no longer has an assembly.
    session.assembly = undefined;
    return assembly.file;
  }

  /** The chunk files and their sizes in byte order, for assembling the committed file. */
  partsOf(session: UploadSession): { file: string; size: number }[] {
    return session.chunks.map(({ file, size }) => ({ file, size }));
  }

  consume(session: UploadSession): void {
    this.#sessions.delete(session.id);
    for (const chunk of session.chunks) removeFile(chunk.file);
    if (session.assembly) removeFile(session.assembly.file);
  }
}

function receivedBytes(session: UploadSession): number {
  return session.chunks.reduce((sum, chunk) => sum + chunk.size, 0);
}
