/**
 * One file's bytes into an upload session, against the fake Dropbox: a small file as one closing start,
 * a bigger one as a concurrent session whose closing append goes last; every request carries the hash of
 * its bytes, the session it leaves commits to the very bytes of the file, and faults are ridden out or
 * fail the file as they should. Also the metadata check a big file makes before sending.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { FaultAction } from '../../../fake-dropbox/types.ts';
import { LocalReadError } from '../../../src/dropbox/errors.ts';
import { failureFacts } from '../../../src/dropbox/retry.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import { FileDigests } from '../../../src/transfer/file-digests.ts';
import { Limiter } from '../../../src/transfer/limiter.ts';
import { SessionUpload } from '../../../src/transfer/session-upload.ts';
import { connect, refreshCredentials, startFakeDropbox, type Connection } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { lastSeq } from '../../support/request-log.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const CHUNK = 4 * MiB;
const START = 'files/upload_session/start';
const APPEND = 'files/upload_session/append_v2';

let server: FakeDropbox;
let connection: Connection;
const trees: Tree[] = [];
let destinations = 0;

beforeAll(async () => {
  server = await startFakeDropbox();
  connection = connect(refreshCredentials(server));
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
  await Promise.all(trees.map((tree) => tree.cleanup()));
});

/** One planned file of `content` (bytes, text, or a size of pattern bytes), to a destination of its own. */
async function plannedFile(content: string | Buffer | number, name = 'file.bin'): Promise<PlannedFile> {
  const tree = await makeTree({ [name]: content });
  trees.push(tree);
  destinations += 1;
  const [file] = await planTree(tree, `/sessions/${destinations}`);
  return file!;
}

interface Sending {
  upload: SessionUpload;
  arrived: number[];
}

function sessionUpload(
  file: PlannedFile,
  options: { chunkSizeBytes?: number; signal?: AbortSignal; keepBytesUpTo?: number } = {},
): Sending {
  const arrived: number[] = [];
  const upload = new SessionUpload(file, {
    api: connection.api,
    digests: new FileDigests(file, undefined, options.keepBytesUpTo ?? 0),
    slots: new Limiter(8),
    chunks: new Limiter(2),
    lookahead: new Limiter(4),
    hashing: new Limiter(2),
    chunkSizeBytes: options.chunkSizeBytes ?? CHUNK,
    rank: 0,
    signal: options.signal ?? new AbortController().signal,
    log: () => undefined,
    arrived: (bytes) => arrived.push(bytes),
  });
  return { upload, arrived };
}

/** Commits the closed session to the file's Dropbox path, as the batch commit would. */
async function commit(
  file: PlannedFile,
  sessionId: string,
): Promise<{ content_hash?: string; size: number }> {
  const { api } = connection;
  const answer = await api.call('finish', (context) =>
    api.sdk.filesUploadSessionFinish(
      {
        cursor: { session_id: sessionId, offset: file.size },
        commit: { path: file.dropboxPath, mode: { '.tag': 'overwrite' } },
      },
      { signal: context.signal },
    ),
  );
  return answer.result;
}

/** The requests since `since`: route and body bytes, in arrival order. */
function requestsSince(since: number): [string, number][] {
  return server.requests
    .filter((entry) => entry.seq > since && entry.route !== 'oauth2/token')
    .map((entry) => [entry.route, entry.bodyBytes]);
}

const sessionOf = (sessionId: string) =>
  server.uploadSessions().find((session) => session.sessionId === sessionId);

