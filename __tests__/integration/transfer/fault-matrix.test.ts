/**
 * The fault matrix: a mixed tree goes up against the fake server while one kind of fault fires, and
 * afterwards every file is byte-exact in Dropbox, committed exactly once, and nothing else was written.
 * Small chunk sizes and a fast backoff keep it quick; the faults are placed by route and count.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox, FaultRule } from '../../../fake-dropbox/index.ts';
import { DropboxApi } from '../../../src/dropbox/client.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { transferFiles, type TransferOutcome } from '../../../src/transfer/transfer.ts';
import { refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
let tree: Tree;

/**
 * One file bigger than a chunk (4 MiB): an empty concurrent start, three parallel appends, then the
 * closing append, always the 4th append_v2 of a run. The rest go up in one request each.
 */
const FILES = {
  'big/archive.bin': 13 * MiB + 5,
  'big/exactly-one-chunk.bin': 4 * MiB,
  'site/index.html': '<h1>matrix</h1>',
  'site/app.js': 'console.log("matrix")',
  'site/assets/logo.bin': 20_000,
  'site/assets/font.bin': 70_001,
  'site/docs/résumé 2026 – final.txt': 'unicode and spaces',
  'site/docs/日本語/メモ.txt': 'nested unicode',
  'site/empty.txt': '',
  'site/data/a.json': '{"a":1}',
  'site/data/b.json': '{"b":2}',
  'site/data/c.json': '{"c":3}',
};
const FILE_COUNT = Object.keys(FILES).length;

beforeAll(async () => {
  server = await startFakeDropbox();
  tree = await makeTree(FILES);
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});
afterEach(() => server.faults.clear());

function planFor(destination: string): Promise<PlannedFile[]> {
  return planTree(tree, destination, '**');
}

interface MatrixRun {
  plan: PlannedFile[];
  outcome: TransferOutcome;
  retryLines: string[];
  tokens: TokenSource;
  /** Stored files that are new or changed since before the run, by lower-cased path. */
  written: Set<string>;
}

function storedRevs(target: FakeDropbox): Map<string, string> {
  return new Map(target.files().map((file) => [file.pathLower, file.rev]));
}

async function uploadTree(
  destination: string,
  options: { requestTimeoutMs?: number; target?: FakeDropbox } = {},
): Promise<MatrixRun> {
  const target = options.target ?? server;
  const plan = await planFor(destination);
  const retryLines: string[] = [];
  const tokens = new TokenSource(refreshCredentials(target), { mask: () => undefined });
  const api = new DropboxApi(tokens, {
    maxAttempts: 6,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    onRetry: (line) => retryLines.push(line),
  });
  const before = storedRevs(target);
  const outcome = await transferFiles(plan, api, {
    chunkSizeBytes: 4 * MiB,
    concurrency: 4,
    ifExists: 'overwrite',
    log: (line) => retryLines.push(line),
    // Small, quick batches, so a run has several and faults can land on more than one.
    batchPolicy: { maxEntries: 4, maxWaitMs: 50 },
  });
  const written = new Set<string>();
  for (const [pathLower, rev] of storedRevs(target))
    if (before.get(pathLower) !== rev) written.add(pathLower);
  return { plan, outcome, retryLines, tokens, written };
}

/** Every file arrived byte-exact, committed once, and nothing but the plan's files was written. */
async function expectAllArrived(run: MatrixRun, target: FakeDropbox = server): Promise<void> {
  expect(run.outcome.stoppedBy).toBeUndefined();
  expect(run.outcome.results.map((result) => [result.dropboxPath, result.status])).toEqual(
    run.plan.map((file) => [file.dropboxPath, 'uploaded']),
  );
  for (const file of run.plan) {
    expect([
      file.dropboxPath,
      target.readFile(file.dropboxPath).equals(await readFile(file.localPath)),
    ]).toEqual([file.dropboxPath, true]);
    expect([file.dropboxPath, target.commitCount(file.dropboxPath)]).toEqual([file.dropboxPath, 1]);
  }
  expect(run.written).toEqual(new Set(run.plan.map((file) => file.dropboxPath.toLowerCase())));
}

function firedSince(count: number): string[] {
  return server.faults.fired.slice(count).map((fault) => `${fault.route} ${fault.kind}`);
}

test('the tree has every kind of file the matrix needs', async () => {
  const plan = await planFor('/matrix/shape');
  expect(plan).toHaveLength(FILE_COUNT);
  expect(plan.filter((file) => file.size > 4 * MiB)).toHaveLength(1);
});

