/**
 * The restore engine against the fake Dropbox, through the real network stack and real temp dirs:
 * byte-exact trees, ranged big files, resumed ranges, faults, cancellation, and what stays untouched.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { DropboxApi } from '../../../src/dropbox/client.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { listRemoteFolder } from '../../../src/dropbox/listing.ts';
import type { Credentials, DownloadResult, RestorePlan } from '../../../src/model.ts';
import { parseIncludePatterns } from '../../../src/plan/include-patterns.ts';
import { planRestore } from '../../../src/plan/restore-plan.ts';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import {
  DOWNLOADS_PER_FILE,
  restoreFiles,
  type RestoreOptions,
  type RestoreOutcome,
} from '../../../src/transfer/download.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { connectToNamespace } from '../../../src/dropbox/namespace.ts';
import { APP, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { lastSeq } from '../../support/request-log.ts';
import { MiB, patternBytes } from '../../support/tree.ts';

let server: FakeDropbox;
const folders: string[] = [];

beforeAll(async () => {
  server = await startFakeDropbox();
});
afterAll(async () => {
  await server.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});
afterEach(() => {
  server.faults.clear();
  routeDropboxTo(server);
});

async function emptyFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'dbx-restore-'));
  folders.push(folder);
  return folder;
}

interface Connection {
  api: DropboxApi;
  tokens: TokenSource;
  retryLines: string[];
}

function connect(
  options: { requestTimeoutMs?: number; maxAttempts?: number; credentials?: Credentials } = {},
): Connection {
  const retryLines: string[] = [];
  const tokens = new TokenSource(options.credentials ?? refreshCredentials(server), {
    mask: () => undefined,
  });
  const api = new DropboxApi(tokens, {
    maxAttempts: options.maxAttempts ?? 5,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    onRetry: (line) => retryLines.push(line),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  return { api, tokens, retryLines };
}

interface Restored {
  plan: RestorePlan;
  outcome: RestoreOutcome;
  connection: Connection;
  lines: string[];
}

async function restore(
  source: string,
  target: string,
  options: Partial<RestoreOptions> & { connection?: Connection; include?: string[]; chunkMiB?: number } = {},
): Promise<Restored> {
  const { connection = connect(), include, chunkMiB = 4, ...engine } = options;
  const entries = await listRemoteFolder(connection.api, source, { recursive: true });
  const plan = planRestore({
    source,
    sourceKind: 'folder',
    entries,
    target,
    ...(include === undefined ? {} : { include: parseIncludePatterns(include) }),
  });
  const lines: string[] = [];
  const outcome = await restoreFiles(plan, connection.api, {
    chunkSizeBytes: chunkMiB * MiB,
    concurrency: 4,
    ifExists: 'overwrite',
    skipUnchanged: false,
    log: (line) => lines.push(line),
    ...engine,
  });
  return { plan, outcome, connection, lines };
}

/** Every file under `folder`, relative, with `/`. */
async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isDirectory())
      found.push(path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return found.sort();
}

async function temporaryFilesUnder(folder: string): Promise<string[]> {
  return (await filesUnder(folder)).filter((file) => path.basename(file).startsWith('.dropbox-restore-'));
}

function downloadsSince(
  since: number,
): { range?: string; fault?: string; status: number; responseBytes?: number }[] {
  return server.requests.filter((entry) => entry.seq > since && entry.route === 'files/download');
}

function statuses(results: readonly DownloadResult[]): string[] {
  return results.map((result) => `${result.relativePath}: ${result.status}`);
}

