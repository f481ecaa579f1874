/**
 * Credentials and the token endpoint, through the bundled dist/index.js run as the runner runs it:
 * a bad character in a credential input, a stalled or malformed token answer, and short-lived tokens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun, type Annotation } from '../../../scripts/action-runner.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const APP = { key: 'e2e-credentials-key', secret: 'e2e-credentials-secret' };
let server: FakeDropbox;
let shortLived: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  shortLived = await FakeDropbox.start({ tokenLifetimeSeconds: 60 });
  shortLived.registerApp(APP);
  const files: Record<string, string> = {};
  for (let index = 0; index < 20; index += 1) files[`many/file ${index}.txt`] = `content ${index}`;
  tree = await makeTree({ 'site/index.html': '<h1>site</h1>', ...files });
});
afterAll(async () => {
  await Promise.all([server.close(), shortLived.close()]);
  await tree.cleanup();
});
afterEach(() => server.faults.clear());

/** The error annotations with a title: the explanations (the step's own failure line has none). */
function titledErrors(result: ActionRun): Annotation[] {
  return annotationsIn(result.stdout, 'error').filter((annotation) => annotation.title !== '');
}

function run(inputs: Record<string, string>, fake = server): Promise<ActionRun> {
  return runAction({
    inputs: {
      path: 'site/index.html',
      'refresh-token': fake.issueRefreshToken({ appKey: APP.key }),
      'app-key': APP.key,
      'app-secret': APP.secret,
      ...inputs,
    },
    workspace: tree.root,
    fakeDropboxUrl: fake.url,
  });
}

const tokenRequests = (fake: FakeDropbox, since: number): number =>
  fake.requests.slice(since).filter((entry) => entry.route === 'oauth2/token').length;

describe('a character that cannot be in a credential', () => {
  test('a zero-width space pasted into the refresh token fails before any request, naming input, position and code point', async () => {
    const token = server.issueRefreshToken({ appKey: APP.key });
    const since = server.requests.length;
    const result = await run({ 'refresh-token': `${token.slice(0, 5)}\u200b${token.slice(5)}\n` });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(
      'Input "refresh-token" (hidden) contains a character that cannot be in it: U+200B (a zero-width space) at character 6',
    );
    // The runner masks the whole value (::add-mask::); no other line may hold it.
    const otherLines = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(otherLines.join('\n')).not.toContain(token.slice(5));
    expect(server.requests.length).toBe(since);
  });

  test('surrounding spaces and line breaks are still trimmed', async () => {
    const token = server.issueRefreshToken({ appKey: APP.key });
    const result = await run({ 'refresh-token': `  ${token}\r\n`, destination: '/trimmed' });
    expect(result.exitCode).toBe(0);
  });
});

describe('the token endpoint', () => {
  test('a stalled token request is abandoned after request-timeout and retried; the run does not wait for it', async () => {
    server.faults.add({ route: 'oauth2/token', action: { kind: 'stall', ms: 60_000 } });
    const since = server.requests.length;
    const result = await run({ destination: '/stalled-token', 'request-timeout': '1' });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    // The run's first request (the listing for skip-unchanged) is the one that needs the token.
    expect(result.stdout).toMatch(/: No progress for 1 s \(request-timeout\).*retry 1 of 4/);
    expect(tokenRequests(server, since)).toBe(2);
    expect(result.elapsedMs).toBeLessThan(30_000);
    expect(server.readFile('/stalled-token/index.html').toString()).toBe('<h1>site</h1>');
  });

  test('a malformed token answer is retried as transient, and the run goes on', async () => {
    server.faults.add({
      route: 'oauth2/token',
      times: 2,
      action: { kind: 'status', status: 200, body: '<html>Sign in to the network</html>' },
    });
    const since = server.requests.length;
    const result = await run({ destination: '/malformed-once' });
    expect(result.exitCode).toBe(0);
    expect(tokenRequests(server, since)).toBe(3);
  });

  test('a token answer that stays malformed is explained once, without quoting it', async () => {
    server.faults.add({
      route: 'oauth2/token',
      every: 1,
      action: { kind: 'status', status: 200, body: '<html>sl.not-a-token-but-looks-like-one</html>' },
    });
    const result = await run({ destination: '/malformed', 'max-attempts': '2' });
    expect(result.exitCode).not.toBe(0);
    const errors = titledErrors(result);
    // The title is the lead's to choose when wiring TokenAnswerError into explain.ts.
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('not JSON');
    expect(result.stdout).not.toContain('not-a-token');
  });

  test('60-second tokens: one refresh for a whole run of 21 files (not one per request)', async () => {
    const since = shortLived.requests.length;
    const result = await run({ path: 'site/index.html\nmany/**', destination: '/short-lived' }, shortLived);
    expect(result.exitCode).toBe(0);
    expect(tokenRequests(shortLived, since)).toBe(1);
  });
});
