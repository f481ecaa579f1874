import type { Args } from './args.ts';
import { MAX_BATCH, WRITE_SCOPE, type HandlerContext, type RouteSpec, type ServerState } from './context.ts';
import { withBatchLock, withCommitLock } from './commit-lock.ts';
import { ok, routeError, tagged, type Json } from './errors.ts';
import { checkJob } from './jobs.ts';
import type { Namespace } from './namespaces.ts';
import { fileMetadata, type FileEntry } from './metadata.ts';
import type { SessionType, UploadSession } from './sessions.ts';
import { concatFiles, type SpooledBody } from './spool.ts';
import { removeFile, type BlobFile, type CommitRequest, type Outcome, type WriteMode } from './store.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

type CommitInfo = Omit<CommitRequest, 'blob'>;

/** CommitInfo (files.stone l.460): mode as `"add"` or `{".tag":"update","update":rev}`, defaults as the spec. */
function commitInfo(args: Args): CommitInfo {
  const info: CommitInfo = {
    path: args.str('path'),
    mode: writeMode(args),
    autorename: args.bool('autorename', false),
    strictConflict: args.bool('strict_conflict', false),
  };
  const clientModified = args.optStr('client_modified');
  if (clientModified !== undefined) {
    if (!TIMESTAMP.test(clientModified)) {
      throw args.fail('client_modified', `expected a timestamp like "2015-05-12T15:50:38Z"`);
    }
    info.clientModified = clientModified;
  }
  return info;
}

function writeMode(args: Args): WriteMode {
  const mode = args.optUnion('mode');
  if (mode === undefined || mode.tag === 'add') return { tag: 'add' };
  if (mode.tag === 'overwrite') return { tag: 'overwrite' };
  if (mode.tag === 'update') {
    const rev = mode.value['update'];
    if (typeof rev !== 'string' || !/^[0-9a-f]{9,}$/.test(rev)) throw args.fail('mode', 'update needs a rev');
    return { tag: 'update', rev };
  }
  throw args.fail('mode', `unknown tag ${JSON.stringify(mode.tag)}`);
}

function sessionType(args: Args): SessionType {
  const type = args.optUnion('session_type');
  if (type === undefined || type.tag === 'sequential') return 'sequential';
  if (type.tag === 'concurrent') return 'concurrent';
  throw args.fail('session_type', `unknown tag ${JSON.stringify(type.tag)}`);
}

function cursorOf(args: Args): { sessionId: string; offset: number } {
  const cursor = args.obj('cursor');
  return { sessionId: cursor.str('session_id'), offset: cursor.uint('offset') };
}

/** Commits the session's bytes (plus any bytes sent with the finish) to the commit path. */
async function finishSession(
  state: ServerState,
  store: Namespace,
  session: UploadSession,
  commit: CommitInfo,
  finishData: SpooledBody | undefined,
): Promise<Outcome<FileEntry>> {
  session.finishing = true;
  /** A file made for this commit: removed unless the store takes it. */
  let made: string | undefined;
  try {
    const known = state.sessions.contentHashOf(session, finishData);
    const parts = state.sessions.partsOf(session);
    if (finishData && finishData.size > 0) parts.push({ file: finishData.file, size: finishData.size });
    let blob: BlobFile | undefined;
    if (known !== undefined) {
      // Only a concurrent session has an assembly, and its finish carries no data (checkFinish); its
      // assembled file is truncated to the closed length. Like a single part, the store moves it in, and
      // a refused commit leaves it to the session.
      const assembled = await state.sessions.completeAssembly(session);
      if (assembled !== undefined) {
        blob = { file: assembled, size: session.closedLength ?? 0, contentHash: known };
      } else if (parts.length === 1) {
        // One part (say a small file sent with start and close): the store moves that file in, no copy.
        // A refused commit leaves it where it was (a chunk stays in the session for the next finish);
        // after a commit the session is consumed, and removing the chunk's old path finds nothing there.
        blob = { ...parts[0]!, contentHash: known };
      }
    }
    if (blob === undefined) {
      made = state.storage.tempFile('assembled');
      const files = parts.map((part) => part.file);
      blob = { file: made, ...(await concatFiles(files, made, known)) };
    }
    const result = store.commit({ ...commit, blob });
    if (result.ok) state.sessions.consume(session);
    else if (made !== undefined) removeFile(made);
    return result;
  } catch (error) {
    if (made !== undefined) removeFile(made);
    throw error;
  } finally {
    session.finishing = false;
  }
}

interface FinishEntry {
  sessionId: string;
  offset: number;
  commit: CommitInfo;
}

function batchEntries(args: Args): FinishEntry[] {
  const list = args.list('entries');
  if (list.length > MAX_BATCH) throw args.fail('entries', `at most ${MAX_BATCH} entries`);
  return list.map((raw, index) => {
    const entry = args.item('entries', index, raw);
    return { ...cursorOf(entry), commit: commitInfo(entry.obj('commit')) };
  });
}