describe('a mixed tree', () => {
  test('arrives byte-exact with its times: unicode and spaces, nested folders, empty files and folders, a file bigger than a chunk', async () => {
    const files: Record<string, Buffer> = {
      'index.html': Buffer.from('<h1>hi</h1>'),
      'docs/résumé 2026 – final.txt': Buffer.from('unicode and spaces'),
      'docs/日本語/メモ.txt': Buffer.from('nested unicode'),
      'empty.txt': Buffer.alloc(0),
      'deep/a/b/c/d.txt': Buffer.from('deep'),
      'big/odd.bin': patternBytes(9 * MiB + 123, 3),
    };
    const times = new Map<string, string>();
    let second = 0;
    for (const [relative, content] of Object.entries(files)) {
      const clientModified = `2024-03-0${1 + (second % 9)}T10:20:${String(second).padStart(2, '0')}Z`;
      second += 7;
      times.set(relative, clientModified);
      server.putFile(`/mixed/${relative}`, content, { clientModified });
    }
    server.createFolder('/mixed/empty folder/nested empty');
    const target = path.join(await emptyFolder(), 'not yet there');

    const { outcome, lines } = await restore('/mixed', target);

    expect(outcome.stoppedBy).toBeUndefined();
    expect(statuses(outcome.results)).toEqual(
      Object.keys(files)
        .sort((a, b) => (a < b ? -1 : 1))
        .map((relative) => `${relative}: downloaded`),
    );
    for (const [relative, content] of Object.entries(files)) {
      const local = path.join(target, ...relative.split('/'));
      expect((await readFile(local)).equals(content)).toBe(true);
      expect((await stat(local)).mtimeMs).toBe(Date.parse(times.get(relative) ?? ''));
    }
    expect(outcome.folders).toEqual([
      expect.objectContaining({ relativePath: 'empty folder/nested empty', status: 'created' }),
    ]);
    expect((await stat(path.join(target, 'empty folder', 'nested empty'))).isDirectory()).toBe(true);
    expect(await temporaryFilesUnder(target)).toEqual([]);
    const odd = outcome.results.find((result) => result.relativePath === 'big/odd.bin');
    expect(odd).toMatchObject({
      bytesReceived: 9 * MiB + 123,
      contentHash: contentHashOfBuffer(files['big/odd.bin']!),
    });
    expect(lines).toContain('downloaded /mixed/empty.txt → empty.txt (0 B)');
  });

  test('a 40 MiB file with chunk-size 4 comes as ten ranged requests, byte-exact', async () => {
    const data = patternBytes(40 * MiB, 5);
    server.putFile('/forty/archive.bin', data);
    const target = await emptyFolder();
    const since = lastSeq(server);
    const { outcome } = await restore('/forty', target, { concurrency: 4 });
    expect(statuses(outcome.results)).toEqual(['archive.bin: downloaded']);
    expect((await readFile(path.join(target, 'archive.bin'))).equals(data)).toBe(true);
    const ranges = downloadsSince(since).map((entry) => entry.range);
    expect(ranges.sort()).toEqual(
      Array.from(
        { length: 10 },
        (_, index) => `bytes=${index * 4 * MiB}-${(index + 1) * 4 * MiB - 1}`,
      ).sort(),
    );
    expect(downloadsSince(since).every((entry) => entry.status === 206)).toBe(true);
  });

  test('include picks files; an empty Dropbox folder it does not name is not created', async () => {
    server.putFile('/picked/db/dump.sql', 'sql');
    server.putFile('/picked/web/index.html', 'html');
    server.putFile('/picked/app.log', 'log');
    server.createFolder('/picked/empty');
    const target = await emptyFolder();
    const { outcome } = await restore('/picked', target, { include: ['**', '!*.log', '!empty'] });
    expect(statuses(outcome.results)).toEqual(['db/dump.sql: downloaded', 'web/index.html: downloaded']);
    expect(await filesUnder(target)).toEqual(['db/dump.sql', 'web/index.html']);
    expect(outcome.folders).toEqual([]);
  });
});

