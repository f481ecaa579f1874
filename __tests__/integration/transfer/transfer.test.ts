import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import type { FileResult, IfExists, PlannedFile } from '../../../src/model.ts';
import { RemoteIndex } from '../../../src/transfer/decide.ts';
import { DigestStore, hashAhead } from '../../../src/transfer/file-digests.ts';
import { RunProgress } from '../../../src/transfer/run-progress.ts';
import { firstRanges, transferFiles, type TransferOptions } from '../../../src/transfer/transfer.ts';
import {
  connect,
  refreshCredentials,
  routeDropboxTo,
  startFakeDropbox,
  type Connection,
} from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { lastSeq } from '../../support/request-log.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
const trees: Tree[] = [];

beforeAll(async () => {
  server = await startFakeDropbox();
});
afterAll(async () => {
  await server.close();
  await Promise.all(trees.map((tree) => tree.cleanup()));
});
afterEach(() => server.faults.clear());

async function planOf(
  files: Record<string, string | Buffer | number>,
  destination: string,
): Promise<PlannedFile[]> {
  const tree = await makeTree(files);
  trees.push(tree);
  return planTree(tree, destination);
}

interface Run {
  results: FileResult[];
  connection: Connection;
  stoppedTitle?: string;
}

async function upload(
  plan: PlannedFile[],
  options: {
    chunkMiB?: number;
    ifExists?: IfExists;
    connection?: Connection;
    concurrency?: number;
  } & Pick<TransferOptions, 'digests' | 'listing' | 'skipUnchanged' | 'progress'> = {},
): Promise<Run> {
  const { chunkMiB = 4, ifExists = 'overwrite', concurrency = 4, connection: given, ...rest } = options;
  const connection = given ?? connect(refreshCredentials(server));
  const outcome = await transferFiles(plan, connection.api, {
    chunkSizeBytes: chunkMiB * MiB,
    concurrency,
    ifExists,
    log: () => undefined,
    ...rest,
  });
  return {
    results: outcome.results,
    connection,
    ...(outcome.stoppedBy ? { stoppedTitle: outcome.stoppedBy.title } : {}),
  };
}

/** A listing of files at these (lower-case) paths with these content hashes, as skip-unchanged makes one. */
function listingOf(files: [string, string][]): RemoteIndex {
  return new RemoteIndex(
    files.map(([pathLower, contentHash]) => ({
      kind: 'file',
      name: path.posix.basename(pathLower),
      pathLower,
      pathDisplay: pathLower,
      contentHash,
    })),
  );
}

async function expectByteExact(files: PlannedFile[]): Promise<void> {
  for (const file of files) {
    const local = await readFile(file.localPath);
    expect(server.readFile(file.dropboxPath).equals(local)).toBe(true);
    expect(server.commitCount(file.dropboxPath)).toBe(1);
  }
}

function routesOf(since: number): string[] {
  return server.requests.filter((entry) => entry.seq > since).map((entry) => entry.route);
}