/** Batches take the lock once; under contention every entry fails with too_many_write_operations. */
function finishBatch(ctx: HandlerContext, entries: FinishEntry[]): Promise<Json[]> {
  const { state } = ctx;
  return withBatchLock(state.lock, state.signal, entries.length, async () => {
    const results: Json[] = [];
    const refused = ctx.fault?.kind === 'batch-entry-failure' ? ctx.fault : undefined;
    for (const [index, entry] of entries.entries()) {
      if (refused?.entries.includes(index)) {
        results.push({ '.tag': 'failure', failure: tagged(refused.tag) });
        continue;
      }
      const checked = state.sessions.checkFinish(state.sessions.get(entry.sessionId), entry.offset, 0, true);
      const outcome = checked.ok
        ? await finishSession(state, ctx.store, checked.value, entry.commit, undefined)
        : undefined;
      if (!checked.ok) results.push({ '.tag': 'failure', failure: checked.error });
      else if (outcome?.ok) results.push({ '.tag': 'success', ...fileMetadata(outcome.value) });
      else results.push({ '.tag': 'failure', failure: { '.tag': 'path', path: outcome!.error } });
    }
    return results;
  });
}

export const uploadRoutes: Record<string, RouteSpec> = {
  'files/upload': {
    style: 'upload',
    scope: WRITE_SCOPE,
    handle: (ctx, args, body) => {
      const commit = commitInfo(args);
      const { store } = ctx;
      const { sessions } = ctx.state;
      return withCommitLock(ctx.state.lock, ctx.state.signal, () => {
        const result = store.commit({ ...commit, blob: body });
        if (result.ok) return ok(fileMetadata(result.value));
        // UploadWriteFailed names a session holding the bytes, so they can be committed elsewhere.
        const session = sessions.create('sequential');
        sessions.append(session, 0, body.size, body.file, true, body.blockDigests);
        throw routeError({ '.tag': 'path', reason: result.error, upload_session_id: session.id });
      });
    },
  },

  'files/upload_session/start': {
    style: 'upload',
    scope: WRITE_SCOPE,
    handle: (ctx, args, body) => {
      const close = args.bool('close', false);
      const type = sessionType(args);
      if (type === 'concurrent' && body.size > 0)
        throw routeError(tagged('concurrent_session_data_not_allowed'));
      if (type === 'concurrent' && close) throw routeError(tagged('concurrent_session_close_not_allowed'));
      const { sessions } = ctx.state;
      const session = sessions.create(type);
      if (body.size > 0 || close) sessions.append(session, 0, body.size, body.file, close, body.blockDigests);
      ctx.log.sessionId = session.id;
      return ok({ session_id: session.id });
    },
  },

  'files/upload_session/append_v2': {
    style: 'upload',
    scope: WRITE_SCOPE,
    handle: (ctx, args, body) => {
      const { sessionId, offset } = cursorOf(args);
      const close = args.bool('close', false);
      const { sessions } = ctx.state;
      const session = sessions.get(sessionId);
      const error = sessions.checkAppend(session, offset, body.size, close);
      if (error) throw routeError(error);
      if (body.size > 0 || close)
        sessions.append(session!, offset, body.size, body.file, close, body.blockDigests);
      return ok(null);
    },
  },

  'files/upload_session/finish': {
    style: 'upload',
    scope: WRITE_SCOPE,
    handle: async (ctx, args, body) => {
      const { sessionId, offset } = cursorOf(args);
      const commit = commitInfo(args.obj('commit'));
      const { state } = ctx;
      const checked = state.sessions.checkFinish(state.sessions.get(sessionId), offset, body.size, false);
      if (!checked.ok) throw routeError(checked.error);
      return withCommitLock(state.lock, state.signal, async () => {
        const outcome = await finishSession(state, ctx.store, checked.value, commit, body);
        if (!outcome.ok) throw routeError({ '.tag': 'path', path: outcome.error });
        return ok(fileMetadata(outcome.value));
      });
    },
  },

  'files/upload_session/start_batch': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: (ctx, args) => {
      const count = args!.uint('num_sessions');
      if (count < 1 || count > MAX_BATCH)
        throw args!.fail('num_sessions', `must be between 1 and ${MAX_BATCH}`);
      const type = sessionType(args!);
      const ids = Array.from({ length: count }, () => ctx.state.sessions.create(type).id);
      return ok({ session_ids: ids });
    },
  },

  'files/upload_session/finish_batch_v2': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: async (ctx, args) => ok({ entries: await finishBatch(ctx, batchEntries(args!)) }),
  },

  'files/upload_session/finish_batch': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: async (ctx, args) => {
      const entries = await finishBatch(ctx, batchEntries(args!));
      const id = ctx.state.jobs.create({ '.tag': 'complete', entries });
      return ok({ '.tag': 'async_job_id', async_job_id: id });
    },
  },

  'files/upload_session/finish_batch/check': { style: 'rpc', scope: WRITE_SCOPE, handle: checkJob },
};
