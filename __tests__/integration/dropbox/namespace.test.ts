/** namespace and select-user against a fake team space: where files land, and what each failure says. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import type { Credentials, NamespaceChoice, PlannedFile } from '../../../src/model.ts';
import { connectToNamespace } from '../../../src/dropbox/namespace.ts';
import { transferFiles } from '../../../src/transfer/transfer.ts';
import { APP, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
let tree: Tree;
beforeAll(async () => {
  server = await startFakeDropbox({ team: { memberName: 'Ada Lovelace', teamFolderName: 'Engineering' } });
  tree = await makeTree({ 'out/report.txt': 'report', 'out/data/x.bin': 'x' });
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

function plan(destination: string): Promise<PlannedFile[]> {
  return planTree(tree, destination, 'out');
}

function teamCredentials(): Credentials {
  return {
    kind: 'refresh-token',
    refreshToken: server.issueRefreshToken({ appKey: APP.key, team: true }),
    appKey: APP.key,
    appSecret: APP.secret,
    accessTokenIgnored: false,
  };
}

async function run(
  destination: string,
  namespace: NamespaceChoice,
  credentials: Credentials = refreshCredentials(server),
  selectUser?: string,
): Promise<{ titles: string[]; line?: string; landed: string[] }> {
  routeDropboxTo(server);
  const tokens = new TokenSource(credentials, { mask: () => undefined });
  const connection = await connectToNamespace(
    tokens,
    { namespace, ...(selectUser === undefined ? {} : { selectUser }) },
    { maxAttempts: 2, backoff: { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 } },
  );
  if ('failure' in connection) return { titles: [connection.failure.title], landed: [] };
  const outcome = await transferFiles(await plan(destination), connection.api, {
    chunkSizeBytes: 4 * 1024 * 1024,
    concurrency: 2,
    ifExists: 'overwrite',
    log: () => undefined,
  });
  const titles = [
    ...new Set(outcome.results.flatMap((result) => (result.error ? [result.error.title] : []))),
  ];
  return {
    titles,
    ...(connection.pathRoot.line === undefined ? {} : { line: connection.pathRoot.line }),
    landed: outcome.results
      .filter((result) => result.status === 'uploaded')
      .map((result) => result.dropboxPath),
  };
}

const stored = (prefix: string): string[] =>
  server
    .files()
    .map((file) => file.path)
    .filter((file) => file.startsWith(prefix));

describe('namespace', () => {
  test('home: a member token writes into the member folder', async () => {
    const result = await run('/home-run', { kind: 'home' });
    expect(result).toEqual({ titles: [], landed: ['/home-run/data/x.bin', '/home-run/report.txt'] });
    expect(stored('/Ada Lovelace/home-run')).toEqual([
      '/Ada Lovelace/home-run/data/x.bin',
      '/Ada Lovelace/home-run/report.txt',
    ]);
  });

  test('team: paths start at the team space root, so a team folder is reachable', async () => {
    const result = await run('/Engineering/builds', { kind: 'team' });
    expect(result.titles).toEqual([]);
    expect(result.line).toContain(`namespace ${server.team!.rootNamespaceId}`);
    expect(result.line).toContain('/Ada Lovelace');
    expect(stored('/Engineering/builds')).toEqual([
      '/Engineering/builds/data/x.bin',
      '/Engineering/builds/report.txt',
    ]);
  });

  test('a namespace id: the team folder by its own id', async () => {
    const result = await run('/by-id', { kind: 'id', id: server.team!.teamFolderNamespaceId });
    expect(result.titles).toEqual([]);
    expect(stored('/Engineering/by-id')).toHaveLength(2);
  });

  test('a namespace the member cannot use stops the run with one explanation', async () => {
    const result = await run('/nope', { kind: 'id', id: '99' });
    expect(result.titles).toEqual(['Dropbox namespace not accessible']);
    expect(result.landed).toEqual([]);
  });
});

describe('select-user', () => {
  test('a team token without select-user is told to set it', async () => {
    const lookup = await run('/t', { kind: 'team' }, teamCredentials());
    expect(lookup.titles).toEqual(['Dropbox team token needs a member']);
    const upload = await run('/t', { kind: 'home' }, teamCredentials());
    expect(upload.titles).toEqual(['Dropbox team token needs a member']);
  });

  test('a team token with select-user acts as that member, in the team space too', async () => {
    const result = await run(
      '/Engineering/as-member',
      { kind: 'team' },
      teamCredentials(),
      server.team!.memberId,
    );
    expect(result.titles).toEqual([]);
    expect(stored('/Engineering/as-member')).toHaveLength(2);
  });

  test('an unknown member id is explained', async () => {
    const result = await run('/t', { kind: 'home' }, teamCredentials(), 'dbmid:AAnobody');
    expect(result.titles).toEqual(['Dropbox team member not valid']);
  });
});