describe('faults', () => {
  test('a cut body resumes from what arrived: the retry asks only for the rest of its range', async () => {
    const data = patternBytes(12 * MiB, 7);
    server.putFile('/cut/big.bin', data);
    server.faults.add({
      route: 'files/download',
      nth: 2,
      action: { kind: 'cut-body', afterBytes: 1_000_000 },
    });
    const target = await emptyFolder();
    const since = lastSeq(server);
    const { outcome, connection } = await restore('/cut', target, { concurrency: 1 });
    expect(statuses(outcome.results)).toEqual(['big.bin: downloaded']);
    expect((await readFile(path.join(target, 'big.bin'))).equals(data)).toBe(true);
    const downloads = downloadsSince(since);
    const cut = downloads.find((entry) => entry.fault === 'cut-body');
    expect(cut).toMatchObject({ range: `bytes=${4 * MiB}-${8 * MiB - 1}`, responseBytes: 1_000_000 });
    // Four requests: the three ranges, and one retry that asks only for the rest of the cut range: from
    // what reached the engine (the client's last buffered bytes may be lost with the connection) to its end.
    expect(downloads).toHaveLength(4);
    const retry = downloads.filter((entry) => entry.range?.endsWith(`-${8 * MiB - 1}`))[1];
    const resumedAt = Number(/^bytes=(\d+)-/.exec(retry?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(4 * MiB);
    expect(resumedAt).toBeLessThanOrEqual(4 * MiB + 1_000_000);
    expect(retry?.responseBytes).toBe(8 * MiB - resumedAt);
    // Every byte written once: nothing was fetched again that had arrived.
    expect(outcome.results[0]?.bytesReceived).toBe(12 * MiB);
    expect(connection.retryLines).toEqual([
      expect.stringMatching(
        /^download \/cut\/big\.bin \(bytes 4194304-8388607\): network error; retry 1 of 4/,
      ),
    ]);
  });

  test('a file that fits in one request, cut, is resumed with a Range for the rest', async () => {
    const data = patternBytes(3 * MiB + 17, 8);
    server.putFile('/cut-small/one.bin', data);
    server.faults.add({ route: 'files/download', action: { kind: 'cut-body', afterBytes: 123_456 } });
    const target = await emptyFolder();
    const since = lastSeq(server);
    const { outcome } = await restore('/cut-small', target);
    expect(statuses(outcome.results)).toEqual(['one.bin: downloaded']);
    expect((await readFile(path.join(target, 'one.bin'))).equals(data)).toBe(true);
    const [first, retry] = downloadsSince(since);
    expect(first).toMatchObject({ status: 200, fault: 'cut-body' });
    expect(first?.range).toBeUndefined();
    // What reached the engine before the cut (the client's buffered bytes may go with the connection).
    const arrived = data.length - (retry?.responseBytes ?? 0);
    expect(arrived).toBeLessThanOrEqual(123_456);
    if (arrived > 0)
      expect(retry).toMatchObject({ status: 206, range: `bytes=${arrived}-${data.length - 1}` });
    else expect(retry).toMatchObject({ status: 200 });
    expect(outcome.results[0]?.bytesReceived).toBe(data.length);
  });

  test('a reset connection is retried', async () => {
    server.putFile('/reset/a.txt', 'after a reset');
    server.faults.add({ route: 'files/download', action: { kind: 'reset' } });
    const target = await emptyFolder();
    const { outcome, connection } = await restore('/reset', target);
    expect(statuses(outcome.results)).toEqual(['a.txt: downloaded']);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('after a reset');
    expect(connection.retryLines).toEqual([expect.stringContaining('network error; retry 1 of 4')]);
  });

  test('a body that stalls past request-timeout is abandoned and resumed from what arrived', async () => {
    const data = patternBytes(2 * MiB, 9);
    server.putFile('/stall/s.bin', data);
    server.faults.add({
      route: 'files/download',
      action: { kind: 'stall-body', afterBytes: 256 * 1024, ms: 5000 },
    });
    const target = await emptyFolder();
    const since = lastSeq(server);
    const connection = connect({ requestTimeoutMs: 400 });
    const { outcome } = await restore('/stall', target, { connection });
    expect(statuses(outcome.results)).toEqual(['s.bin: downloaded']);
    expect((await readFile(path.join(target, 's.bin'))).equals(data)).toBe(true);
    expect(connection.retryLines).toEqual([expect.stringContaining('(request-timeout)')]);
    const [first, second] = downloadsSince(since);
    expect(first?.fault).toBe('stall-body');
    // The retry asks for the rest: at least the 256 KiB before the stall arrived.
    const resumedAt = Number(/^bytes=(\d+)-/.exec(second?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThanOrEqual(256 * 1024);
    expect(second?.range).toBe(`bytes=${resumedAt}-${data.length - 1}`);
  });

  test('an answer that never comes (a stall before the headers) is retried after request-timeout', async () => {
    server.putFile('/stall-head/h.txt', 'headers at last');
    server.faults.add({ route: 'files/download', action: { kind: 'stall', ms: 5000 } });
    const target = await emptyFolder();
    const connection = connect({ requestTimeoutMs: 300 });
    const { outcome } = await restore('/stall-head', target, { connection });
    expect(statuses(outcome.results)).toEqual(['h.txt: downloaded']);
    expect(connection.retryLines).toEqual([expect.stringContaining('(request-timeout)')]);
  });

  test('bytes altered in flight once: the file is downloaded again and arrives exact', async () => {
    const data = patternBytes(5 * MiB, 10);
    server.putFile('/corrupt-once/c.bin', data);
    server.faults.add({ route: 'files/download', nth: 2, action: { kind: 'corrupt-body', atByte: 77 } });
    const target = await emptyFolder();
    const since = lastSeq(server);
    const { outcome, lines } = await restore('/corrupt-once', target);
    expect(statuses(outcome.results)).toEqual(['c.bin: downloaded']);
    expect((await readFile(path.join(target, 'c.bin'))).equals(data)).toBe(true);
    // Two ranges, then both again: a mismatch cannot tell which range was bad.
    expect(downloadsSince(since)).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringContaining('downloading the file again (2 of 2)'));
  });

  test('bytes altered on every download: reported failed, nothing under the name, the local file untouched', async () => {
    server.putFile('/corrupt/c.txt', 'the remote bytes');
    server.faults.add({ route: 'files/download', every: 1, action: { kind: 'corrupt-body' } });
    const target = await emptyFolder();
    await writeFile(path.join(target, 'c.txt'), 'the local file');
    const since = lastSeq(server);
    const { outcome } = await restore('/corrupt', target);
    expect(statuses(outcome.results)).toEqual(['c.txt: failed']);
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.corrupted);
    expect(outcome.results[0]?.error?.message).toContain(`on each of ${DOWNLOADS_PER_FILE} downloads`);
    expect(downloadsSince(since)).toHaveLength(DOWNLOADS_PER_FILE);
    expect(await readFile(path.join(target, 'c.txt'), 'utf8')).toBe('the local file');
    expect(await filesUnder(target)).toEqual(['c.txt']);
  });

  test('a download that fails for good leaves an existing local file untouched and no temporary file', async () => {
    server.putFile('/fails/keep.txt', 'remote');
    server.putFile('/fails/big.bin', patternBytes(9 * MiB, 2));
    server.faults.add({ route: 'files/download', every: 1, action: { kind: 'status', status: 503 } });
    const target = await emptyFolder();
    await writeFile(path.join(target, 'keep.txt'), 'local');
    await writeFile(path.join(target, 'big.bin'), 'local big');
    const { outcome } = await restore('/fails', target, { connection: connect({ maxAttempts: 2 }) });
    expect(statuses(outcome.results)).toEqual(['big.bin: failed', 'keep.txt: failed']);
    expect(outcome.results[0]?.error?.title).toBe('Dropbox is failing (5XX)');
    expect(await readFile(path.join(target, 'keep.txt'), 'utf8')).toBe('local');
    expect(await readFile(path.join(target, 'big.bin'), 'utf8')).toBe('local big');
    expect(await filesUnder(target)).toEqual(['big.bin', 'keep.txt']);
  });

  test('an access token that expires mid-download is refreshed once and the range goes on', async () => {
    const data = patternBytes(16 * MiB, 11);
    server.putFile('/expiry/e.bin', data);
    server.faults.add({ route: 'files/download', nth: 2, action: { kind: 'expire-token' } });
    const target = await emptyFolder();
    const connection = connect();
    const { outcome } = await restore('/expiry', target, { connection, concurrency: 2 });
    expect(statuses(outcome.results)).toEqual(['e.bin: downloaded']);
    expect((await readFile(path.join(target, 'e.bin'))).equals(data)).toBe(true);
    expect(connection.tokens.refreshes).toBe(2);
  });
});

describe('cancellation', () => {
  test('mid-download: nothing under the final names, the local file untouched, no temporary file', async () => {
    const slow = await startFakeDropbox({ connectionBytesPerSecond: 2 * MiB });
    try {
      slow.putFile('/slow/big.bin', patternBytes(24 * MiB, 12));
      slow.putFile('/slow/small.txt', 'small');
      const target = await emptyFolder();
      await writeFile(path.join(target, 'big.bin'), 'the local big file');
      const controller = new AbortController();
      const connection = connect({ credentials: refreshCredentials(slow) });
      const entries = await listRemoteFolder(connection.api, '/slow', { recursive: true });
      const plan = planRestore({ source: '/slow', sourceKind: 'folder', entries, target });
      const running = restoreFiles(plan, connection.api, {
        chunkSizeBytes: 8 * MiB,
        concurrency: 1,
        ifExists: 'overwrite',
        skipUnchanged: false,
        log: () => undefined,
        signal: controller.signal,
      });
      // Once bytes are flowing, cancel.
      while (
        !slow.requests.some((entry) => entry.route === 'files/download' && (entry.responseBytes ?? 0) > 0)
      )
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort(new Error('cancelled (SIGINT)'));
      const outcome = await running;
      expect(outcome.stoppedBy?.title).toBe(restoreTitles.cancelled);
      expect(statuses(outcome.results)).toEqual(['big.bin: failed', 'small.txt: failed']);
      expect(outcome.results.every((result) => result.error?.title === restoreTitles.cancelled)).toBe(true);
      expect(await readFile(path.join(target, 'big.bin'), 'utf8')).toBe('the local big file');
      expect(await filesUnder(target)).toEqual(['big.bin']);
    } finally {
      await slow.close();
      routeDropboxTo(server);
    }
  });
});

describe('if-exists and skip-unchanged are decided before a byte is fetched', () => {
  test.each<[string, Partial<RestoreOptions>, string, string | undefined]>([
    ['skip', { ifExists: 'skip' }, 'skipped', undefined],
    ['fail', { ifExists: 'fail' }, 'failed', restoreTitles.localFileExists],
  ])('if-exists: %s leaves the local file as it is', async (_name, options, status, title) => {
    server.putFile(`/exists-${_name}/x.txt`, 'remote');
    server.putFile(`/exists-${_name}/new.txt`, 'new');
    const target = await emptyFolder();
    await writeFile(path.join(target, 'x.txt'), 'local');
    const since = lastSeq(server);
    const { outcome } = await restore(`/exists-${_name}`, target, options);
    expect(statuses(outcome.results)).toEqual(['new.txt: downloaded', `x.txt: ${status}`]);
    expect(outcome.results[1]?.error?.title).toBe(title);
    if (status === 'skipped') expect(outcome.results[1]?.reason).toBe('already exists');
    expect(await readFile(path.join(target, 'x.txt'), 'utf8')).toBe('local');
    expect(downloadsSince(since)).toHaveLength(1);
  });

  test('if-exists: overwrite replaces the local file', async () => {
    server.putFile('/exists-overwrite/x.txt', 'remote');
    const target = await emptyFolder();
    await writeFile(path.join(target, 'x.txt'), 'local, longer than the remote');
    const { outcome } = await restore('/exists-overwrite', target);
    expect(statuses(outcome.results)).toEqual(['x.txt: downloaded']);
    expect(await readFile(path.join(target, 'x.txt'), 'utf8')).toBe('remote');
  });

  test('skip-unchanged: a local file with the remote content is skipped as unchanged, even with if-exists: fail', async () => {
    const same = patternBytes(6 * MiB, 13);
    server.putFile('/unchanged/same.bin', same);
    server.putFile('/unchanged/changed.txt', 'remote!');
    const target = await emptyFolder();
    await writeFile(path.join(target, 'same.bin'), same);
    await writeFile(path.join(target, 'changed.txt'), 'local!!');
    const since = lastSeq(server);
    const { outcome } = await restore('/unchanged', target, { skipUnchanged: true });
    expect(statuses(outcome.results)).toEqual(['changed.txt: downloaded', 'same.bin: skipped']);
    expect(outcome.results[1]).toMatchObject({ reason: 'unchanged', bytesReceived: 0 });
    expect(await readFile(path.join(target, 'changed.txt'), 'utf8')).toBe('remote!');
    expect(downloadsSince(since).map((entry) => entry.range)).toEqual([undefined]);

    const again = await restore('/unchanged', target, { skipUnchanged: true, ifExists: 'fail' });
    expect(statuses(again.outcome.results)).toEqual(['changed.txt: skipped', 'same.bin: skipped']);
  });
});

describe('the source changes or goes', () => {
  test('a file changed since the listing fails as changed; nothing is written for it', async () => {
    server.putFile('/changing/c.txt', 'listed version');
    server.putFile('/changing/ok.txt', 'ok');
    const target = await emptyFolder();
    const connection = connect();
    const entries = await listRemoteFolder(connection.api, '/changing', { recursive: true });
    server.putFile('/changing/c.txt', 'a newer version');
    const plan = planRestore({ source: '/changing', sourceKind: 'folder', entries, target });
    const outcome = await restoreFiles(plan, connection.api, {
      chunkSizeBytes: 4 * MiB,
      concurrency: 2,
      ifExists: 'overwrite',
      skipUnchanged: false,
      log: () => undefined,
    });
    expect(statuses(outcome.results)).toEqual(['c.txt: failed', 'ok.txt: downloaded']);
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.sourceChanged);
    expect(await filesUnder(target)).toEqual(['ok.txt']);
  });

  test('a file deleted since the listing fails as gone', async () => {
    server.putFile('/going/g.txt', 'soon gone');
    const target = await emptyFolder();
    const connection = connect();
    const entries = await listRemoteFolder(connection.api, '/going', { recursive: true });
    await connection.api.sdk.filesDeleteV2({ path: '/going/g.txt' });
    const plan = planRestore({ source: '/going', sourceKind: 'folder', entries, target });
    const outcome = await restoreFiles(plan, connection.api, {
      chunkSizeBytes: 4 * MiB,
      concurrency: 2,
      ifExists: 'overwrite',
      skipUnchanged: false,
      log: () => undefined,
    });
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.sourceGone);
    expect(await filesUnder(target)).toEqual([]);
  });
});

