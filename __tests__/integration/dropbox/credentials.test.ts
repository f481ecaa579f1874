/**
 * The token endpoint through the real network stack, against the fake server: the refresh request
 * obeys the attempt's signal (a stalled one is abandoned and retried), a malformed answer is retried
 * and then reported, and the token is renewed once per lifetime, whatever the lifetime.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import type { FakeDropbox, FakeDropboxOptions } from '../../../fake-dropbox/index.ts';
import { DropboxApi } from '../../../src/dropbox/client.ts';
import { TokenAnswerError, TokenSource, TOKEN_URL } from '../../../src/dropbox/credentials.ts';
import { explainDropboxError } from '../../../src/dropbox/explain/explain.ts';
import { RequestStalledError } from '../../../src/dropbox/request-timeout.ts';
import type { Credentials } from '../../../src/model.ts';
import { APP, refreshCredentials, startFakeDropbox } from '../../support/dropbox.ts';

let server: FakeDropbox | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeDropboxOptions = {}): Promise<FakeDropbox> {
  server = await startFakeDropbox(options);
  return server;
}

function tokenRequests(fake: FakeDropbox): { status: number; fault?: string }[] {
  return fake.requests
    .filter((entry) => entry.route === 'oauth2/token')
    .map((entry) => ({ status: entry.status, ...(entry.fault === undefined ? {} : { fault: entry.fault }) }));
}

function apiFor(
  credentials: Credentials,
  options: { requestTimeoutMs?: number; maxAttempts?: number } = {},
): { api: DropboxApi; tokens: TokenSource; retryLines: string[]; masked: string[] } {
  const masked: string[] = [];
  const retryLines: string[] = [];
  const tokens = new TokenSource(credentials, { mask: (secret) => masked.push(secret) });
  const api = new DropboxApi(tokens, {
    maxAttempts: options.maxAttempts ?? 3,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    onRetry: (line) => retryLines.push(line),
  });
  return { api, tokens, retryLines, masked };
}

/** Waits until the fake has seen what a step needs, so that a fault fires on the request meant. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const currentAccount = (api: DropboxApi): Promise<unknown> =>
  api.call('get account', (context) => api.sdk.usersGetCurrentAccount({ signal: context.signal }));

describe('the refresh request', () => {
  test('is a form-encoded POST to the token URL: the secrets travel in the body, never in the URL', async () => {
    const fake = await start();
    const seen: { url: string; method: string; body: string }[] = [];
    const redirected = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === TOKEN_URL) {
        seen.push({ url, method: init?.method ?? 'GET', body: String(init?.body ?? '') });
      }
      return redirected(input, init);
    };
    try {
      const credentials = refreshCredentials(fake);
      const { tokens, masked } = apiFor(credentials);
      await tokens.ensureFresh();
      expect(seen).toHaveLength(1);
      expect(seen[0]!.method).toBe('POST');
      expect(seen[0]!.url).toBe('https://api.dropboxapi.com/oauth2/token');
      const form = new URLSearchParams(seen[0]!.body);
      expect(Object.fromEntries(form)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: credentials.kind === 'refresh-token' ? credentials.refreshToken : '',
        client_id: APP.key,
        client_secret: APP.secret,
      });
      expect(masked).toContain(tokens.currentToken());
    } finally {
      globalThis.fetch = redirected;
    }
  });

  test('a PKCE refresh token sends no client_secret', async () => {
    const fake = await start();
    const refreshToken = fake.issueRefreshToken({ appKey: APP.key, pkce: true });
    const { tokens } = apiFor({
      kind: 'refresh-token',
      refreshToken,
      appKey: APP.key,
      accessTokenIgnored: false,
    });
    await tokens.ensureFresh();
    expect(tokens.refreshes).toBe(1);
    expect(tokenRequests(fake)).toEqual([{ status: 200 }]);
  });

  test('concurrent callers share one refresh in flight', async () => {
    const fake = await start({ latencyMs: 50 });
    const { tokens } = apiFor(refreshCredentials(fake));
    await Promise.all(Array.from({ length: 12 }, () => tokens.ensureFresh(new AbortController().signal)));
    expect(tokenRequests(fake)).toHaveLength(1);
    expect(tokens.refreshes).toBe(1);
  });

  test('refusals keep the shape explain.ts reads: a rejected refresh token is explained as before', async () => {
    const fake = await start();
    const { tokens } = apiFor({
      kind: 'refresh-token',
      refreshToken: fake.issueRefreshToken({ appKey: APP.key }).replace(/.$/, 'x'),
      appKey: APP.key,
      appSecret: APP.secret,
      accessTokenIgnored: false,
    });
    const error = await tokens.ensureFresh().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DropboxResponseError);
    expect((error as DropboxResponseError<unknown>).status).toBe(400);
    expect(explainDropboxError(error).title).toBe('Dropbox refresh token rejected');
  });
});

describe('a stalled token request is abandoned, not waited on', () => {
  const stall = { route: 'oauth2/token', action: { kind: 'stall', ms: 60_000 } } as const;

  test("the caller's timeout ends the request, and the next caller starts a new one", async () => {
    const fake = await start();
    fake.faults.add(stall);
    const { tokens } = apiFor(refreshCredentials(fake));
    const stalled = new AbortController();
    const first = tokens.ensureFresh(stalled.signal);
    await until(() => tokenRequests(fake).length === 1);
    stalled.abort(new RequestStalledError(200));
    await expect(first).rejects.toBeInstanceOf(RequestStalledError);
    await tokens.ensureFresh(new AbortController().signal);
    expect(tokens.refreshes).toBe(1);
    const requests = tokenRequests(fake);
    expect(requests).toEqual([{ status: 0, fault: 'stall' }, { status: 200 }]);
  });

  test('a stall seen by one caller is abandoned for all who share it: they retry with a new request', async () => {
    const fake = await start();
    fake.faults.add(stall);
    const { tokens } = apiFor(refreshCredentials(fake));
    const timedOut = new AbortController();
    const first = tokens.ensureFresh(timedOut.signal);
    const second = tokens.ensureFresh(new AbortController().signal);
    await until(() => tokenRequests(fake).length === 1);
    timedOut.abort(new RequestStalledError(100));
    await expect(first).rejects.toBeInstanceOf(RequestStalledError);
    await expect(second).rejects.toBeInstanceOf(RequestStalledError);
    await tokens.ensureFresh();
    expect(tokenRequests(fake)).toEqual([{ status: 0, fault: 'stall' }, { status: 200 }]);
  });

  test('one caller cancelled does not cancel the refresh that others still wait for', async () => {
    const fake = await start();
    fake.faults.add({ route: 'oauth2/token', action: { kind: 'stall', ms: 300 } });
    const { tokens } = apiFor(refreshCredentials(fake));
    const cancelled = new AbortController();
    const first = tokens.ensureFresh(cancelled.signal);
    const second = tokens.ensureFresh(new AbortController().signal);
    await until(() => tokenRequests(fake).length === 1);
    cancelled.abort(new Error('cancelled (SIGINT)'));
    await expect(first).rejects.toThrow('cancelled (SIGINT)');
    await second;
    expect(tokenRequests(fake)).toEqual([{ status: 200, fault: 'stall' }]);
  });

  test('when the last caller gives up, the request is abandoned: nothing keeps waiting for it', async () => {
    const fake = await start();
    fake.faults.add(stall);
    const { tokens } = apiFor(refreshCredentials(fake));
    const cancelled = new AbortController();
    const waiting = tokens.ensureFresh(cancelled.signal);
    await until(() => tokenRequests(fake).length === 1);
    cancelled.abort(new Error('cancelled (SIGTERM)'));
    await expect(waiting).rejects.toThrow('cancelled (SIGTERM)');
    await tokens.ensureFresh();
    expect(tokenRequests(fake)).toEqual([{ status: 0, fault: 'stall' }, { status: 200 }]);
  });

  // Needs DropboxApi.call to pass the attempt's signal: `this.tokens.ensureFresh(watchdog.signal)`.
  test('through DropboxApi: request-timeout abandons the stalled refresh and the retry gets a token', async () => {
    const fake = await start();
    fake.faults.add(stall);
    const { api, retryLines } = apiFor(refreshCredentials(fake), { requestTimeoutMs: 300 });
    await currentAccount(api);
    expect(tokenRequests(fake)).toEqual([{ status: 0, fault: 'stall' }, { status: 200 }]);
    expect(retryLines).toEqual([
      expect.stringMatching(/^get account: No progress for 0\.3 s \(request-timeout\)/),
    ]);
  });
});

describe('a token answer that is not the expected JSON', () => {
  test.each<[string, { status: number; body: string | object; headers?: Record<string, string> }, string]>([
    [
      "a captive portal's page",
      { status: 200, body: '<html>Sign in to the Wi-Fi</html>', headers: { 'Content-Type': 'text/html' } },
      'an answer that is not JSON (Content-Type text/html, 33 bytes)',
    ],
    [
      'a truncated body',
      { status: 200, body: '{"access_token": "sl.abc' },
      'an answer that is not JSON (Content-Type text/plain, 24 bytes)',
    ],
    [
      'a JSON array',
      { status: 200, body: [1, 2] },
      'JSON that is not an object (Content-Type application/json, 5 bytes)',
    ],
    [
      'no access_token',
      { status: 200, body: { token_type: 'bearer', expires_in: 14400 } },
      'JSON without an access_token',
    ],
    [
      'a token with a line break',
      { status: 200, body: { access_token: 'sl.abc\r\nX-Evil: 1', expires_in: 14400 } },
      'an access_token holding characters a token cannot have',
    ],
    [
      'another token type',
      { status: 200, body: { access_token: 'sl.abc', token_type: 'mac' } },
      'a token_type other than bearer',
    ],
    [
      'expires_in as text',
      { status: 200, body: { access_token: 'sl.abc', expires_in: '14400' } },
      'an expires_in that is not a positive number of seconds',
    ],
    [
      'a hostile Content-Type',
      { status: 200, body: 'x', headers: { 'Content-Type': '::error title=x::forged' } },
      'an answer that is not JSON (no usable Content-Type, 1 bytes)',
    ],
  ])('%s is a TokenAnswerError that names its shape, never its text', async (_name, fault, detail) => {
    const fake = await start();
    fake.faults.add({ route: 'oauth2/token', action: { kind: 'status', ...fault } });
    const { tokens } = apiFor(refreshCredentials(fake));
    const error = await tokens.ensureFresh().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenAnswerError);
    expect((error as TokenAnswerError).detail).toBe(detail);
    expect(tokens.currentToken()).toBeUndefined();
    await tokens.ensureFresh();
    expect(tokens.refreshes).toBe(1);
  });

  // Needs retry.ts to treat TokenAnswerError as transient (see the report).
  test('through DropboxApi: retried as transient, and the run goes on once an answer is good', async () => {
    const fake = await start();
    fake.faults.add({
      route: 'oauth2/token',
      times: 2,
      action: { kind: 'status', status: 200, body: '<html></html>' },
    });
    const { api, retryLines } = apiFor(refreshCredentials(fake), { maxAttempts: 4 });
    await currentAccount(api);
    expect(tokenRequests(fake).map((request) => request.status)).toEqual([200, 200, 200]);
    expect(retryLines).toHaveLength(2);
  });

  test('through DropboxApi: on every attempt, the error is a TokenAnswerError without secrets', async () => {
    const fake = await start();
    fake.faults.add({
      route: 'oauth2/token',
      every: 1,
      action: { kind: 'status', status: 200, body: 'garbage' },
    });
    const credentials = refreshCredentials(fake);
    const { api } = apiFor(credentials, { maxAttempts: 3 });
    const error = await currentAccount(api).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenAnswerError);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    if (credentials.kind === 'refresh-token') expect(text).not.toContain(credentials.refreshToken);
    expect(text).not.toContain(APP.secret);
  });
});

describe('the token is renewed once per lifetime, whatever the lifetime', () => {
  test('60 s tokens (shorter than the old fixed 5-minute margin): one refresh for 30 requests', async () => {
    const fake = await start({ tokenLifetimeSeconds: 60 });
    const { api, tokens } = apiFor(refreshCredentials(fake));
    for (let request = 0; request < 30; request += 1) await currentAccount(api);
    expect(tokenRequests(fake)).toEqual([{ status: 200 }]);
    expect(tokens.refreshes).toBe(1);
  });

  test('2 s tokens under 4 parallel workers: about one refresh per 1.8 s, never one per request', async () => {
    const fake = await start({ tokenLifetimeSeconds: 2 });
    const { api, tokens } = apiFor(refreshCredentials(fake));
    const started = Date.now();
    let calls = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() - started < 5000) {
          await currentAccount(api);
          calls += 1;
        }
      }),
    );
    const elapsedMs = Date.now() - started;
    const refreshes = tokenRequests(fake);
    expect(refreshes.every((request) => request.status === 200)).toBe(true);
    // A token lives 2 s and is renewed 0.2 s early; one more for the first, one for a request that
    // met the expiry on a slow machine (401 expired_access_token, then one renewal).
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.length).toBeLessThanOrEqual(Math.floor(elapsedMs / 1800) + 2);
    expect(tokens.refreshes).toBe(refreshes.length);
    expect(calls).toBeGreaterThan(refreshes.length * 5);
  });
});
