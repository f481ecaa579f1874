/** The dry run against the fake Dropbox: what a real run would do, with read requests only. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { dryRun } from '../../../src/backups/dry-run.ts';
import { titles } from '../../../src/dropbox/explain/explain.ts';
import type { ActionInputs, PlannedFile } from '../../../src/model.ts';
import { LIST_PAGE_LIMIT } from '../../../src/dropbox/listing.ts';
import { connect, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { dated, seedBackups } from '../../support/backups.ts';
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

const WORKFLOW = { owner: 'acme', repo: 'site', ref: 'refs/heads/main' };

/** The series with its look-alikes, and a file named like a run folder. */
function seed(parent: string): void {
  seedBackups(server, parent);
  server.putFile(`${parent}/${dated(0)}`, 'a file named like a run folder');
}

describe('dry run', () => {
  const inputs = {
    destination: '/dry/site-{datetime}',
    ifExists: 'skip',
    skipUnchanged: true,
    retention: { last: 3 },
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
    const { value, lines } = await logged((log) =>
      dryRun(api, inputs, { files: plan, folders: [] }, destination, WORKFLOW, log),
    );
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
        { files: plan, folders: [] },
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
    const { value } = await logged((log) =>
      dryRun(api, inputs, { files: [], folders: [] }, '/dry/x', WORKFLOW, log),
    );
    expect(value.failure?.title).toBe(titles.refreshTokenRejected);
  });

  test('the listing needs files.metadata.read: a missing scope is an explained error', async () => {
    const tree = await treeOf({ 'a.txt': 'a' });
    const plan = await plannedFiles(tree, '/dry-scope/x');
    const { api } = connect(refreshCredentials(server, ['files.content.write', 'account_info.read']));
    const { value } = await logged((log) =>
      dryRun(api, inputs, { files: plan, folders: [] }, '/dry-scope/x', WORKFLOW, log),
    );
    expect(value.failure?.title).toBe(titles.missingScope);
    expect(value.failure?.message).toContain('files.metadata.read');
  });
});
