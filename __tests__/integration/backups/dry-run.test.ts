/** The dry run against the fake Dropbox: what a real run would do, with read requests only. */
import { describe, expect, test } from '@jest/globals';
import { dryRun } from '../../../src/backups/dry-run.ts';
import { titles } from '../../../src/dropbox/explain/explain.ts';
import type { ActionInputs, PlannedFile } from '../../../src/model.ts';
import { connect, refreshCredentials } from '../../support/dropbox.ts';
import { dated, seedBackups, BackupsFixture, logged } from '../../support/backups.ts';
import { planTree } from '../../support/plan.ts';
import { lastSeq, READ_ONLY_ROUTES, routesSince } from '../../support/request-log.ts';
import { type Tree } from '../../support/tree.ts';

const fixture = new BackupsFixture();

const plannedFiles = (tree: Tree, destination: string): Promise<PlannedFile[]> => planTree(tree, destination);

const WORKFLOW = { owner: 'acme', repo: 'site', ref: 'refs/heads/main' };

/** The series with its look-alikes, and a file named like a run folder. */
function seed(parent: string): void {
  seedBackups(fixture.server, parent);
  fixture.server.putFile(`${parent}/${dated(0)}`, 'a file named like a run folder');
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
    const tree = await fixture.treeOf({ 'dump.sql': 'day 20', 'new.sql': 'new', 'other.sql': 'other' });
    fixture.server.putFile(`${destination}/other.sql`, 'different');
    const plan = await plannedFiles(tree, destination);
    const { api } = connect(refreshCredentials(fixture.server));
    const before = fixture.server.files().map((file) => [file.path, file.rev]);
    const since = lastSeq(fixture.server);
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
    const routes = routesSince(fixture.server, since);
    expect(routes.filter((route) => !READ_ONLY_ROUTES.has(route))).toEqual([]);
    expect(routes).toContain('users/get_current_account');
    expect(fixture.server.files().map((file) => [file.path, file.rev])).toEqual(before);
    expect(lines).toContain(`would delete /dry/${dated(1)}`);
    expect(lines).toContain('The Dropbox credentials work: Dropbox accepted them and answered.');
  });

  test('a plan with a failing file deletes nothing, as a real run would', async () => {
    const destination = `/dry-fail/${dated(20)}`;
    seed('/dry-fail');
    const tree = await fixture.treeOf({ 'dump.sql': 'new content' });
    const plan = await plannedFiles(tree, destination);
    const { api } = connect(refreshCredentials(fixture.server));
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
    const credentials = refreshCredentials(fixture.server);
    if (credentials.kind === 'refresh-token') fixture.server.revokeRefreshToken(credentials.refreshToken);
    const { api } = connect(credentials);
    const { value } = await logged((log) =>
      dryRun(api, inputs, { files: [], folders: [] }, '/dry/x', WORKFLOW, log),
    );
    expect(value.failure?.title).toBe(titles.refreshTokenRejected);
  });

  test('the listing needs files.metadata.read: a missing scope is an explained error', async () => {
    const tree = await fixture.treeOf({ 'a.txt': 'a' });
    const plan = await plannedFiles(tree, '/dry-scope/x');
    const { api } = connect(refreshCredentials(fixture.server, ['files.content.write', 'account_info.read']));
    const { value } = await logged((log) =>
      dryRun(api, inputs, { files: plan, folders: [] }, '/dry-scope/x', WORKFLOW, log),
    );
    expect(value.failure?.title).toBe(titles.missingScope);
    expect(value.failure?.message).toContain('files.metadata.read');
  });
});
