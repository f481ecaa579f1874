/**
 * Scheduled backups against the fake Dropbox: the destination listing (paged, not_found as empty),
 * skip-unchanged through the transfer, keep-last retention with delete_batch, and the dry run, with the
 * server's request log as the witness of what went over the wire.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { dryRun } from '../../../src/backups/dry-run.ts';
import { pruneAfterRun } from '../../../src/backups/keep-last.ts';
import { listForSkipUnchanged } from '../../../src/backups/skip-unchanged.ts';
import { explainDropboxError, titles } from '../../../src/dropbox/explain/explain.ts';
import type { ActionInputs, PlannedFile } from '../../../src/model.ts';
import { deleteEntries } from '../../../src/backups/prune.ts';
import { LIST_PAGE_LIMIT, listRemoteFolder } from '../../../src/dropbox/listing.ts';
import { transferFiles } from '../../../src/transfer/transfer.ts';
import { connect, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { dated, namesUnder as namesUnderOn, seedBackups } from '../../support/backups.ts';
import { planTree } from '../../support/plan.ts';
import { lastSeq, READ_ONLY_ROUTES, routesSince } from '../../support/request-log.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
const trees: Tree[] = [];
const extraServers: FakeDropbox[] = [];

beforeAll(async () => {
  // Dropbox pages list_folder by the `limit` asked for, up to 2000 entries.
  server = await startFakeDropbox({ listPageSize: LIST_PAGE_LIMIT });
});
afterEach(() => {
  server.faults.clear();
  routeDropboxTo(server);
});
afterAll(async () => {
  await server.close();
  await Promise.all(extraServers.map((extra) => extra.close()));
  await Promise.all(trees.map((tree) => tree.cleanup()));
});

/** Runs a phase with a log that keeps its lines, instead of cluttering the output. */
async function logged<T>(
  fn: (log: (line: string) => void) => Promise<T>,
): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  return { value: await fn((line) => lines.push(line)), lines };
}

async function treeOf(files: Record<string, string | Buffer | number>): Promise<Tree> {
  const tree = await makeTree(files);
  trees.push(tree);
  return tree;
}

const plannedFiles = (tree: Tree, destination: string): Promise<PlannedFile[]> => planTree(tree, destination);

/** A real run's upload phase: one listing of the destination for skip-unchanged, then the transfer. */
async function backup(plan: PlannedFile[], destination: string, scopes?: string[]) {
  const { api } = connect(refreshCredentials(server, scopes));
  const { value: listed } = await logged((log) => listForSkipUnchanged(api, destination, false, log));
  const outcome = await transferFiles(plan, api, {
    chunkSizeBytes: 4 * 1024 * 1024,
    concurrency: 4,
    ifExists: 'overwrite',
    log: () => undefined,
    ...(listed.listing ? { listing: listed.listing, skipUnchanged: true } : {}),
  });
  return { results: outcome.results, warning: listed.warning };
}

/** Routes whose request body is file content (the batch commit routes carry JSON). */
const CONTENT_ROUTES = /^files\/(upload|upload_session\/(start|append_v2|append_batch|finish))$/;

/** File-content bytes that reached the server since `since`, whichever upload routes carried them. */
const contentBytesSince = (since: number): number =>
  server.requests
    .filter((entry) => entry.seq > since && CONTENT_ROUTES.test(entry.route))
    .reduce((sum, entry) => sum + entry.bodyBytes, 0);