describe('fault matrix', () => {
  test('no faults: the baseline', async () => {
    await expectAllArrived(await uploadTree('/matrix/baseline'));
  });

  test('5XX on every 3rd request', async () => {
    server.faults.add({ every: 3, action: { kind: 'status', status: 503, body: 'unavailable' } });
    const fired = server.faults.fired.length;
    const run = await uploadTree('/matrix/5xx');
    await expectAllArrived(run);
    expect(firedSince(fired).length).toBeGreaterThanOrEqual(4);
    expect(run.retryLines.some((line) => line.includes('HTTP 503'))).toBe(true);
  });

  test('429 bursts with Retry-After', async () => {
    server.faults.add({
      route: /^files\/upload_session\//,
      nth: 2,
      every: 1,
      times: 4,
      action: { kind: 'rate-limit', retryAfterSeconds: 1, reason: 'too_many_requests' },
    });
    const fired = server.faults.fired.length;
    const run = await uploadTree('/matrix/429');
    await expectAllArrived(run);
    expect(firedSince(fired)).toHaveLength(4);
    // Retry-After is obeyed as sent, not replaced by the (fast) backoff, and said once per window that
    // every request waits out, not once per request: 429s sent together share one window and one line.
    const windows = run.retryLines.filter((line) => line.startsWith('Dropbox asked to slow down'));
    expect(windows.length).toBeGreaterThanOrEqual(1);
    expect(windows.length).toBeLessThanOrEqual(4);
    for (const line of windows)
      expect(line).toMatch(/\(HTTP 429 too_many_requests\): every request waits 1\.0 s/);
    expect(run.retryLines.filter((line) => line.includes('too_many_requests'))).toEqual(windows);
  });

  test('connection resets before the body', async () => {
    server.faults.add({ route: /^files\//, every: 4, times: 6, action: { kind: 'reset' } });
    const fired = server.faults.fired.length;
    const run = await uploadTree('/matrix/reset');
    await expectAllArrived(run);
    expect(firedSince(fired)).toHaveLength(6);
  });

  test.each([
    ['the start of the big file’s session', { route: 'files/upload_session/start', nth: 1 }],
    [
      'the start of a small file (it carries the bytes and closes)',
      { route: 'files/upload_session/start', nth: 4 },
    ],
    ['an append of the big file', { route: 'files/upload_session/append_v2', nth: 1 }],
    ['the closing append (the session’s finish)', { route: 'files/upload_session/append_v2', nth: 4 }],
    ['finish_batch_v2', { route: 'files/upload_session/finish_batch_v2', nth: 1 }],
    ['a later finish_batch_v2', { route: 'files/upload_session/finish_batch_v2', nth: 2 }],
  ] as const)('a lost response on %s: nothing committed twice', async (_name, where) => {
    server.faults.add({ ...where, action: { kind: 'lost-response' } } as FaultRule);
    const fired = server.faults.fired.length;
    const run = await uploadTree(`/matrix/lost-${where.route.split('/').pop()}-${where.nth}`);
    await expectAllArrived(run);
    expect(firedSince(fired)).toEqual([`${where.route} lost-response`]);
  });

  test('stalls longer than request-timeout are aborted and retried', async () => {
    const stall = { kind: 'stall', ms: 20_000 } as const;
    server.faults.add({ route: 'files/upload_session/start', nth: 3, action: stall });
    server.faults.add({ route: 'files/upload_session/append_v2', nth: 2, action: stall });
    server.faults.add({ route: 'files/upload_session/finish_batch_v2', nth: 1, action: stall });
    const fired = server.faults.fired.length;
    const started = Date.now();
    const run = await uploadTree('/matrix/stall', { requestTimeoutMs: 400 });
    await expectAllArrived(run);
    expect(firedSince(fired)).toHaveLength(3);
    expect(run.retryLines.filter((line) => line.includes('(request-timeout)'))).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('the access token expires in the middle of the big file', async () => {
    server.faults.add({ route: 'files/upload_session/append_v2', nth: 2, action: { kind: 'expire-token' } });
    const fired = server.faults.fired.length;
    const run = await uploadTree('/matrix/expiry');
    await expectAllArrived(run);
    expect(firedSince(fired)).toEqual(['files/upload_session/append_v2 expire-token']);
    // One token at the start, one after the expiry, shared by every request that met it.
    expect(run.tokens.refreshes).toBe(2);
  });

  test('too_many_write_operations on batch entries: just those entries are committed again', async () => {
    server.faults.add({
      route: 'files/upload_session/finish_batch_v2',
      nth: 1,
      every: 1,
      times: 2,
      action: { kind: 'batch-entry-failure', entries: [0, 1], tag: 'too_many_write_operations' },
    });
    const fired = server.faults.fired.length;
    const run = await uploadTree('/matrix/write-ops');
    await expectAllArrived(run);
    expect(firedSince(fired)).toHaveLength(2);
    // Each refused entry is logged and committed again; how many a batch held depends on timing.
    const refused = run.retryLines.filter((line) => /^commit .*too_many_write_operations; retry/.test(line));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeLessThanOrEqual(4);
  });
});

describe('insufficient_space partway', () => {
  let tight: FakeDropbox;
  beforeAll(async () => {
    // Room for the small files and the 4 MiB one, not for the 13 MiB one.
    tight = await startFakeDropbox({ quotaBytes: 6 * MiB });
  });
  afterAll(async () => {
    await tight.close();
    routeDropboxTo(server);
  });

  test('files already committed are reported uploaded, the rest failed with the explanation, and the run stops', async () => {
    const run = await uploadTree('/matrix/full', { target: tight });
    const { results, stoppedBy } = run.outcome;
    expect(stoppedBy?.title).toBe('Dropbox is out of space');
    const big = results.find((result) => result.dropboxPath.endsWith('/archive.bin'));
    expect(big?.status).toBe('failed');
    const uploaded = results.filter((result) => result.status === 'uploaded');
    const failed = results.filter((result) => result.status === 'failed');
    expect(uploaded.length).toBeGreaterThan(0);
    expect(uploaded.length + failed.length).toBe(FILE_COUNT);
    for (const result of uploaded) {
      expect(tight.readFile(result.dropboxPath).equals(await readFile(result.localPath))).toBe(true);
      expect(tight.commitCount(result.dropboxPath)).toBe(1);
    }
    for (const result of failed) {
      expect(result.error?.title).toBe('Dropbox is out of space');
      expect(tight.commitCount(result.dropboxPath)).toBe(0);
    }
    expect(run.written).toEqual(new Set(uploaded.map((result) => result.dropboxPath.toLowerCase())));
  });
});