describe('send', () => {
  test.each<[string, number, number, [string, number][]]>([
    ['an empty file', 0, CHUNK, [[START, 0]]],
    ['a few bytes', 10, CHUNK, [[START, 10]]],
    ['exactly one chunk', CHUNK, CHUNK, [[START, CHUNK]]],
    [
      'one byte more than a chunk',
      CHUNK + 1,
      CHUNK,
      [
        [START, 0],
        [APPEND, CHUNK],
        [APPEND, 1],
      ],
    ],
    [
      'two whole chunks: the closing append carries nothing',
      2 * CHUNK,
      CHUNK,
      [
        [START, 0],
        [APPEND, CHUNK],
        [APPEND, CHUNK],
        [APPEND, 0],
      ],
    ],
    [
      'more than two chunks, a tail that is not a whole block',
      2 * CHUNK + MiB + 3,
      CHUNK,
      [
        [START, 0],
        [APPEND, CHUNK],
        [APPEND, CHUNK],
        [APPEND, MiB + 3],
      ],
    ],
    [
      'an 8 MiB chunk: whole blocks up to it per append, the tail closes',
      9 * MiB + 3,
      8 * MiB,
      [
        [START, 0],
        [APPEND, 8 * MiB],
        [APPEND, MiB + 3],
      ],
    ],
  ])(
    '%s: its requests, a closed session, and a commit of the very bytes',
    async (_name, size, chunkSizeBytes, requests) => {
      const file = await plannedFile(size);
      const { upload, arrived } = sessionUpload(file, { chunkSizeBytes });
      const since = lastSeq(server);

      const sessionId = await upload.send();

      const sent = requestsSince(since);
      // The appends before the closing one run in parallel: their order among themselves is free.
      expect(sent[0]).toEqual(requests[0]);
      expect(sent.at(-1)).toEqual(requests.at(-1));
      expect([...sent].sort()).toEqual([...requests].sort());
      expect(sessionOf(sessionId)).toMatchObject({ closed: true, length: size });
      expect([upload.bytesSent, upload.bytesArrived]).toEqual([size, size]);
      expect(arrived.reduce((sum, bytes) => sum + bytes, 0)).toBe(size);

      const committed = await commit(file, sessionId);
      const stored = server.readFile(file.dropboxPath);
      expect(stored.equals(await readFile(file.localPath))).toBe(true);
      expect(committed.content_hash).toBe(upload.contentHash);
      expect(upload.contentHash).toBe(contentHashOfBuffer(stored));
    },
  );

  test('the closing append goes only once every other append has arrived', async () => {
    const file = await plannedFile(3 * CHUNK + 5);
    const since = lastSeq(server);
    await sessionUpload(file).upload.send();
    const appends = server.requests.filter((entry) => entry.seq > since && entry.route === APPEND);
    const closing = appends.at(-1)!;
    expect(closing.bodyBytes).toBe(5);
    // It is sent once the others are answered, so it arrives after every one of them.
    expect(appends.slice(0, -1).every((entry) => entry.seq < closing.seq)).toBe(true);
  });

  test('a small file kept in memory when hashed sends those bytes', async () => {
    const file = await plannedFile('kept bytes, sent once');
    const { upload } = sessionUpload(file, { keepBytesUpTo: 64 * 1024 });
    const hash = await upload.hashAll();
    // Gone from disk: only the kept bytes can be sent.
    await rm(file.localPath);
    const sessionId = await upload.send();
    await commit(file, sessionId);
    expect(server.readFile(file.dropboxPath).toString()).toBe('kept bytes, sent once');
    expect(hash).toBe(contentHashOfBuffer(Buffer.from('kept bytes, sent once')));
  });

  test.each(['résumé (1).txt', '日本語 ファイル.bin', 'with  two spaces.txt', '🎉.txt'])(
    'a file named %j',
    async (name) => {
      const file = await plannedFile('named content', name);
      const sessionId = await sessionUpload(file).upload.send();
      await commit(file, sessionId);
      expect(server.readFile(file.dropboxPath).toString()).toBe('named content');
    },
  );
});

