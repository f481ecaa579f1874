/** The shared-links step against the fake Dropbox: create, reuse (both error forms), and missing scopes. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { IfExists, PlannedFile } from '../../../src/model.ts';
import { createSharedLinks } from '../../../src/transfer/shared-links.ts';
import { transferFiles } from '../../../src/transfer/transfer.ts';
import { connect, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
const trees: Tree[] = [];
beforeAll(async () => {
  server = await startFakeDropbox();
});
afterAll(async () => {
  await server.close();
  await Promise.all(trees.map((tree) => tree.cleanup()));
});
afterEach(() => server.setSharedLinkConflictForm('metadata'));

async function planOf(files: Record<string, string>, destination: string): Promise<PlannedFile[]> {
  const tree = await makeTree(files);
  trees.push(tree);
  return planTree(tree, destination, 'out');
}

async function uploadAndShare(
  plan: PlannedFile[],
  scopes?: string[],
  ifExists: IfExists = 'overwrite',
): ReturnType<typeof createSharedLinks> {
  routeDropboxTo(server);
  const { api } = connect(refreshCredentials(server, scopes));
  const outcome = await transferFiles(plan, api, {
    chunkSizeBytes: 4 * 1024 * 1024,
    concurrency: 4,
    ifExists,
    log: () => undefined,
  });
  expect(outcome.results.every((result) => result.status === 'uploaded')).toBe(true);
  return createSharedLinks(outcome.results, api, { concurrency: 2, log: () => undefined });
}

describe('createSharedLinks', () => {
  test('a link per uploaded file, the one Dropbox holds; an existing link is reused', async () => {
    const plan = await planOf({ 'out/a.txt': 'a', 'out/b.txt': 'b', 'out/c (1).txt': 'c' }, '/links/new');
    server.putFile('/links/new/b.txt', 'old b');
    const existing = server.createSharedLink('/links/new/b.txt');
    const { results, problems } = await uploadAndShare(plan);
    expect(problems).toEqual([]);
    const held = new Map(server.sharedLinks().map((link) => [link.path, link.url]));
    expect(results.map((result) => [result.dropboxPath, result.sharedLink])).toEqual([
      ['/links/new/a.txt', held.get('/links/new/a.txt')],
      ['/links/new/b.txt', existing],
      ['/links/new/c (1).txt', held.get('/links/new/c (1).txt')],
    ]);
    expect(results.every((result) => result.sharedLink?.startsWith('https://www.dropbox.com/scl/fi/'))).toBe(
      true,
    );
  });

  test('the bare shared_link_already_exists form: the link is looked up with list_shared_links', async () => {
    const plan = await planOf({ 'out/old.txt': 'old' }, '/links/bare');
    server.putFile('/links/bare/old.txt', 'x');
    const existing = server.createSharedLink('/links/bare/old.txt');
    server.setSharedLinkConflictForm('bare');
    const { results, problems } = await uploadAndShare(plan);
    expect(problems).toEqual([]);
    expect(results[0]?.sharedLink).toBe(existing);
    expect(server.requests.some((request) => request.route === 'sharing/list_shared_links')).toBe(true);
  });

  test('if-exists: rename links the renamed file, not the one in the way', async () => {
    const plan = await planOf({ 'out/r.txt': 'new' }, '/links/rename');
    server.putFile('/links/rename/r.txt', 'in the way');
    const { results } = await uploadAndShare(plan, undefined, 'rename');
    expect(results[0]?.dropboxPath).toBe('/links/rename/r (1).txt');
    expect(server.sharedLinks().find((link) => link.url === results[0]?.sharedLink)?.path).toBe(
      '/links/rename/r (1).txt',
    );
  });

  test('without sharing.write: one explanation naming the scope; the uploads stay uploaded', async () => {
    const plan = await planOf({ 'out/1.txt': '1', 'out/2.txt': '2', 'out/3.txt': '3' }, '/links/noscope');
    const { results, problems } = await uploadAndShare(plan, ['files.content.write', 'files.metadata.read']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.dropboxPath).toBeUndefined();
    expect(problems[0]?.explanation).toMatchObject({
      title: 'Dropbox app is missing a permission',
      scope: 'credentials',
    });
    expect(problems[0]?.explanation.message).toContain('"sharing.write"');
    expect(problems[0]?.explanation.message).toContain('the files themselves were uploaded');
    expect(results.map((result) => [result.status, result.sharedLink])).toEqual([
      ['uploaded', undefined],
      ['uploaded', undefined],
      ['uploaded', undefined],
    ]);
    expect(server.readFile('/links/noscope/2.txt').toString()).toBe('2');
  });

  test('the bare form without sharing.read names sharing.read', async () => {
    const plan = await planOf({ 'out/s.txt': 's' }, '/links/noread');
    server.putFile('/links/noread/s.txt', 'x');
    server.createSharedLink('/links/noread/s.txt');
    server.setSharedLinkConflictForm('bare');
    const { problems } = await uploadAndShare(plan, [
      'files.content.write',
      'files.metadata.read',
      'sharing.write',
    ]);
    expect(problems[0]?.explanation.message).toContain('"sharing.read"');
  });

  test('skipped and failed files get no link request', async () => {
    routeDropboxTo(server);
    const { api } = connect(refreshCredentials(server));
    const before = server.requests.length;
    const { results } = await createSharedLinks(
      [
        {
          localPath: '/x',
          shownPath: 'x',
          dropboxPath: '/links/none',
          size: 0,
          contentHash: '',
          status: 'skipped',
          bytesSent: 0,
        },
        {
          localPath: '/y',
          shownPath: 'y',
          dropboxPath: '/links/none2',
          size: 0,
          contentHash: '',
          status: 'failed',
          bytesSent: 0,
        },
      ],
      api,
      { concurrency: 1, log: () => undefined },
    );
    expect(results.every((result) => result.sharedLink === undefined)).toBe(true);
    expect(server.requests.length).toBe(before);
  });
});