describe('credentials and namespaces', () => {
  test('a token without files.content.read stops the run with one explanation naming the scope', async () => {
    server.putFile('/scoped/a.txt', 'a');
    server.putFile('/scoped/b.txt', 'b');
    const target = await emptyFolder();
    const connection = connect({ credentials: refreshCredentials(server, ['files.metadata.read']) });
    const { outcome } = await restore('/scoped', target, { connection });
    expect(outcome.stoppedBy?.title).toBe('Dropbox app is missing a permission');
    expect(outcome.stoppedBy?.message).toContain('"files.content.read"');
    expect(outcome.results.map((result) => result.error?.title)).toEqual([
      outcome.stoppedBy?.title,
      outcome.stoppedBy?.title,
    ]);
    expect(await filesUnder(target)).toEqual([]);
  });

  test('Dropbox-API-Path-Root and Select-User reach the download (a team token in the team space)', async () => {
    const team = await startFakeDropbox({ team: { memberName: 'Ada', teamFolderName: 'Engineering' } });
    try {
      team.putFile('/Engineering/builds/app.bin', 'team bytes');
      const credentials: Credentials = {
        kind: 'refresh-token',
        refreshToken: team.issueRefreshToken({ appKey: APP.key, team: true }),
        appKey: APP.key,
        appSecret: APP.secret,
        accessTokenIgnored: false,
      };
      const tokens = new TokenSource(credentials, { mask: () => undefined });
      const connection = await connectToNamespace(
        tokens,
        { namespace: { kind: 'team' }, selectUser: team.team!.memberId },
        { maxAttempts: 2, backoff: { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 } },
      );
      if ('failure' in connection) throw new Error(connection.failure.message);
      const target = await emptyFolder();
      const { outcome } = await restore('/Engineering/builds', target, {
        connection: { api: connection.api, tokens, retryLines: [] },
      });
      expect(statuses(outcome.results)).toEqual(['app.bin: downloaded']);
      expect(await readFile(path.join(target, 'app.bin'), 'utf8')).toBe('team bytes');
    } finally {
      await team.close();
      routeDropboxTo(server);
    }
  });
});