describe('listing the destination', () => {
  test('a destination that does not exist yet: one request, treated as empty', async () => {
    const { api } = connect(refreshCredentials(server));
    await api.tokens.ensureFresh();
    const since = lastSeq(server);
    await expect(listRemoteFolder(api, '/nothing/here', { recursive: true })).resolves.toEqual([]);
    expect(routesSince(server, since)).toEqual(['files/list_folder']);
    expect(server.requests.at(-1)).toMatchObject({ status: 409, errorTag: 'path/not_found' });
  });

  test('pages of 2000 entries (the limit asked for), following cursor and has_more', async () => {
    const big = await startFakeDropbox({ listPageSize: 100_000 });
    extraServers.push(big);
    for (let index = 0; index < 4500; index += 1) big.createFolder(`/many/f${index}`);
    const { api } = connect(refreshCredentials(big));
    await api.tokens.ensureFresh();
    const since = lastSeq(big);
    const entries = await listRemoteFolder(api, '/many', { recursive: true });
    expect(entries).toHaveLength(4500);
    expect(routesSince(big, since)).toEqual([
      'files/list_folder',
      'files/list_folder/continue',
      'files/list_folder/continue',
    ]);
  });

  test('files carry their content hash; the root is listed as ""', async () => {
    server.putFile('/listed/a.txt', 'a');
    server.createFolder('/listed/sub');
    const { api } = connect(refreshCredentials(server));
    const entries = await listRemoteFolder(api, '/listed', { recursive: true });
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'file',
        name: 'a.txt',
        pathLower: '/listed/a.txt',
        contentHash: expect.any(String),
      }),
      expect.objectContaining({ kind: 'folder', name: 'sub', pathLower: '/listed/sub' }),
    ]);
    const root = await listRemoteFolder(api, '', { recursive: false });
    expect(root.map((entry) => entry.pathLower)).toContain('/listed');
  });

  test('a cursor Dropbox resets: the listing starts over', async () => {
    const paged = await startFakeDropbox({ listPageSize: 2 });
    extraServers.push(paged);
    for (let index = 0; index < 5; index += 1) paged.putFile(`/r/${index}.txt`, String(index));
    paged.faults.add({
      route: 'files/list_folder/continue',
      action: {
        kind: 'status',
        status: 409,
        body: { error_summary: 'reset/..', error: { '.tag': 'reset' } },
      },
    });
    const { api } = connect(refreshCredentials(paged));
    const entries = await listRemoteFolder(api, '/r', { recursive: true });
    expect(entries.map((entry) => entry.name)).toEqual(['0.txt', '1.txt', '2.txt', '3.txt', '4.txt']);
    expect(routesSince(paged, 0).filter((route) => route === 'files/list_folder')).toHaveLength(2);
  });

  test('without files.metadata.read, listing fails with missing_scope', async () => {
    const { api } = connect(refreshCredentials(server, ['files.content.write']));
    const error = await listRemoteFolder(api, '/x', { recursive: true }).catch((caught: unknown) => caught);
    expect(explainDropboxError(error).title).toBe(titles.missingScope);
  });
});

describe('skip-unchanged', () => {
  test('the first run uploads, the second sends no content, then only the changed file is sent', async () => {
    const tree = await treeOf({
      'site/index.html': '<h1>v1</h1>',
      'site/app.js': 'x',
      'site/img/logo.png': 5000,
    });
    const destination = '/skip';
    const plan = await plannedFiles(tree, destination);
    const commits = (): number[] => plan.map((file) => server.commitCount(file.dropboxPath));

    let since = lastSeq(server);
    const first = await backup(plan, destination);
    expect(first.results.map((result) => result.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect(commits()).toEqual([1, 1, 1]);
    expect(contentBytesSince(since)).toBe(1 + 5000 + 11);

    since = lastSeq(server);
    const second = await backup(plan, destination);
    expect(second.results.map((result) => [result.status, result.reason])).toEqual([
      ['skipped', 'unchanged'],
      ['skipped', 'unchanged'],
      ['skipped', 'unchanged'],
    ]);
    expect(second.results.every((result) => result.bytesSent === 0)).toBe(true);
    expect(routesSince(server, since)).toEqual(['oauth2/token', 'files/list_folder']);
    expect(commits()).toEqual([1, 1, 1]);

    await writeFile(tree.file('site/app.js'), 'changed');
    const changedPlan = await plannedFiles(tree, destination);
    since = lastSeq(server);
    const third = await backup(changedPlan, destination);
    expect(third.results.map((result) => result.status)).toEqual(['uploaded', 'skipped', 'skipped']);
    expect(commits()).toEqual([2, 1, 1]);
    expect(contentBytesSince(since)).toBe('changed'.length);
    expect(server.readFile('/skip/site/app.js').toString()).toBe('changed');
  });

  test('1,000 unchanged files: no content, only the listing (one request per 2,000 entries) and the token', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1000; index += 1)
      files[`data/part-${index % 10}/file-${index}.txt`] = `row ${index}`;
    const tree = await treeOf(files);
    const destination = '/thousand';
    const plan = await plannedFiles(tree, destination);
    await backup(plan, destination);

    const since = lastSeq(server);
    const started = performance.now();
    const again = await backup(plan, destination);
    const elapsedMs = performance.now() - started;
    expect(again.results.filter((result) => result.reason === 'unchanged')).toHaveLength(1000);
    // 1,000 files and 10 folders: 1,010 entries, one page.
    expect(routesSince(server, since)).toEqual(['oauth2/token', 'files/list_folder']);
    console.log(`1,000 unchanged files re-checked in ${elapsedMs.toFixed(0)} ms with 1 list request`);
  });

  test('without files.metadata.read: one warning saying what to tick, and every file is sent', async () => {
    const tree = await treeOf({ 'a.txt': 'a', 'b.txt': 'b' });
    const plan = await plannedFiles(tree, '/noscope');
    const { results, warning } = await backup(plan, '/noscope', ['files.content.write']);
    expect(results.map((result) => result.status)).toEqual(['uploaded', 'uploaded']);
    expect(warning?.title).toBe('skip-unchanged needs a permission');
    expect(warning?.message).toMatch(/tick "files.metadata.read" on its Permissions tab.*NEW token/);
  });

  test('keep-last needs the listing too: then a missing scope stops the run before the upload', async () => {
    const { api } = connect(refreshCredentials(server, ['files.content.write']));
    const { value } = await logged((log) => listForSkipUnchanged(api, '/noscope', true, log));
    expect(value.stoppedBy?.title).toBe(titles.missingScope);
    expect(value.stoppedBy?.message).toContain('files.metadata.read');
  });

  test('a listing that fails after every retry: a warning, and every file is sent', async () => {
    server.faults.add({ route: 'files/list_folder', action: { kind: 'status', status: 503 }, times: 2 });
    const { api } = connect(refreshCredentials(server), 2);
    const { value } = await logged((log) => listForSkipUnchanged(api, '/flaky', false, log));
    expect(value.listing).toBeUndefined();
    expect(value.warning?.title).toBe('Dropbox is failing (5XX)');
    expect(value.warning?.message).toMatch(/^Could not list \/flaky/);
  });
});

