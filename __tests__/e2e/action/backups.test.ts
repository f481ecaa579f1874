/**
 * Scheduled backups through the bundled dist/index.js, as the runner runs it: destination placeholders
 * from the GitHub context, skip-unchanged, keep-last retention and the dry run, against the fake Dropbox.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun, type Annotation } from '../../../scripts/action-runner.ts';
import { dated, namesUnder as namesUnderOn, seedBackups, UNRELATED } from '../../support/backups.ts';
import { lastSeq, READ_ONLY_ROUTES, routesSince } from '../../support/request-log.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const APP = { key: 'backup-app-key', secret: 'backup-app-secret-value' };
const SHA = '0123456789abcdef0123456789abcdef01234567';
let server: FakeDropbox;
const trees: Tree[] = [];

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
  await Promise.all(trees.map((tree) => tree.cleanup()));
});

/** What the runner sets for a run; every variable the placeholders read is set here, never inherited. */
function githubEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'acme/site',
    GITHUB_REF: 'refs/heads/feature/login',
    GITHUB_SHA: SHA,
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '3',
    GITHUB_EVENT_PATH: '',
    ...overrides,
  };
}

function credentials(scopes?: string[]): Record<string, string> {
  return {
    'refresh-token': server.issueRefreshToken({ appKey: APP.key, ...(scopes ? { scopes } : {}) }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
}

async function backupTree(): Promise<Tree> {
  const tree = await makeTree({
    'backup/site.tar.gz': 20_000,
    'backup/db/dump.sql': 'CREATE TABLE t (id int);',
    'backup/README.txt': 'nightly',
  });
  trees.push(tree);
  return tree;
}

function run(tree: Tree, inputs: Record<string, string>, env = githubEnv()): Promise<ActionRun> {
  return runAction({
    inputs: { path: 'backup', ...inputs },
    workspace: tree.root,
    fakeDropboxUrl: server.url,
    env,
  });
}

const annotations = (result: ActionRun, level: 'error' | 'warning' | 'notice'): Annotation[] =>
  annotationsIn(result.stdout, level);

/** Routes whose request body is file content (the batch commit routes carry JSON). */
const CONTENT_ROUTES = /^files\/(upload|upload_session\/(start|append_v2|append_batch|finish))$/;

/** File-content bytes that reached the server since `since`, whichever upload routes carried them. */
const contentBytesSince = (since: number): number =>
  server.requests
    .filter((entry) => entry.seq > since && CONTENT_ROUTES.test(entry.route))
    .reduce((sum, entry) => sum + entry.bodyBytes, 0);

const seed = (parent: string): void => seedBackups(server, parent);

const namesUnder = (parent: string): string[] => namesUnderOn(server, parent);

function filesOutput(result: ActionRun): { dropboxPath: string; status: string }[] {
  return JSON.parse(result.outputs['files'] ?? '[]') as { dropboxPath: string; status: string }[];
}

describe('destination placeholders', () => {
  test('resolved once from the clock and the GitHub context, into the outputs, the summary and the log', async () => {
    const tree = await backupTree();
    const before = new Date();
    const result = await run(tree, {
      destination: '/e2e/{owner}/{repo}/{ref}/{date}/{datetime}-{short-sha}-{run-number}.{run-attempt}',
      ...credentials(),
    });
    expect(result.exitCode).toBe(0);
    const destination = result.outputs['destination'] ?? '';
    const match =
      /^\/e2e\/acme\/site\/feature-login\/(\d{4}-\d{2}-\d{2})\/(\1T(\d{2})-(\d{2})-(\d{2})Z)-0123456-42\.3$/.exec(
        destination,
      );
    expect(match).not.toBeNull();
    const resolvedAt = Date.parse(`${match![1]}T${match![3]}:${match![4]}:${match![5]}Z`);
    expect(resolvedAt).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(resolvedAt).toBeLessThanOrEqual(Date.now());
    // Every file shares the one instant.
    const files = filesOutput(result);
    expect(files).toHaveLength(3);
    for (const file of files) expect(file.dropboxPath.startsWith(`${destination}/`)).toBe(true);
    expect(server.readFile(`${destination}/db/dump.sql`).toString()).toBe('CREATE TABLE t (id int);');
    expect(result.summary).toContain(`Destination: ${destination}\n`);
    expect(result.stdout).toContain(destination);
  });

  test.each([
    [
      { destination: '/backups/{build}' },
      /Input "destination" is "\/backups\/\{build\}"; \{build\} is not a placeholder/,
    ],
    [
      { destination: '/backups/{date' },
      /Input "destination" is "\/backups\/\{date"; the "\{" at position 10 is not closed/,
    ],
    [
      { destination: '/backups/site', 'keep-last': '14' },
      /Input "keep-last" is "14"; it needs a date or time placeholder/,
    ],
    [{ 'dry-run': 'maybe' }, /Input "dry-run" is "maybe"; it must be true or false/],
    [{ 'skip-unchanged': 'no' }, /Input "skip-unchanged" is "no"; it must be true or false/],
  ])('bad input %j fails before any network call', async (bad, message) => {
    const tree = await backupTree();
    const before = server.requests.length;
    const result = await run(tree, { ...credentials(), ...bad });
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error')[0]?.message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  test('a placeholder whose context is missing fails before any network call, naming the variable', async () => {
    const tree = await backupTree();
    const before = server.requests.length;
    const result = await run(
      tree,
      { destination: '/backups/{repo}', ...credentials() },
      githubEnv({ GITHUB_REPOSITORY: '' }),
    );
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error')[0]?.message).toMatch(
      /\{repo\} needs GITHUB_REPOSITORY, which is not set/,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe('skip-unchanged', () => {
  test('the first run uploads, the second sends no content, then only the changed file is sent', async () => {
    const tree = await backupTree();
    const inputs = { destination: '/e2e-mirror/{repo}', ...credentials() };
    const paths = [
      '/e2e-mirror/site/README.txt',
      '/e2e-mirror/site/db/dump.sql',
      '/e2e-mirror/site/site.tar.gz',
    ];
    const commits = (): number[] => paths.map((path) => server.commitCount(path));
    let since = lastSeq(server);
    const first = await run(tree, inputs);
    expect(first.exitCode).toBe(0);
    expect(first.outputs['uploaded-count']).toBe('3');
    expect(commits()).toEqual([1, 1, 1]);
    expect(contentBytesSince(since)).toBe(7 + 24 + 20_000);

    since = lastSeq(server);
    const second = await run(tree, inputs);
    expect(second.exitCode).toBe(0);
    expect([second.outputs['uploaded-count'], second.outputs['skipped-count']]).toEqual(['0', '3']);
    expect(routesSince(server, since)).toEqual(['oauth2/token', 'files/list_folder']);
    expect(commits()).toEqual([1, 1, 1]);
    expect(second.summary).toContain('Skipped (unchanged)');

    const changed = 'CREATE TABLE t (id int, name text);';
    await writeFile(tree.file('backup/db/dump.sql'), changed);
    since = lastSeq(server);
    const third = await run(tree, inputs);
    expect(third.exitCode).toBe(0);
    expect([third.outputs['uploaded-count'], third.outputs['skipped-count']]).toEqual(['1', '2']);
    expect(commits()).toEqual([1, 2, 1]);
    expect(contentBytesSince(since)).toBe(changed.length);
    expect(server.readFile('/e2e-mirror/site/db/dump.sql').toString()).toBe(changed);
  });

  test('1,000 unchanged files: no content, only the listing (one request per 2,000 entries) and the token', async () => {
    // Dropbox pages list_folder by the `limit` the action asks for, 2,000.
    const dropbox = await FakeDropbox.start({ listPageSize: 2000 });
    dropbox.registerApp(APP);
    try {
      const files: Record<string, string> = {};
      for (let index = 0; index < 1000; index += 1)
        files[`backup/part-${index % 10}/row-${index}.txt`] = `row ${index}`;
      const tree = await makeTree(files);
      trees.push(tree);
      const inputs = {
        path: 'backup',
        destination: '/thousand',
        'refresh-token': dropbox.issueRefreshToken({ appKey: APP.key }),
        'app-key': APP.key,
        'app-secret': APP.secret,
      };
      const options = { inputs, workspace: tree.root, fakeDropboxUrl: dropbox.url, env: githubEnv() };
      const first = await runAction(options);
      expect(first.outputs['uploaded-count']).toBe('1000');
      const since = dropbox.requests.at(-1)?.seq ?? 0;
      const again = await runAction(options);
      expect(again.exitCode).toBe(0);
      expect(again.outputs['skipped-count']).toBe('1000');
      const routes = dropbox.requests.filter((entry) => entry.seq > since).map((entry) => entry.route);
      expect(routes).toEqual(['oauth2/token', 'files/list_folder']);
    } finally {
      await dropbox.close();
    }
  });

  test('skip-unchanged: false sends everything again without listing', async () => {
    const tree = await backupTree();
    const inputs = { destination: '/e2e-mirror-off', ...credentials() };
    await run(tree, inputs);
    const since = lastSeq(server);
    const again = await run(tree, { ...inputs, 'skip-unchanged': 'false' });
    expect(again.outputs['uploaded-count']).toBe('3');
    expect(routesSince(server, since)).not.toContain('files/list_folder');
  });

  test('without files.metadata.read: one warning, and every file is uploaded', async () => {
    const tree = await backupTree();
    const result = await run(tree, { destination: '/e2e-noscope', ...credentials(['files.content.write']) });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['uploaded-count']).toBe('3');
    const warnings = annotations(result, 'warning');
    expect(warnings).toEqual([expect.objectContaining({ title: 'skip-unchanged needs a permission' })]);
    expect(warnings[0]?.message).toMatch(/"files.metadata.read".*Permissions tab.*NEW token/);
  });
});

describe('keep-last', () => {
  test('with 20 dated siblings: the oldest are deleted, the newest 5 (the run included) and the unrelated stay', async () => {
    seed('/e2e-keep');
    const tree = await backupTree();
    const result = await run(tree, {
      destination: '/e2e-keep/site-{datetime}',
      'keep-last': '5',
      ...credentials(),
    });
    expect(result.exitCode).toBe(0);
    const destination = result.outputs['destination'] ?? '';
    const current = destination.slice('/e2e-keep/'.length);
    const pruned = JSON.parse(result.outputs['pruned'] ?? '') as string[];
    expect(pruned).toEqual(Array.from({ length: 16 }, (_, i) => `/e2e-keep/${dated(i + 1)}`));
    expect(namesUnder('/e2e-keep')).toEqual([...UNRELATED, ...[17, 18, 19, 20].map(dated), current].sort());
    expect(result.summary).toContain('**Retention** (keep-last 5): kept 5 of 21 backup(s), deleted 16.');
  });

  test('with one failed file, nothing is deleted', async () => {
    seed('/e2e-keep-fail');
    const tree = await backupTree();
    // Dropbox refuses this name, whatever route carries the file.
    await writeFile(tree.file('backup/desktop.ini'), '[.ShellClassInfo]');
    const since = lastSeq(server);
    const result = await run(tree, {
      destination: '/e2e-keep-fail/site-{datetime}',
      'keep-last': '1',
      ...credentials(),
    });
    expect(result.exitCode).toBe(1);
    expect([result.outputs['uploaded-count'], result.outputs['failed-count']]).toEqual(['3', '1']);
    expect(result.outputs['pruned']).toBe('[]');
    expect(result.stdout).toContain('Retention: nothing is deleted after a run with a failed file.');
    expect(routesSince(server, since).filter((route) => route.startsWith('files/delete'))).toEqual([]);
    expect(namesUnder('/e2e-keep-fail').filter((name) => /^site-2020-01-\d\dT/.test(name))).toHaveLength(20);
  });
});

describe('retention: keep-daily, keep-weekly, keep-monthly', () => {
  /**
   * 60 nightly backups, 2054-09-25 to 2054-11-23: the README's worked example 28 years on, so the weekdays
   * are the same and this run's own folder (dated today) is the oldest of the series whatever day CI runs.
   */
  const nightly = Array.from({ length: 60 }, (_, i) => {
    const day = new Date(Date.UTC(2054, 8, 25 + i, 2));
    return `site-${day.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
  });
  const lookAlikes = [
    'site-manual',
    'site-2054-10-01',
    'other-2054-11-23T02-00-00Z',
    'site-2054-11-23T02-00-00Z.txt',
  ];
  const kept = [
    '11-23',
    '11-22',
    '11-21',
    '11-20',
    '11-19',
    '11-18',
    '11-17',
    '11-15',
    '11-08',
    '10-31',
    '09-30',
  ].map((day) => `site-2054-${day}T02-00-00Z`);
  const inputs = { 'keep-daily': '7', 'keep-weekly': '4', 'keep-monthly': '12' };

  function seedNightly(parent: string): void {
    for (const name of nightly) server.putFile(`${parent}/${name}/dump.sql`, name);
    for (const name of lookAlikes)
      server.putFile(`${parent}/${name}${name.endsWith('.txt') ? '' : '/dump.sql'}`, 'x');
  }

  test('exactly the folders no rule keeps are deleted; look-alikes and this run stay; the table says why', async () => {
    seedNightly('/e2e-ret');
    const tree = await backupTree();
    const result = await run(tree, { destination: '/e2e-ret/site-{datetime}', ...inputs, ...credentials() });
    expect(result.exitCode).toBe(0);
    const current = (result.outputs['destination'] ?? '').slice('/e2e-ret/'.length);
    const deleted = nightly.filter((name) => !kept.includes(name));
    expect(JSON.parse(result.outputs['pruned'] ?? '')).toEqual(deleted.map((name) => `/e2e-ret/${name}`));
    expect(namesUnder('/e2e-ret')).toEqual([...kept, ...lookAlikes, current].sort());
    expect(result.summary).toContain(
      '**Retention** (keep-daily 7, keep-weekly 4, keep-monthly 12): kept 12 of 61 backup(s), deleted 49.',
    );
    expect(result.summary).toContain(
      '| site-2054-11-23T02-00-00Z | 2054-11-23 02:00:00 | ✅ Kept | daily 1, weekly 1, monthly 1 |',
    );
    expect(result.summary).toContain('| site-2054-09-25T02-00-00Z | 2054-09-25 02:00:00 | 🗑️ Deleted |  |');
    expect(result.stdout).toMatch(
      /Retention \(keep-daily 7, keep-weekly 4, keep-monthly 12\): keep 12 of 61 backup\(s\), delete 49\./,
    );
    expect(result.stdout).toMatch(/2026-\d\d-\d\d \d\d:\d\d:\d\d\s+keep\s+monthly 4, this run\s+site-2026/);
  });

  test('the dry-run plan is what a real run then deletes', async () => {
    seedNightly('/e2e-ret-plan');
    const tree = await backupTree();
    const destination = { destination: '/e2e-ret-plan/site-{datetime}', ...inputs, ...credentials() };
    const planned = await run(tree, { ...destination, 'dry-run': 'true' });
    expect(planned.exitCode).toBe(0);
    expect(namesUnder('/e2e-ret-plan')).toHaveLength(64);
    const real = await run(tree, destination);
    expect(real.exitCode).toBe(0);
    expect(JSON.parse(planned.outputs['pruned'] ?? '')).toEqual(JSON.parse(real.outputs['pruned'] ?? ''));
    expect(JSON.parse(real.outputs['pruned'] ?? '[]')).toHaveLength(49);
    expect(planned.summary).toContain('keep 12 of 61 backup(s), delete 49');
  });

  test('nothing is deleted after a run with a failed file', async () => {
    seedNightly('/e2e-ret-fail');
    const tree = await backupTree();
    await writeFile(tree.file('backup/desktop.ini'), '[.ShellClassInfo]');
    const since = lastSeq(server);
    const result = await run(tree, {
      destination: '/e2e-ret-fail/site-{datetime}',
      ...inputs,
      ...credentials(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['pruned']).toBe('[]');
    expect(routesSince(server, since).filter((route) => route.startsWith('files/delete'))).toEqual([]);
    expect(namesUnder('/e2e-ret-fail').filter((name) => name.startsWith('site-2054-'))).toHaveLength(62);
  });

  test('a rule without the placeholder it needs fails before any request, naming both', async () => {
    const tree = await backupTree();
    const since = lastSeq(server);
    const result = await run(tree, {
      destination: '/e2e-ret-bad/site-{date}',
      'keep-hourly': '24',
      ...credentials(),
    });
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error')[0]?.message).toMatch(
      /^Input "keep-hourly" is "24"; it needs a time placeholder \(\{time\} or \{datetime\}\) in the last folder of "destination"/,
    );
    expect(lastSeq(server)).toBe(since);
  });
});

describe('dry run', () => {
  test('lists the plan and the prune, writes nothing, and says the connection works', async () => {
    seed('/e2e-dry');
    const tree = await backupTree();
    const before = server.files().map((file) => [file.path, file.rev]);
    const since = lastSeq(server);
    const result = await run(tree, {
      destination: '/e2e-dry/site-{datetime}',
      'keep-last': '5',
      'dry-run': 'true',
      ...credentials(),
    });
    expect(result.exitCode).toBe(0);
    const routes = routesSince(server, since);
    expect(routes.filter((route) => !READ_ONLY_ROUTES.has(route))).toEqual([]);
    expect(routes).toContain('users/get_current_account');
    expect(server.files().map((file) => [file.path, file.rev])).toEqual(before);

    expect(result.outputs['destination']).toMatch(/^\/e2e-dry\/site-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    expect(result.outputs['uploaded-count']).toBe('3');
    expect(filesOutput(result).map((file) => file.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    const wouldPrune = Array.from({ length: 16 }, (_, i) => `/e2e-dry/${dated(i + 1)}`);
    expect(JSON.parse(result.outputs['pruned'] ?? '')).toEqual(wouldPrune);
    expect(result.summary).toContain('## Dropbox upload (dry run)');
    expect(result.summary).toContain('**The connection works:**');
    expect(result.summary).toContain('🔍 Would upload');
    expect(result.summary).toContain('**Retention** (keep-last 5): keep 5 of 21 backup(s), delete 16.');
    expect(result.stdout).toContain(`would delete /e2e-dry/${dated(1)}`);
    expect(result.stdout).toContain('::group::Dry run');
  });

  test('after a real run: the unchanged files would be skipped, the changed one sent, and nothing is written', async () => {
    const tree = await backupTree();
    const inputs = { destination: '/e2e-dry-mirror/{repo}', ...credentials() };
    expect((await run(tree, inputs)).outputs['uploaded-count']).toBe('3');
    await writeFile(tree.file('backup/README.txt'), 'nightly, changed');
    const before = server.files().map((file) => [file.path, file.rev]);
    const since = lastSeq(server);
    const result = await run(tree, { ...inputs, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(routesSince(server, since).filter((route) => !READ_ONLY_ROUTES.has(route))).toEqual([]);
    expect(server.files().map((file) => [file.path, file.rev])).toEqual(before);
    expect(filesOutput(result).map((file) => [file.dropboxPath, file.status])).toEqual([
      ['/e2e-dry-mirror/site/README.txt', 'uploaded'],
      ['/e2e-dry-mirror/site/db/dump.sql', 'skipped'],
      ['/e2e-dry-mirror/site/site.tar.gz', 'skipped'],
    ]);
    expect([result.outputs['uploaded-count'], result.outputs['skipped-count']]).toEqual(['1', '2']);
    expect(result.outputs['pruned']).toBe('[]');
    expect(result.summary).toContain('Would skip (unchanged)');
    expect(result.stdout).toContain('would upload /e2e-dry-mirror/site/README.txt');
  });

  test('bad credentials: one annotation and a failed step', async () => {
    const tree = await backupTree();
    const inputs = credentials();
    server.revokeRefreshToken(inputs['refresh-token']!);
    const result = await run(tree, { destination: '/e2e-dry-bad', 'dry-run': 'true', ...inputs });
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error').filter((annotation) => annotation.title !== '')).toEqual([
      expect.objectContaining({ title: 'Dropbox refresh token rejected' }),
    ]);
    expect(result.summary).not.toContain('The connection works');
  });
});
