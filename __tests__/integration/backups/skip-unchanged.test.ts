/**
 * skip-unchanged against the fake Dropbox: the destination listing (paged, not_found as empty) and the
 * transfer deciding from it, with the server's request log as the witness of what went over the wire.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, test } from '@jest/globals';
import { listForSkipUnchanged } from '../../../src/backups/skip-unchanged.ts';
import { explainDropboxError, titles } from '../../../src/dropbox/explain/explain.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { listRemoteFolder } from '../../../src/dropbox/listing.ts';
import { transferFiles } from '../../../src/transfer/transfer.ts';
import { BackupsFixture, logged } from '../../support/backups.ts';
import { connect, refreshCredentials } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';
import { type Tree } from '../../support/tree.ts';

const fixture = new BackupsFixture();

const plannedFiles = (tree: Tree, destination: string): Promise<PlannedFile[]> => planTree(tree, destination);

/** A real run's upload phase: one listing of the destination for skip-unchanged, then the transfer. */
async function backup(plan: PlannedFile[], destination: string, scopes?: string[]) {
  const { api } = connect(refreshCredentials(fixture.server, scopes));
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
  fixture.server.requests
    .filter((entry) => entry.seq > since && CONTENT_ROUTES.test(entry.route))
    .reduce((sum, entry) => sum + entry.bodyBytes, 0);

describe('listing the destination', () => {
  test('a destination that does not exist yet: one request, treated as empty', async () => {
    const { api } = connect(refreshCredentials(fixture.server));
    await api.tokens.ensureFresh();
    const since = lastSeq(fixture.server);
    await expect(listRemoteFolder(api, '/nothing/here', { recursive: true })).resolves.toEqual([]);
    expect(routesSince(fixture.server, since)).toEqual(['files/list_folder']);
    expect(fixture.server.requests.at(-1)).toMatchObject({ status: 409, errorTag: 'path/not_found' });
  });

  test('pages of 2000 entries (the limit asked for), following cursor and has_more', async () => {
    const big = await fixture.extraServer({ listPageSize: 100_000 });
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
    fixture.server.putFile('/listed/a.txt', 'a');
    fixture.server.createFolder('/listed/sub');
    const { api } = connect(refreshCredentials(fixture.server));
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
    const paged = await fixture.extraServer({ listPageSize: 2 });
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
    const { api } = connect(refreshCredentials(fixture.server, ['files.content.write']));
    const error = await listRemoteFolder(api, '/x', { recursive: true }).catch((caught: unknown) => caught);
    expect(explainDropboxError(error).title).toBe(titles.missingScope);
  });
});

describe('skip-unchanged', () => {
  test('the first run uploads, the second sends no content, then only the changed file is sent', async () => {
    const tree = await fixture.treeOf({
      'site/index.html': '<h1>v1</h1>',
      'site/app.js': 'x',
      'site/img/logo.png': 5000,
    });
    const destination = '/skip';
    const plan = await plannedFiles(tree, destination);
    const commits = (): number[] => plan.map((file) => fixture.server.commitCount(file.dropboxPath));

    let since = lastSeq(fixture.server);
    const first = await backup(plan, destination);
    expect(first.results.map((result) => result.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect(commits()).toEqual([1, 1, 1]);
    expect(contentBytesSince(since)).toBe(1 + 5000 + 11);

    since = lastSeq(fixture.server);
    const second = await backup(plan, destination);
    expect(second.results.map((result) => [result.status, result.reason])).toEqual([
      ['skipped', 'unchanged'],
      ['skipped', 'unchanged'],
      ['skipped', 'unchanged'],
    ]);
    expect(second.results.every((result) => result.bytesSent === 0)).toBe(true);
    expect(routesSince(fixture.server, since)).toEqual(['oauth2/token', 'files/list_folder']);
    expect(commits()).toEqual([1, 1, 1]);

    await writeFile(tree.file('site/app.js'), 'changed');
    const changedPlan = await plannedFiles(tree, destination);
    since = lastSeq(fixture.server);
    const third = await backup(changedPlan, destination);
    expect(third.results.map((result) => result.status)).toEqual(['uploaded', 'skipped', 'skipped']);
    expect(commits()).toEqual([2, 1, 1]);
    expect(contentBytesSince(since)).toBe('changed'.length);
    expect(fixture.server.readFile('/skip/site/app.js').toString()).toBe('changed');
  });

  test('1,000 unchanged files: no content, only the listing (one request per 2,000 entries) and the token', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1000; index += 1)
      files[`data/part-${index % 10}/file-${index}.txt`] = `row ${index}`;
    const tree = await fixture.treeOf(files);
    const destination = '/thousand';
    const plan = await plannedFiles(tree, destination);
    await backup(plan, destination);

    const since = lastSeq(fixture.server);
    const again = await backup(plan, destination);
    expect(again.results.filter((result) => result.reason === 'unchanged')).toHaveLength(1000);
    // 1,000 files and 10 folders: 1,010 entries, one page.
    expect(routesSince(fixture.server, since)).toEqual(['oauth2/token', 'files/list_folder']);
  });

  test('without files.metadata.read: one warning saying what to tick, and every file is sent', async () => {
    const tree = await fixture.treeOf({ 'a.txt': 'a', 'b.txt': 'b' });
    const plan = await plannedFiles(tree, '/noscope');
    const { results, warning } = await backup(plan, '/noscope', ['files.content.write']);
    expect(results.map((result) => result.status)).toEqual(['uploaded', 'uploaded']);
    expect(warning?.title).toBe('skip-unchanged needs a permission');
    expect(warning?.message).toMatch(/tick "files.metadata.read" on its Permissions tab.*NEW token/);
  });

  test('keep-last needs the listing too: then a missing scope stops the run before the upload', async () => {
    const { api } = connect(refreshCredentials(fixture.server, ['files.content.write']));
    const { value } = await logged((log) => listForSkipUnchanged(api, '/noscope', true, log));
    expect(value.stoppedBy?.title).toBe(titles.missingScope);
    expect(value.stoppedBy?.message).toContain('files.metadata.read');
  });

  test('a listing that fails after every retry: a warning, and every file is sent', async () => {
    fixture.server.faults.add({
      route: 'files/list_folder',
      action: { kind: 'status', status: 503 },
      times: 2,
    });
    const { api } = connect(refreshCredentials(fixture.server), 2);
    const { value } = await logged((log) => listForSkipUnchanged(api, '/flaky', false, log));
    expect(value.listing).toBeUndefined();
    expect(value.warning?.title).toBe('Dropbox is failing (5XX)');
    expect(value.warning?.message).toMatch(/^Could not list \/flaky/);
  });
});