describe('hashAll and contentHash', () => {
  test('the whole file hashed ahead of sending, as Dropbox hashes it', async () => {
    const file = await plannedFile(2 * CHUNK + 17);
    const { upload } = sessionUpload(file);
    expect(upload.contentHashIfKnown).toBe('');
    const hash = await upload.hashAll();
    expect(upload.contentHashIfKnown).toBe(hash);
    const committed = await commit(file, await upload.send());
    expect(committed.content_hash).toBe(hash);
  });

  test('bytes changed after hashing are refused by Dropbox, never committed as the old hash', async () => {
    const file = await plannedFile(CHUNK + 9);
    const { upload } = sessionUpload(file);
    await upload.hashAll();
    await writeFile(file.localPath, Buffer.alloc(file.size, 7));
    const error = await upload.send().catch((caught: unknown) => caught);
    expect(failureFacts(error).tags).toContain('content_hash_mismatch');
  });
});

describe('faults', () => {
  const firedSince = (count: number): string[] =>
    server.faults.fired.slice(count).map((fault) => `${fault.route} ${fault.kind}`);

  test.each<[string, string, FaultAction, number]>([
    ['a 503 on the start of a small file', START, { kind: 'status', status: 503 }, 10],
    ['a reset on the start of a small file', START, { kind: 'reset' }, 10],
    ['a lost answer to the start of a small file', START, { kind: 'lost-response' }, 10],
    ['a 503 on the session start', START, { kind: 'status', status: 503 }, 2 * CHUNK + 3],
    ['a 503 on an append', APPEND, { kind: 'status', status: 503 }, 2 * CHUNK + 3],
    ['a reset on an append', APPEND, { kind: 'reset' }, 2 * CHUNK + 3],
    ['an expired token on an append', APPEND, { kind: 'expire-token' }, 2 * CHUNK + 3],
  ])('%s is ridden out: the session still holds the file', async (_name, route, action, size) => {
    const file = await plannedFile(size);
    const fired = server.faults.fired.length;
    server.faults.add({ route, nth: 1, action });
    const sessionId = await sessionUpload(file).upload.send();
    expect(firedSince(fired)).toEqual([`${route} ${action.kind}`]);
    await commit(file, sessionId);
    expect(server.readFile(file.dropboxPath).equals(await readFile(file.localPath))).toBe(true);
  });

  test('a lost answer to an append: the bytes arrived, so the repeat is reconciled, not written twice', async () => {
    const file = await plannedFile(CHUNK + 3);
    const fired = server.faults.fired.length;
    // The first append carries the whole block; the second is the closing one.
    server.faults.add({ route: APPEND, nth: 1, action: { kind: 'lost-response' } });
    const { upload } = sessionUpload(file);
    const sessionId = await upload.send();
    expect(firedSince(fired)).toEqual([`${APPEND} lost-response`]);
    expect(upload.bytesArrived).toBe(file.size);
    expect(upload.bytesSent).toBe(file.size + CHUNK);
    await commit(file, sessionId);
    expect(server.readFile(file.dropboxPath).length).toBe(file.size);
  });

  test('a lost answer to the closing append: the session is already closed, and that is success', async () => {
    const file = await plannedFile(CHUNK + 3);
    const fired = server.faults.fired.length;
    server.faults.add({ route: APPEND, nth: 2, action: { kind: 'lost-response' } });
    const { upload } = sessionUpload(file);
    const first = lastSeq(server);
    const sessionId = await upload.send();
    expect(firedSince(fired)).toEqual([`${APPEND} lost-response`]);
    const closing = server.requests.filter((entry) => entry.seq > first && entry.route === APPEND).slice(1);
    expect(closing.map((entry) => [entry.bodyBytes, entry.errorTag])).toEqual([
      [3, undefined],
      [3, expect.stringContaining('closed')],
    ]);
    await commit(file, sessionId);
    expect(server.readFile(file.dropboxPath).length).toBe(file.size);
  });

  test('an append refused for good fails the file: its other requests stop, the session is never closed', async () => {
    const file = await plannedFile(4 * CHUNK + 3);
    server.faults.add({
      route: APPEND,
      nth: 1,
      action: { kind: 'status', status: 400, body: 'Error in call' },
    });
    const first = lastSeq(server);
    const { upload } = sessionUpload(file);
    const error = await upload.send().catch((caught: unknown) => caught);
    expect(failureFacts(error).status).toBe(400);
    const sessionId = server.requests.find((entry) => entry.seq > first && entry.route === START)!.sessionId!;
    expect(sessionOf(sessionId)?.closed).toBe(false);
    // Four whole blocks and the closing tail: the refusal stops the rest, and the tail never goes.
    const appends = server.requests.filter((entry) => entry.seq > first && entry.route === APPEND);
    expect(appends.length).toBeLessThan(5);
  });

  test('a session start refused for good fails the file before any append is sent', async () => {
    const file = await plannedFile(2 * CHUNK + 3);
    server.faults.add({
      route: START,
      nth: 1,
      action: { kind: 'status', status: 400, body: 'Error in call' },
    });
    const first = lastSeq(server);
    const error = await sessionUpload(file)
      .upload.send()
      .catch((caught: unknown) => caught);
    expect(failureFacts(error).status).toBe(400);
    expect(requestsSince(first).map(([route]) => route)).toEqual([START]);
  });

  test('a file that cannot be read fails as a LocalReadError, before anything is sent', async () => {
    const file = await plannedFile('soon gone');
    await rm(file.localPath);
    const first = lastSeq(server);
    const error = await sessionUpload(file)
      .upload.send()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalReadError);
    expect(error).toMatchObject({ localPath: file.localPath });
    expect(requestsSince(first)).toEqual([]);
  });

  test('a big file that cannot be read fails as a LocalReadError too, and its session is never closed', async () => {
    const file = await plannedFile(2 * CHUNK + 3);
    await rm(file.localPath);
    const error = await sessionUpload(file)
      .upload.send()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalReadError);
  });

  test('cancellation ends a stalled send with the reason, and is not called a read failure', async () => {
    const file = await plannedFile(2 * CHUNK + 3);
    server.faults.add({ route: APPEND, every: 1, action: { kind: 'stall', ms: 30_000 } });
    const cancellation = new AbortController();
    const reason = new Error('cancelled by the test');
    const sending = sessionUpload(file, { signal: cancellation.signal }).upload.send();
    setTimeout(() => cancellation.abort(reason), 200);
    const started = Date.now();
    await expect(sending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('remoteState', () => {
  test.each<[string, (dropboxPath: string) => void, string, boolean]>([
    ['nothing there', () => undefined, 'nothing', false],
    ['a file there', (at) => server.putFile(at, 'older bytes'), 'file', true],
    ['a folder there', (at) => server.createFolder(at), 'folder', false],
    [
      // The fake answers a path below a file with not_found; the API's LookupError also has not_folder.
      'a file where a folder above should be (path/not_folder)',
      () =>
        server.faults.add({
          route: 'files/get_metadata',
          nth: 1,
          action: {
            kind: 'status',
            status: 409,
            body: {
              error_summary: 'path/not_folder/',
              error: { '.tag': 'path', path: { '.tag': 'not_folder' } },
            },
          },
        }),
      'file-above',
      false,
    ],
  ])('%s', async (_name, seed, kind, hasHash) => {
    const file = await plannedFile(2 * CHUNK + 1, 'résumé 2024.bin');
    seed(file.dropboxPath);
    const first = lastSeq(server);
    const state = await sessionUpload(file).upload.remoteState();
    expect(state.kind).toBe(kind);
    if (hasHash)
      expect(state).toEqual({ kind: 'file', contentHash: contentHashOfBuffer(Buffer.from('older bytes')) });
    expect(requestsSince(first)).toEqual([['files/get_metadata', expect.any(Number)]]);
  });

  test('another refusal is thrown', async () => {
    const file = await plannedFile(10);
    server.faults.add({
      route: 'files/get_metadata',
      nth: 1,
      action: { kind: 'status', status: 400, body: 'bad' },
    });
    const error = await sessionUpload(file)
      .upload.remoteState()
      .catch((caught: unknown) => caught);
    expect(failureFacts(error).status).toBe(400);
  });
});