describe('a mixed tree', () => {
  test('arrives byte-exact: unicode and spaces, nested folders, an empty file, files bigger than a chunk', async () => {
    const plan = await planOf(
      {
        'index.html': '<h1>hi</h1>',
        'docs/résumé 2026 – final.txt': 'unicode and spaces',
        'docs/日本語/メモ.txt': 'nested unicode',
        'empty.txt': '',
        'deep/a/b/c/d.txt': 'deep',
        'big/exact-two-chunks.bin': 8 * MiB,
        'big/odd.bin': 9 * MiB + 123,
      },
      '/mixed',
    );
    const run = await upload(plan);
    expect(run.results.map((result) => result.status)).toEqual(plan.map(() => 'uploaded'));
    await expectByteExact(plan);
    for (const result of run.results) {
      expect(result.contentHash).toBe(contentHashOfBuffer(await readFile(result.localPath)));
    }
    expect(run.results.find((result) => result.dropboxPath.endsWith('/odd.bin'))?.bytesSent).toBe(
      9 * MiB + 123,
    );
  });

  test('a 40 MiB file with chunk-size 4 goes up in a concurrent session, byte-exact, committed in a batch', async () => {
    const plan = await planOf({ 'archive.bin': 40 * MiB }, '/forty');
    const since = lastSeq(server);
    const run = await upload(plan, { chunkMiB: 4 });
    expect(run.results[0]?.status).toBe('uploaded');
    await expectByteExact(plan);
    const routes = routesOf(since).filter((route) => route !== 'oauth2/token');
    // An empty concurrent start, ten 4 MiB appends in parallel, an empty closing append, one batch commit.
    expect(routes).toEqual([
      'files/upload_session/start',
      ...Array.from({ length: 11 }, () => 'files/upload_session/append_v2'),
      'files/upload_session/finish_batch_v2',
    ]);
  });
});

describe('credentials', () => {
  test('an access token that expires during a multi-chunk upload is refreshed exactly once', async () => {
    const plan = await planOf({ 'big.bin': 20 * MiB }, '/expiry');
    const connection = connect(refreshCredentials(server));
    server.faults.add({ route: 'files/upload_session/append_v2', nth: 2, action: { kind: 'expire-token' } });
    const since = lastSeq(server);
    const run = await upload(plan, { connection });
    expect(run.results[0]?.status).toBe('uploaded');
    await expectByteExact(plan);
    expect(routesOf(since).filter((route) => route === 'oauth2/token')).toHaveLength(2);
    expect(connection.tokens.refreshes).toBe(2);
  });

  test('parallel requests that all meet an expired token share one refresh', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, index) => [`f${index}.txt`, `file ${index}`]),
    );
    const plan = await planOf(files, '/shared-refresh');
    const connection = connect(refreshCredentials(server));
    await connection.api.call('warm up', async () => undefined);
    server.expireAccessTokens();
    const since = lastSeq(server);
    const run = await upload(plan, { connection, concurrency: 8 });
    expect(run.results.every((result) => result.status === 'uploaded')).toBe(true);
    expect(routesOf(since).filter((route) => route === 'oauth2/token')).toHaveLength(1);
  });

  test('every credential and minted token is masked before the first request', async () => {
    const credentials = refreshCredentials(server);
    const connection = connect(credentials);
    await upload(await planOf({ 'a.txt': 'a' }, '/mask'), { connection });
    expect(connection.masked).toEqual(
      expect.arrayContaining([
        credentials.kind === 'refresh-token' ? credentials.refreshToken : '',
        'test-app-secret',
        connection.tokens.currentToken(),
      ]),
    );
  });

  test.each([
    ['a revoked refresh token', 'Dropbox refresh token rejected'],
    ['a wrong app secret', 'Dropbox app key or secret rejected'],
    ['an expired access token given on its own', 'Dropbox access token expired'],
    ['an unknown access token', 'Dropbox access token invalid'],
    ['a token without files.content.write', 'Dropbox app is missing a permission'],
  ])('%s stops the run with one explanation and fails every file', async (situation, title) => {
    const plan = await planOf({ 'a.txt': 'a', 'b.txt': 'b', 'c/d.txt': 'd' }, '/denied');
    let connection: Connection;
    if (situation === 'a revoked refresh token') {
      const credentials = refreshCredentials(server);
      if (credentials.kind === 'refresh-token') server.revokeRefreshToken(credentials.refreshToken);
      connection = connect(credentials);
    } else if (situation === 'a wrong app secret') {
      const credentials = refreshCredentials(server);
      connection = connect({ ...credentials, appSecret: 'wrong' } as typeof credentials);
    } else if (situation === 'an expired access token given on its own') {
      const token = server.issueAccessToken();
      server.expireAccessTokens();
      connection = connect({ kind: 'access-token', accessToken: token });
    } else if (situation === 'an unknown access token') {
      connection = connect({
        kind: 'access-token',
        accessToken: 'sl.unknown-token-abcdefghijklmnopqrstuvwxyz',
      });
    } else {
      connection = connect({
        kind: 'access-token',
        accessToken: server.issueAccessToken({ scopes: ['files.metadata.read'] }),
      });
    }
    const run = await upload(plan, { connection, concurrency: 1 });
    expect(run.stoppedTitle).toBe(title);
    expect(run.results.map((result) => result.status)).toEqual(['failed', 'failed', 'failed']);
    expect(new Set(run.results.map((result) => result.error?.title))).toEqual(new Set([title]));
  });
});