const WORKFLOW = { owner: 'acme', repo: 'site', ref: 'refs/heads/main' };
/** The series with its look-alikes, and a file named like a run folder. */
function seed(parent: string): void {
  seedBackups(server, parent);
  server.putFile(`${parent}/${dated(0)}`, 'a file named like a run folder');
}

const namesUnder = (parent: string): string[] => namesUnderOn(server, parent);

describe('keep-last', () => {
  const inputs = { destination: '/keep/site-{datetime}', keepLast: 5 };

  test('with 20 dated siblings: exactly the oldest are deleted, the run and the unrelated stay', async () => {
    seed('/keep');
    const current = `/keep/site-2020-02-01T02-00-00Z`;
    server.putFile(`${current}/dump.sql`, 'today');
    const { api } = connect(refreshCredentials(server));
    const since = lastSeq(server);
    const { value } = await logged((log) => pruneAfterRun(api, inputs, current, WORKFLOW, log));
    expect(value.failure).toBeUndefined();
    expect(value.pruned).toEqual(Array.from({ length: 16 }, (_, i) => `/keep/${dated(i + 1)}`));
    expect(namesUnder('/keep')).toEqual(
      [
        'notes.txt',
        'other-2020-01-01T02-00-00Z',
        'site-2020-01-00T02-00-00Z',
        'site-2020-01-01',
        ...[17, 18, 19, 20].map(dated),
        'site-2020-02-01T02-00-00Z',
        'site-manual',
      ].sort(),
    );
    const routes = routesSince(server, since);
    expect(routes.filter((route) => route === 'files/list_folder')).toHaveLength(1);
    expect(routes.filter((route) => route === 'files/delete_batch')).toHaveLength(1);
    expect(routes).toContain('files/delete_batch/check');
  });

  test('an entry Dropbox refuses is reported; the others are deleted', async () => {
    seed('/refuse');
    server.setReadOnly(`/refuse/${dated(2)}`);
    const current = '/refuse/site-2020-02-01T02-00-00Z';
    const { api } = connect(refreshCredentials(server));
    const { value } = await logged((log) =>
      pruneAfterRun(api, { destination: '/refuse/site-{datetime}', keepLast: 18 }, current, WORKFLOW, log),
    );
    expect(value.pruned).toEqual([`/refuse/${dated(1)}`, `/refuse/${dated(3)}`]);
    expect(value.failure?.title).toBe(titles.pruneFailed);
    expect(value.failure?.message).toMatch(
      /^1 of 3 old folder\(s\) could not be deleted; the files of this run did arrive\. \/refuse\/site-2020-01-02T02-00-00Z: Dropbox does not let this account write/,
    );
    expect(namesUnder('/refuse')).toContain(dated(2));
  });

  test('more than 1,000 folders: one delete_batch per 1,000', async () => {
    for (let index = 0; index < 1001; index += 1) server.createFolder(`/many-old/f${index}`);
    const entries = await listRemoteFolder(connect(refreshCredentials(server)).api, '/many-old', {
      recursive: false,
    });
    const { api } = connect(refreshCredentials(server));
    const since = lastSeq(server);
    const outcome = await deleteEntries(api, entries, { log: () => undefined, pollDelayMs: () => 1 });
    expect(outcome.failures).toEqual([]);
    expect(outcome.deleted).toHaveLength(1001);
    expect(routesSince(server, since).filter((route) => route === 'files/delete_batch')).toHaveLength(2);
    expect(await listRemoteFolder(api, '/many-old', { recursive: false })).toEqual([]);
  });

  test('without files.metadata.read the retention is an explained error, and nothing is deleted', async () => {
    seed('/keep-noscope');
    const { api } = connect(refreshCredentials(server, ['files.content.write']));
    const { value } = await logged((log) =>
      pruneAfterRun(
        api,
        { destination: '/keep-noscope/site-{datetime}', keepLast: 1 },
        '/keep-noscope/site-x',
        WORKFLOW,
        log,
      ),
    );
    expect(value).toEqual({ pruned: [], failure: expect.objectContaining({ title: titles.missingScope }) });
    expect(namesUnder('/keep-noscope')).toHaveLength(25);
  });
});

