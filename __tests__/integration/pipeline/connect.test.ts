/**
 * connect: the run's connection to a fake Dropbox. Every secret the token source holds or mints reaches the
 * host to be masked, retries and the namespace line reach the host's log, and request-timeout is seconds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { Connection } from '../../../src/dropbox/namespace.ts';
import type { Credentials, NamespaceChoice } from '../../../src/model.ts';
import { connect, type ConnectionSettings } from '../../../src/pipeline/connect.ts';
import { APP, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { RecordingHost } from '../../support/host.ts';

const MEMBER = 'Ada | Lovelace ü';

let personal: FakeDropbox;
let team: FakeDropbox;
beforeAll(async () => {
  personal = await startFakeDropbox();
  team = await startFakeDropbox({ team: { memberName: MEMBER, teamFolderName: 'Engineering' } });
});
afterEach(() => {
  personal.faults.clear();
  team.faults.clear();
});
afterAll(async () => {
  await personal.close();
  await team.close();
});

interface Connected {
  host: RecordingHost;
  connection: Connection;
  /** Routes the connection's requests reached, in order. */
  routes: string[];
}

async function connectTo(
  server: FakeDropbox,
  namespace: NamespaceChoice,
  more: Partial<ConnectionSettings> = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<Connected> {
  routeDropboxTo(server);
  const host = new RecordingHost();
  const since = server.requests.length;
  const connection = await connect(
    host,
    {
      credentials: refreshCredentials(server),
      maxAttempts: 3,
      requestTimeoutSeconds: 30,
      namespace,
      ...more,
    },
    signal,
  );
  return { host, connection, routes: server.requests.slice(since).map((entry) => entry.route) };
}

function apiOf(connection: Connection): Extract<Connection, { api: unknown }> {
  if ('failure' in connection) throw new Error(`not connected: ${connection.failure.title}`);
  return connection;
}

describe('the namespace', () => {
  test('home: no request yet and nothing to say', async () => {
    const { host, connection, routes } = await connectTo(personal, { kind: 'home' });
    expect(apiOf(connection).pathRoot).toEqual({ header: undefined, line: undefined });
    expect([routes, host.lines]).toEqual([[], []]);
  });

  test('a namespace id: no request, and the log says where paths start', async () => {
    const { host, routes } = await connectTo(personal, { kind: 'id', id: '3235641' });
    expect([routes, host.lines]).toEqual([[], ['Paths start in namespace 3235641.']]);
  });

  test('team: one look-up, and the log names the team space and the member folder, as one line', async () => {
    const { host, connection, routes } = await connectTo(team, { kind: 'team' });
    expect(routes).toEqual(['oauth2/token', 'users/get_current_account']);
    expect(host.lines).toEqual([
      `Paths start at the root of the team space (namespace ${team.rootNamespaceId}), where the team folders are. ` +
        `Your own folder there is /${MEMBER}.`,
    ]);
    expect(apiOf(connection).pathRoot.notice).toBeUndefined();
  });

  test('team on an account without a team space: the notice is left for the pipeline to annotate', async () => {
    const { host, connection } = await connectTo(personal, { kind: 'team' });
    expect(host.lines).toEqual([
      `Paths start at the root of this account's Dropbox (namespace ${personal.rootNamespaceId}).`,
    ]);
    expect(host.annotations).toEqual([]);
    expect(apiOf(connection).pathRoot.notice).toMatch(
      /^"namespace: team" was set, but this account has no team space/,
    );
  });

  test('a team look-up that fails is the explanation that stops the run, and nothing else is logged', async () => {
    const credentials: Credentials = {
      kind: 'refresh-token',
      refreshToken: 'not-a-token',
      appKey: APP.key,
      appSecret: APP.secret,
      accessTokenIgnored: false,
    };
    const { host, connection } = await connectTo(team, { kind: 'team' }, { credentials });
    expect('failure' in connection && connection.failure.title).toBe('Dropbox refresh token rejected');
    expect(host.lines).toEqual([]);
  });

  test('a cancelled run does not look the team space up', async () => {
    const cancelled = new AbortController();
    cancelled.abort(new Error('cancelled (SIGINT)'));
    const { connection, routes } = await connectTo(team, { kind: 'team' }, {}, cancelled.signal);
    expect('failure' in connection).toBe(true);
    expect(routes).toEqual([]);
  });
});

describe('secrets', () => {
  test('the credentials given and every access token minted are handed to the host to mask', async () => {
    const credentials = refreshCredentials(personal);
    const { host, connection } = await connectTo(personal, { kind: 'home' }, { credentials });
    const given = credentials.kind === 'refresh-token' ? credentials.refreshToken : '';
    expect(host.secrets).toEqual([given, APP.key, APP.secret]);

    const { api } = apiOf(connection);
    const since = personal.requests.length;
    await api.call('check the token', (context) =>
      api.sdk.usersGetCurrentAccount({ signal: context.signal }),
    );
    const used = personal.requests.slice(since).find((entry) => entry.route === 'users/get_current_account');
    expect(host.secrets).toHaveLength(4);
    expect(host.secrets[3]).toMatch(/^sl\./);
    expect(host.secrets[3]?.startsWith(used?.tokenHint ?? '?')).toBe(true);
  });
});

describe('retry settings', () => {
  test('a retry is logged through the host, counted against max-attempts', async () => {
    team.faults.add({ route: 'users/get_current_account', action: { kind: 'status', status: 503 } });
    const { host, connection } = await connectTo(team, { kind: 'team' });
    expect('api' in connection).toBe(true);
    expect(host.lines).toHaveLength(2);
    expect(host.lines[0]).toMatch(/^look up the team space: HTTP 503; retry 1 of 2 in /);
    expect(host.lines[1]).toMatch(/^Paths start at the root of the team space/);
  });

  test('max-attempts bounds the look-up', async () => {
    team.faults.add({
      route: 'users/get_current_account',
      action: { kind: 'status', status: 503 },
      every: 1,
    });
    const { connection, routes } = await connectTo(team, { kind: 'team' }, { maxAttempts: 2 });
    expect('failure' in connection && connection.failure.title).toBe('Dropbox is failing (5XX)');
    expect(routes.filter((route) => route === 'users/get_current_account')).toHaveLength(2);
  });

  test.each([
    ['a slow answer within request-timeout (seconds) is waited for', 300, 2, 'connected'],
    ['an answer that takes longer is given up on', 2500, 1, 'Could not reach Dropbox'],
  ])('%s', async (_what, stallMs, requestTimeoutSeconds, connected) => {
    team.faults.add({ route: 'users/get_current_account', action: { kind: 'stall', ms: stallMs } });
    const { connection } = await connectTo(team, { kind: 'team' }, { requestTimeoutSeconds, maxAttempts: 1 });
    expect('failure' in connection ? connection.failure.title : 'connected').toBe(connected);
  });
});