describe('retries', () => {
  test.each([
    ['a 500', { kind: 'status', status: 500, body: '' }],
    ['a 503 with a JSON body', { kind: 'status', status: 503, body: { error: 'unavailable' } }],
    ['a 429 too_many_requests', { kind: 'rate-limit', retryAfterSeconds: 1, reason: 'too_many_requests' }],
    [
      'a 429 too_many_write_operations',
      { kind: 'rate-limit', retryAfterSeconds: 1, reason: 'too_many_write_operations' },
    ],
    ['a connection reset', { kind: 'reset' }],
    ['a lost response', { kind: 'lost-response' }],
  ] as const)('%s on the upload of a small file is retried and the file lands once', async (name, action) => {
    const plan = await planOf({ 'small.txt': 'small file' }, `/retry-upload/${name}`);
    server.faults.add({ route: 'files/upload_session/start', nth: 1, action });
    const fired = server.faults.fired.length;
    const run = await upload(plan);
    expect(run.results[0]?.status).toBe('uploaded');
    await expectByteExact(plan);
    expect(server.faults.fired.length - fired).toBe(1);
    expect(run.connection.retryLines).toHaveLength(1);
    // A slow-down is said once for the run's window, with the Retry-After as sent.
    if (action.kind === 'rate-limit') {
      expect(run.connection.retryLines[0]).toMatch(
        /^Dropbox asked to slow down \(HTTP 429 too_many_\w+\): every request waits 1\.0 s/,
      );
    }
  });

  test.each([
    'files/upload_session/start',
    'files/upload_session/append_v2',
    'files/upload_session/finish_batch_v2',
  ])('a lost response on %s is reconciled: no chunk sent twice into the file, one commit', async (route) => {
    const plan = await planOf({ 'big.bin': 13 * MiB }, `/lost-${route.split('/').pop()}`);
    server.faults.add({ route, nth: 1, action: { kind: 'lost-response' } });
    const fired = server.faults.fired.length;
    const run = await upload(plan);
    expect(run.results[0]?.status).toBe('uploaded');
    await expectByteExact(plan);
    expect(server.faults.fired.length - fired).toBe(1);
  });

  test('a 5XX that outlasts max-attempts fails that file only, pointing to status.dropbox.com', async () => {
    // a.bin is bigger than a chunk: only its session appends meet the 503s; b.txt goes up in one start.
    const plan = await planOf({ 'a.bin': 6 * MiB, 'b.txt': 'b' }, '/outlast');
    server.faults.add({
      route: 'files/upload_session/append_v2',
      every: 1,
      times: 3,
      action: { kind: 'status', status: 503 },
    });
    const run = await upload(plan, { connection: connect(refreshCredentials(server), 3), concurrency: 1 });
    expect(run.results.map((result) => result.status)).toEqual(['failed', 'uploaded']);
    expect(run.results[0]?.error?.title).toBe('Dropbox is failing (5XX)');
    expect(run.results[0]?.error?.message).toContain('status.dropbox.com');
    expect(run.stoppedTitle).toBeUndefined();
  });
});