describe('the local side', () => {
  test('names that meet on a case-insensitive file system: both fail, naming each other, nothing written', async () => {
    server.putFile('/collide/caf\u00e9.txt', 'composed');
    server.putFile('/collide/cafe\u0301.txt', 'decomposed');
    server.putFile('/collide/fine.txt', 'fine');
    const target = await emptyFolder();
    const since = lastSeq(server);
    const { outcome } = await restore('/collide', target);
    expect(statuses(outcome.results)).toEqual([
      'cafe\u0301.txt: failed',
      'caf\u00e9.txt: failed',
      'fine.txt: downloaded',
    ]);
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.namesCollide);
    expect(outcome.results[0]?.error?.message).toContain('"/collide/caf\u00e9.txt"');
    expect(await filesUnder(target)).toEqual(['fine.txt']);
    expect(downloadsSince(since)).toHaveLength(1);
  });

  test('a local folder where a file goes fails that file', async () => {
    server.putFile('/in-the-way/report', 'a file in Dropbox');
    const target = await emptyFolder();
    await mkdir(path.join(target, 'report'));
    const { outcome } = await restore('/in-the-way', target);
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.localPathBlocked);
    expect((await stat(path.join(target, 'report'))).isDirectory()).toBe(true);
  });

  test('a symbolic link on the way is never written through: nothing lands outside the target', async () => {
    server.putFile('/linked/sub/x.txt', 'must stay inside');
    const target = await emptyFolder();
    const outside = await emptyFolder();
    await symlink(outside, path.join(target, 'sub'), 'dir');
    const { outcome } = await restore('/linked', target);
    expect(statuses(outcome.results)).toEqual(['sub/x.txt: failed']);
    expect(outcome.results[0]?.error?.title).toBe(restoreTitles.localPathBlocked);
    expect(outcome.results[0]?.error?.message).toContain('symbolic link');
    expect(await readdir(outside)).toEqual([]);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? test.skip : test)(
    'a folder the job may not write to fails its files with the permission explanation',
    async () => {
      server.putFile('/locked/ro/x.txt', 'x');
      server.putFile('/locked/ok.txt', 'ok');
      const target = await emptyFolder();
      await mkdir(path.join(target, 'ro'));
      await chmod(path.join(target, 'ro'), 0o555);
      try {
        const { outcome } = await restore('/locked', target);
        expect(statuses(outcome.results)).toEqual(['ok.txt: downloaded', 'ro/x.txt: failed']);
        expect(outcome.results[1]?.error?.title).toBe(restoreTitles.noLocalPermission);
        expect(outcome.results[1]?.error?.message).toContain('EACCES');
        expect(await readdir(path.join(target, 'ro'))).toEqual([]);
      } finally {
        await chmod(path.join(target, 'ro'), 0o755);
      }
    },
  );
});
