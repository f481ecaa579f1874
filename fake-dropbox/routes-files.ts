import type { Args } from './args.ts';
import { parseRange } from './byte-range.ts';
import { withBatchLock, withCommitLock } from './commit-lock.ts';
import { MAX_BATCH, WRITE_SCOPE, type RouteSpec } from './context.ts';
import { badRequest, ok, routeError, type Json } from './errors.ts';
import { checkJob } from './jobs.ts';
import { fileMetadata, folderMetadata, taggedMetadata } from './metadata.ts';

const READ_METADATA = 'files.metadata.read';

/** HTTP-header-safe JSON, as the SDKs write Dropbox-API-Arg: non-ASCII as \uXXXX escapes. */
export function headerSafeJson(value: Json): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function deletePaths(args: Args): { path: string; parentRev: string | undefined }[] {
  const list = args.list('entries');
  if (list.length > MAX_BATCH) throw args.fail('entries', `at most ${MAX_BATCH} entries`);
  return list.map((raw, index) => {
    const entry = args.item('entries', index, raw);
    return { path: entry.str('path'), parentRev: entry.optStr('parent_rev') };
  });
}

export const fileRoutes: Record<string, RouteSpec> = {
  'files/get_metadata': {
    style: 'rpc',
    scope: READ_METADATA,
    handle: (ctx, args) => {
      const path = args!.str('path');
      if (path === '' || path === '/')
        throw badRequest(ctx.route, 'request body: path: The root folder is unsupported.');
      const found = ctx.store.lookup(path);
      if (!found.ok) throw routeError({ '.tag': 'path', path: found.error });
      return ok(taggedMetadata(found.value));
    },
  },

  'files/list_folder': {
    style: 'rpc',
    scope: READ_METADATA,
    handle: (ctx, args) => {
      const path = args!.str('path');
      if (path === '/') {
        throw badRequest(
          ctx.route,
          'request body: path: Specify the root folder as an empty string rather than as "/".',
        );
      }
      const recursive = args!.bool('recursive', false);
      const limit = args!.optUint('limit');
      if (limit !== undefined && (limit < 1 || limit > 2000))
        throw args!.fail('limit', 'must be between 1 and 2000');
      let folder = '';
      if (path !== '') {
        const found = ctx.store.lookup(path);
        if (!found.ok) throw routeError({ '.tag': 'path', path: found.error });
        if (found.value.kind !== 'folder')
          throw routeError({ '.tag': 'path', path: { '.tag': 'not_folder' } });
        folder = found.value.pathLower;
      }
      const pageSize = Math.min(limit ?? Infinity, ctx.state.options.listPageSize);
      return ok(ctx.state.listings.start(folder, recursive, pageSize, ctx.store));
    },
  },

  'files/list_folder/continue': {
    style: 'rpc',
    scope: READ_METADATA,
    handle: (ctx, args) => {
      const page = ctx.state.listings.continue(args!.str('cursor'));
      if (!page) throw routeError({ '.tag': 'reset' });
      return ok(page);
    },
  },

  'files/delete_v2': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: (ctx, args) => {
      const path = args!.str('path');
      const parentRev = args!.optStr('parent_rev');
      const { state } = ctx;
      return withCommitLock(state.lock, state.signal, () => {
        const result = ctx.store.delete(path, parentRev);
        if (!result.ok) throw routeError(result.error);
        return ok({ metadata: result.value });
      });
    },
  },

  'files/delete_batch': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: async (ctx, args) => {
      const entries = deletePaths(args!);
      const { state } = ctx;
      const results = await withBatchLock(state.lock, state.signal, entries.length, () =>
        entries.map(({ path, parentRev }): Json => {
          const result = ctx.store.delete(path, parentRev);
          return result.ok
            ? { '.tag': 'success', metadata: result.value }
            : { '.tag': 'failure', failure: result.error };
        }),
      );
      const id = state.jobs.create({ '.tag': 'complete', entries: results });
      return ok({ '.tag': 'async_job_id', async_job_id: id });
    },
  },

  'files/delete_batch/check': { style: 'rpc', scope: WRITE_SCOPE, handle: checkJob },

  'files/create_folder_v2': {
    style: 'rpc',
    scope: WRITE_SCOPE,
    handle: (ctx, args) => {
      const result = ctx.store.createFolder(args!.str('path'), args!.bool('autorename', false));
      if (!result.ok) throw routeError({ '.tag': 'path', path: result.error });
      return ok({ metadata: folderMetadata(result.value) });
    },
  },

  'files/download': {
    style: 'download',
    scope: 'files.content.read',
    handle: (ctx, args) => {
      const found = ctx.store.lookup(args.str('path'));
      if (!found.ok) throw routeError({ '.tag': 'path', path: found.error });
      const entry = found.value;
      if (entry.kind !== 'file') throw routeError({ '.tag': 'path', path: { '.tag': 'not_file' } });
      // A ranged answer describes the whole file too (reference §9): its `size` is the file's size.
      const headers = {
        'Dropbox-API-Result': headerSafeJson(fileMetadata(entry)),
        'Accept-Ranges': 'bytes',
      };
      const range = parseRange(ctx.range, entry.size);
      if (range.kind === 'unsatisfiable')
        throw routeError({ '.tag': 'range', range: { '.tag': 'not_satisfiable' } });
      if (range.kind === 'whole') return { status: 200, file: entry.blob, headers };
      return {
        status: 206,
        file: entry.blob,
        fileRange: { start: range.start, end: range.end },
        headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${entry.size}` },
      };
    },
  },
};