describe('big files', () => {
  test('a session start that fails for good fails its file before any of its bytes are sent', async () => {
    const plan = await planOf({ 'big.bin': 10 * MiB }, '/start-fails');
    server.faults.add({
      route: 'files/upload_session/start',
      every: 1,
      times: 3,
      action: { kind: 'status', status: 503 },
    });
    const since = lastSeq(server);
    const run = await upload(plan, { connection: connect(refreshCredentials(server), 3) });
    expect(run.results[0]?.status).toBe('failed');
    expect(run.results[0]?.error?.title).toBe('Dropbox is failing (5XX)');
    expect(run.results[0]?.bytesSent).toBe(0);
    expect(routesOf(since).filter((route) => route !== 'oauth2/token')).toEqual(
      Array.from({ length: 3 }, () => 'files/upload_session/start'),
    );
  });

  test('a file of whole blocks closes its session with an empty append, even when that answer is lost', async () => {
    const plan = await planOf({ 'blocks.bin': 8 * MiB }, '/whole-blocks');
    // Two 4 MiB appends in parallel, then the closing append: always the third.
    server.faults.add({ route: 'files/upload_session/append_v2', nth: 3, action: { kind: 'lost-response' } });
    const since = lastSeq(server);
    const run = await upload(plan);
    expect(run.results[0]?.status).toBe('uploaded');
    await expectByteExact(plan);
    const appends = server.requests.filter(
      (entry) => entry.seq > since && entry.route === 'files/upload_session/append_v2',
    );
    expect(appends.map((entry) => entry.bodyBytes)).toEqual([4 * MiB, 4 * MiB, 0, 0]);
    expect(appends.at(-1)?.errorTag).toBe('closed');
  });

  test('bytes hashed ahead that change before they are sent are refused, never committed', async () => {
    const plan = await planOf({ 'dump.bin': 9 * MiB, 'note.txt': 'kept' }, '/hashed-ahead');
    const big = plan.find((file) => file.relativePath === 'dump.bin')!;
    const digests = new DigestStore();
    await hashAhead(firstRanges(plan, 4 * MiB, 4), digests, new AbortController().signal);
    // Same size, other bytes: only the hashes computed ahead still describe the old ones.
    await writeFile(big.localPath, Buffer.alloc(big.size, 1));
    const run = await upload(plan, { digests });
    const byName = Object.fromEntries(run.results.map((result) => [path.basename(result.localPath), result]));
    expect(byName['dump.bin']?.status).toBe('failed');
    expect(byName['dump.bin']?.error?.title).toBe('Upload corrupted in transit');
    expect(server.commitCount(big.dropboxPath)).toBe(0);
    expect(byName['note.txt']?.status).toBe('uploaded');
  });
});

