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
  /** The chunk's bytes; for a concurrent session, removed once they are copied into its assembly. */
  file: string;
  /** The chunk's 4 MiB block digests (see contentHashOf). */
  blockDigests: readonly Buffer[];
}

/**
 * A concurrent session's bytes, copied into one file as its chunks arrive, each at its own offset, so its
 * finish has at most the last few copies to wait for (Dropbox, too, does that work as the chunks come in).
 * A chunk's own file is removed once its copy has landed, so a session takes its size in storage once,
 * not twice. Appends never overlap (checkAppend), so every byte of the file is the current chunk's.
 */
interface Assembly {
  file: string;
  /**
   * The copies by offset. Those of different offsets run at once; a replacement's waits for the copy it
   * replaces, so it lands over it. None rejects.
   */
  copies: Map<number, Promise<void>>;
  /** Why a copy failed: the finish then fails as a server error. */
  failure?: unknown;
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
      // A block may be sent again (a retry; it replaces the first copy), but no append may cover part of
      // another's bytes: the spec has no tag for an overlap, and invalid_offset names the fault best.
      const end = offset + size;
      const overlapping = session.chunks.some(
        (chunk) =>
          chunk.offset < end &&
          offset < chunk.offset + chunk.size &&
          (chunk.offset !== offset || chunk.size !== size),
      );
      if (overlapping) return tagged('concurrent_session_invalid_offset');
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
      // A retried append of the same block replaces the first copy (whose file the assembly removes).
      const previous = session.chunks.findIndex((existing) => existing.offset === offset);
      if (previous !== -1) session.chunks.splice(previous, 1);
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
    // Chunks (sorted by offset) never overlap (checkAppend), and none lies past the closing one: the
    // bytes are all there when each starts where the one before it ended.
    let expected = 0;
    for (const chunk of session.chunks) {
      if (chunk.offset !== expected) break;
      expected += chunk.size;
    }
    if (expected !== length) return { ok: false, error: tagged('concurrent_session_missing_data') };
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
      session.assembly = { file, copies: new Map() };
    }
    const assembly = session.assembly;
    const copy = (assembly.copies.get(chunk.offset) ?? Promise.resolve())
      .then(async () => {
        // A chunk replaced before its turn came is not copied: its replacement is, next.
        if (session.chunks.includes(chunk)) await copyInto(chunk.file, assembly.file, chunk.offset);
        removeFile(chunk.file);
      })
      .catch((error: unknown) => {
        assembly.failure ??= error;
      });
    assembly.copies.set(chunk.offset, copy);
  }

  /**
   * The finished file of a concurrent session, once the copies still running are done; undefined for a
   * session without an assembly (a sequential one). It stays the session's: a commit that moves it into
   * the store consumes the session, and one that is refused leaves it for the next finish.
   */
  async completeAssembly(session: UploadSession): Promise<string | undefined> {
    const assembly = session.assembly;
    if (assembly === undefined) return undefined;
    await Promise.all(assembly.copies.values());
    if (assembly.failure !== undefined) throw assembly.failure;
    await truncate(assembly.file, session.closedLength ?? 0);
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