describe('dry run', () => {
  const inputs = {
    destination: '/dry/site-{datetime}',
    ifExists: 'skip',
    skipUnchanged: true,
    keepLast: 3,
    chunkSizeBytes: 16 * 1024 * 1024,
    concurrency: 8,
  } satisfies Partial<ActionInputs>;

  test('plans uploads, skips and the prune with read requests only', async () => {
    seed('/dry');
    const destination = `/dry/${dated(20)}`;
    const tree = await treeOf({ 'dump.sql': 'day 20', 'new.sql': 'new', 'other.sql': 'other' });
    server.putFile(`${destination}/other.sql`, 'different');
    const plan = await plannedFiles(tree, destination);
    const { api } = connect(refreshCredentials(server));
    const before = server.files().map((file) => [file.path, file.rev]);
    const since = lastSeq(server);
    const { value, lines } = await logged((log) => dryRun(api, inputs, plan, destination, WORKFLOW, log));
    expect(value.failure).toBeUndefined();
    expect(value.results.map((result) => [result.dropboxPath, result.status, result.reason])).toEqual([
      [`${destination}/dump.sql`, 'skipped', 'unchanged'],
      [`${destination}/new.sql`, 'uploaded', undefined],
      [`${destination}/other.sql`, 'skipped', 'already exists'],
    ]);
    expect(value.pruned).toEqual(Array.from({ length: 17 }, (_, i) => `/dry/${dated(i + 1)}`));
    const routes = routesSince(server, since);
    expect(routes.filter((route) => !READ_ONLY_ROUTES.has(route))).toEqual([]);
    expect(routes).toContain('users/get_current_account');
    expect(server.files().map((file) => [file.path, file.rev])).toEqual(before);
    expect(lines).toContain(`would delete /dry/${dated(1)}`);
    expect(lines).toContain('The Dropbox credentials work: Dropbox accepted them and answered.');
  });

  test('a plan with a failing file deletes nothing, as a real run would', async () => {
    const destination = `/dry-fail/${dated(20)}`;
    seed('/dry-fail');
    const tree = await treeOf({ 'dump.sql': 'new content' });
    const plan = await plannedFiles(tree, destination);
    const { api } = connect(refreshCredentials(server));
    const { value } = await logged((log) =>
      dryRun(
        api,
        { ...inputs, destination: '/dry-fail/site-{datetime}', ifExists: 'fail' },
        plan,
        destination,
        WORKFLOW,
        log,
      ),
    );
    expect(value.results.map((result) => result.error?.title)).toEqual([titles.fileExists]);
    expect(value.pruned).toEqual([]);
  });

  test('bad credentials: the dry run says so, with the usual explanation', async () => {
    const credentials = refreshCredentials(server);
    if (credentials.kind === 'refresh-token') server.revokeRefreshToken(credentials.refreshToken);
    const { api } = connect(credentials);
    const { value } = await logged((log) => dryRun(api, inputs, [], '/dry/x', WORKFLOW, log));
    expect(value.failure?.title).toBe(titles.refreshTokenRejected);
  });

  test('the listing needs files.metadata.read: a missing scope is an explained error', async () => {
    const tree = await treeOf({ 'a.txt': 'a' });
    const plan = await plannedFiles(tree, '/dry-scope/x');
    const { api } = connect(refreshCredentials(server, ['files.content.write', 'account_info.read']));
    const { value } = await logged((log) => dryRun(api, inputs, plan, '/dry-scope/x', WORKFLOW, log));
    expect(value.failure?.title).toBe(titles.missingScope);
    expect(value.failure?.message).toContain('files.metadata.read');
  });
});