describe('if-exists', () => {
  const existing = 'already in Dropbox';
  async function seeded(mode: IfExists, bigFile = false): Promise<{ plan: PlannedFile[]; run: Run }> {
    const destination = `/if-exists-${mode}${bigFile ? '-big' : ''}`;
    const plan = await planOf(
      { 'report.txt': bigFile ? 6 * MiB : 'new content', 'fresh.txt': 'fresh' },
      destination,
    );
    server.putFile(`${destination}/report.txt`, existing);
    return { plan, run: await upload(plan, { ifExists: mode }) };
  }

  test.each([false, true])('overwrite replaces the existing file (bigger than a chunk: %s)', async (big) => {
    const { plan, run } = await seeded('overwrite', big);
    expect(run.results.map((result) => result.status)).toEqual(['uploaded', 'uploaded']);
    const report = plan.find((file) => file.relativePath === 'report.txt')!;
    expect(server.readFile(report.dropboxPath).equals(await readFile(report.localPath))).toBe(true);
  });

  test.each([false, true])(
    'skip leaves the existing file alone and counts it skipped (big: %s)',
    async (big) => {
      const { plan, run } = await seeded('skip', big);
      const byName = Object.fromEntries(
        run.results.map((result) => [path.basename(result.localPath), result]),
      );
      expect(byName['report.txt']?.status).toBe('skipped');
      // A big file is looked up first, so none of its bytes are sent; a small one is refused on arrival.
      if (big) expect(byName['report.txt']?.bytesSent).toBe(0);
      expect(byName['fresh.txt']?.status).toBe('uploaded');
      expect(server.readFile(plan.find((f) => f.relativePath === 'report.txt')!.dropboxPath).toString()).toBe(
        existing,
      );
    },
  );

  test.each([false, true])(
    'skip does not skip past a folder in the way: that file fails as such (big: %s)',
    async (big) => {
      const destination = `/if-exists-skip-folder${big ? '-big' : ''}`;
      const plan = await planOf({ 'report.txt': big ? 6 * MiB : 'new', 'fresh.txt': 'fresh' }, destination);
      server.createFolder(`${destination}/report.txt`);
      const run = await upload(plan, { ifExists: 'skip' });
      const byName = Object.fromEntries(
        run.results.map((result) => [path.basename(result.localPath), result]),
      );
      expect(byName['report.txt']?.status).toBe('failed');
      expect(byName['report.txt']?.error?.title).toBe('Folder in the way in Dropbox');
      expect(byName['fresh.txt']?.status).toBe('uploaded');
    },
  );

  test('skip with the destination listed (skip-unchanged) does not look each big file up again', async () => {
    const destination = '/if-exists-skip-listed';
    const plan = await planOf({ 'old.bin': 6 * MiB, 'new.bin': 6 * MiB }, destination);
    server.putFile(`${destination}/old.bin`, 'an older version');
    const listed = listingOf([
      [`${destination}/old.bin`, contentHashOfBuffer(Buffer.from('an older version'))],
    ]);
    const since = lastSeq(server);
    const run = await upload(plan, { ifExists: 'skip', listing: listed, skipUnchanged: true });
    expect(run.results.map((result) => [path.basename(result.localPath), result.status])).toEqual([
      ['new.bin', 'uploaded'],
      ['old.bin', 'skipped'],
    ]);
    expect(routesOf(since)).not.toContain('files/get_metadata');
    expect(server.readFile(`${destination}/old.bin`).toString()).toBe('an older version');
  });

  test('rename keeps the existing file and adds the new one under another name', async () => {
    const { run } = await seeded('rename');
    const report = run.results.find((result) => result.localPath.endsWith('report.txt'))!;
    expect(report.status).toBe('uploaded');
    expect(report.dropboxPath).not.toBe('/if-exists-rename/report.txt');
    expect(server.readFile('/if-exists-rename/report.txt').toString()).toBe(existing);
    expect(server.readFile(report.dropboxPath).toString()).toBe('new content');
  });

  test('fail makes the conflicting file failed with an explanation, and the others go on', async () => {
    const { run } = await seeded('fail');
    const report = run.results.find((result) => result.localPath.endsWith('report.txt'))!;
    expect(report.status).toBe('failed');
    expect(report.error?.title).toBe('File already exists in Dropbox');
    expect(report.error?.message).toContain('/if-exists-fail/report.txt');
    expect(run.results.find((result) => result.localPath.endsWith('fresh.txt'))?.status).toBe('uploaded');
  });

  test('fail: a big file is looked up first, so none of its bytes are sent', async () => {
    const since = lastSeq(server);
    const { run } = await seeded('fail', true);
    const report = run.results.find((result) => result.localPath.endsWith('report.txt'))!;
    expect([report.status, report.error?.title, report.bytesSent]).toEqual([
      'failed',
      'File already exists in Dropbox',
      0,
    ]);
    const checked = server.requests.filter(
      (entry) => entry.seq > since && entry.path === '/if-exists-fail-big/report.txt',
    );
    expect(checked.map((entry) => entry.route)).toEqual(['files/get_metadata']);
    expect(server.readFile('/if-exists-fail-big/report.txt').toString()).toBe(existing);
  });

  test.each(['skip', 'fail'] as const)(
    '%s with the destination listed decides small and big files before sending any byte',
    async (mode) => {
      const destination = `/if-exists-${mode}-decided`;
      const plan = await planOf(
        { 'small.txt': 'new', 'big.bin': 6 * MiB, 'fresh.txt': 'fresh' },
        destination,
      );
      server.putFile(`${destination}/small.txt`, existing);
      server.putFile(`${destination}/big.bin`, existing);
      const listing = listingOf([
        [`${destination}/small.txt`, contentHashOfBuffer(Buffer.from(existing))],
        [`${destination}/big.bin`, contentHashOfBuffer(Buffer.from(existing))],
      ]);
      const since = lastSeq(server);
      const run = await upload(plan, { ifExists: mode, listing, skipUnchanged: true });
      const byName = Object.fromEntries(
        run.results.map((result) => [path.basename(result.localPath), result]),
      );
      const expected = mode === 'skip' ? 'skipped' : 'failed';
      expect([byName['small.txt']?.status, byName['big.bin']?.status, byName['fresh.txt']?.status]).toEqual([
        expected,
        expected,
        'uploaded',
      ]);
      expect(byName['small.txt']?.bytesSent).toBe(0);
      expect(byName['big.bin']?.bytesSent).toBe(0);
      const bodies = server.requests
        .filter((entry) => entry.seq > since)
        .reduce((sum, entry) => sum + entry.bodyBytes, 0);
      expect(bodies).toBeLessThan(1024);
      expect(routesOf(since)).not.toContain('files/get_metadata');
    },
  );
});

describe('per-file problems are explained and the other files continue', () => {
  test('a disallowed name', async () => {
    const plan = await planOf({ 'desktop.ini': 'x', 'ok.txt': 'ok' }, '/names');
    const run = await upload(plan);
    expect(
      run.results.map((result) => [path.basename(result.localPath), result.status, result.error?.title]),
    ).toEqual([
      ['desktop.ini', 'failed', 'Name not allowed by Dropbox'],
      ['ok.txt', 'uploaded', undefined],
    ]);
  });

  test('no write permission', async () => {
    server.createFolder('/locked');
    server.setReadOnly('/locked');
    const plan = await planOf({ 'a.txt': 'a' }, '/locked');
    const run = await upload(plan);
    expect(run.results[0]?.error?.title).toBe('No write permission in Dropbox');
  });

  test('a request bigger than the server accepts', async () => {
    const small = await startFakeDropbox({ maxRequestBytes: 1 * MiB });
    try {
      const plan = await planOf({ 'two-mib.bin': 2 * MiB }, '/payload');
      const run = await upload(plan, { connection: connect(refreshCredentials(small)) });
      expect(run.results[0]?.error?.title).toBe('Request too large for Dropbox');
    } finally {
      await small.close();
      routeDropboxTo(server);
    }
  });

  test('running out of space fails the files that do not fit', async () => {
    const tight = await startFakeDropbox({ quotaBytes: 1000 });
    try {
      const plan = await planOf({ 'a.txt': 'a'.repeat(600), 'b.txt': 'b'.repeat(600) }, '/quota');
      const run = await upload(plan, { connection: connect(refreshCredentials(tight)), concurrency: 1 });
      // Results come in plan order; which file is committed first is not promised (files join a batch as
      // they become ready), so which of the two fits is not either.
      expect(run.results.map((result) => result.localPath)).toEqual(plan.map((file) => file.localPath));
      expect(run.results.map((result) => result.status).sort()).toEqual(['failed', 'uploaded']);
      const failed = run.results.find((result) => result.status === 'failed');
      expect(failed?.error?.title).toBe('Dropbox is out of space');
      expect(tight.usedBytes).toBe(600);
    } finally {
      await tight.close();
      routeDropboxTo(server);
    }
  });

  test('a malformed path', async () => {
    const plan = await planOf({ 'fine.txt': 'x' }, '/malformed');
    const broken = plan.map((file) => ({
      ...file,
      dropboxPath: file.dropboxPath.replace('/malformed/', '/malformed//'),
    }));
    const run = await upload(broken);
    expect(run.results[0]?.error?.title).toBe('Malformed Dropbox path');
  });

  test('a file whose bytes change under the upload is failed, never reported uploaded', async () => {
    const plan = await planOf({ 'changing.txt': 'original' }, '/changing');
    // The first attempt is told to come back in 1 s; the file changes in between.
    server.faults.add({
      route: 'files/upload_session/start',
      nth: 1,
      action: { kind: 'rate-limit', retryAfterSeconds: 1 },
    });
    const since = lastSeq(server);
    const outcome = upload(plan);
    while (!server.requests.some((entry) => entry.seq > since && entry.status === 429)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await writeFile(plan[0]!.localPath, 'changed!');
    const run = await outcome;
    expect(run.results[0]?.status).toBe('failed');
    expect(run.results[0]?.error?.title).toBe('Upload corrupted in transit');
    expect(server.commitCount(plan[0]!.dropboxPath)).toBe(0);
  });
});

describe('skip unchanged', () => {
  test('a file whose remote content hash equals the local one is not sent', async () => {
    const plan = await planOf({ 'same.txt': 'same', 'changed.txt': 'new' }, '/unchanged');
    const since = lastSeq(server);
    const run = await upload(plan, {
      concurrency: 2,
      skipUnchanged: true,
      listing: listingOf([
        ['/unchanged/same.txt', contentHashOfBuffer(Buffer.from('same'))],
        ['/unchanged/changed.txt', contentHashOfBuffer(Buffer.from('old'))],
      ]),
    });
    expect(run.results.map((result) => [result.status, result.reason])).toEqual([
      ['uploaded', undefined],
      ['skipped', 'unchanged'],
    ]);
    expect(routesOf(since).filter((route) => route.startsWith('files/'))).toEqual([
      'files/upload_session/start',
      'files/upload_session/finish_batch_v2',
    ]);
  });
});

describe('the run’s progress', () => {
  test('is told what arrives, a request at a time, and each file finished, and ends at the totals', async () => {
    const plan = await planOf(
      {
        'small.txt': 'ten bytes!',
        'big.bin': 9 * MiB + 5,
        'same.txt': 'same',
        'empty.txt': '',
      },
      '/progress',
    );
    const total = plan.reduce((sum, file) => sum + file.size, 0);
    const progress = new RunProgress(plan.length, total);
    const arrived: number[] = [];
    const finished: [number, number][] = [];
    const run = await upload(plan, {
      skipUnchanged: true,
      listing: listingOf([['/progress/same.txt', contentHashOfBuffer(Buffer.from('same'))]]),
      progress: {
        addBytes: (bytes) => {
          arrived.push(bytes);
          progress.addBytes(bytes);
        },
        fileDone: (size, counted) => {
          finished.push([size, counted]);
          progress.fileDone(size, counted);
        },
      },
    });
    expect(run.results.map((result) => result.status)).toEqual([
      'uploaded',
      'uploaded',
      'skipped',
      'uploaded',
    ]);
    // The big file's two 4 MiB appends and its closing tail, each as it arrived; the small files whole;
    // the skipped one never sent, counted whole when it is decided.
    expect([...arrived].sort((a, b) => a - b)).toEqual([0, 10, MiB + 5, 4 * MiB, 4 * MiB]);
    expect(finished).toHaveLength(4);
    expect(finished).toContainEqual([4, 0]);
    expect(finished).toContainEqual([9 * MiB + 5, 9 * MiB + 5]);
    expect(progress.snapshot()).toMatchObject({ filesDone: 4, bytesDone: total, bytesTotal: total });
  });
});
