/**
 * DropboxApi.call against the fake Dropbox: what is retried and what is not, the retry log line, a token
 * renewed after it expired, an attempt told that an earlier answer was lost, the gate each attempt runs
 * in, request-timeout, cancellation, and streamed bodies that are never kept for a redirect.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { DropboxApi, streamingFetch, type AttemptContext } from '../../../src/dropbox/client.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { failureFacts } from '../../../src/dropbox/retry.ts';
import { refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';

const ACCOUNT = 'users/get_current_account';
/** Longer than any test here may take: a stall only ends early when the client gives up. */
const STALL = { kind: 'stall', ms: 30_000 } as const;

let server: FakeDropbox;
beforeAll(async () => {
  server = await startFakeDropbox();
});
afterEach(() => {
  server.faults.clear();
  routeDropboxTo(server);
});
afterAll(async () => {
  await server.close();
});

interface Client {
  api: DropboxApi;
  retryLines: string[];
}

function client(
  options: {
    maxAttempts?: number;
    baseDelayMs?: number;
    requestTimeoutMs?: number;
    signal?: AbortSignal;
  } = {},
): Client {
  const retryLines: string[] = [];
  const tokens = new TokenSource(refreshCredentials(server), { mask: () => undefined });
  const api = new DropboxApi(tokens, {
    maxAttempts: options.maxAttempts ?? 4,
    backoff: {
      baseDelayMs: options.baseDelayMs ?? 5,
      maxDelayMs: options.baseDelayMs ?? 20,
      random: () => 0.5,
    },
    onRetry: (line) => retryLines.push(line),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { api, retryLines };
}

/** A client with its token already fetched, so that the request log shows only what a test sends. */
async function ready(options: Parameters<typeof client>[0] = {}): Promise<Client & { since: number }> {
  const made = client(options);
  await made.api.tokens.ensureFresh();
  return { ...made, since: lastSeq(server) };
}

const currentAccount = (api: DropboxApi, seen?: AttemptContext[]): Promise<unknown> =>
  api.call('get account', (context) => {
    seen?.push(context);
    return api.sdk.usersGetCurrentAccount({ signal: context.signal });
  });

describe('retries', () => {
  test('an answer on the first attempt: one request, no retry line', async () => {
    const { api, retryLines, since } = await ready();
    const seen: AttemptContext[] = [];
    const answer = (await currentAccount(api, seen)) as { result: { account_id: string } };
    expect(answer.result.account_id).toMatch(/^dbid:/);
    expect(routesSince(server, since)).toEqual([ACCOUNT]);
    expect(seen.map((context) => context.outcomeUnknown)).toEqual([false]);
    expect(retryLines).toEqual([]);
  });

  test('a 5XX is retried, with a log line per retry that names the call, the failure and the count', async () => {
    const { api, retryLines, since } = await ready({ maxAttempts: 4 });
    server.faults.add({ route: ACCOUNT, times: 2, action: { kind: 'status', status: 500 } });
    await currentAccount(api);
    expect(routesSince(server, since)).toEqual([ACCOUNT, ACCOUNT, ACCOUNT]);
    expect(retryLines).toEqual([
      expect.stringMatching(/^get account: HTTP 500; retry 1 of 3 in \d+\.\d s$/),
      expect.stringMatching(/^get account: HTTP 500; retry 2 of 3 in \d+\.\d s$/),
    ]);
  });

  test('attempts run out: the last failure is thrown as Dropbox answered it', async () => {
    const { api, retryLines, since } = await ready({ maxAttempts: 3 });
    server.faults.add({ route: ACCOUNT, every: 1, action: { kind: 'status', status: 502 } });
    const error = await currentAccount(api).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DropboxResponseError);
    expect(failureFacts(error).status).toBe(502);
    expect(routesSince(server, since)).toHaveLength(3);
    expect(retryLines).toHaveLength(2);
  });

  test('a refusal that another attempt cannot change is thrown at once', async () => {
    const { api, retryLines, since } = await ready();
    const error = await api
      .call('check', (context) =>
        api.sdk.filesGetMetadata({ path: '/not/there.txt' }, { signal: context.signal }),
      )
      .catch((caught: unknown) => caught);
    expect(failureFacts(error)).toMatchObject({ status: 409, tags: expect.arrayContaining(['not_found']) });
    expect(routesSince(server, since)).toEqual(['files/get_metadata']);
    expect(retryLines).toEqual([]);
  });

  test('a lost answer: the next attempt is told its outcome is unknown', async () => {
    const { api, retryLines } = await ready();
    server.faults.add({ route: ACCOUNT, nth: 1, action: { kind: 'lost-response' } });
    const seen: AttemptContext[] = [];
    await currentAccount(api, seen);
    expect(seen.map((context) => context.outcomeUnknown)).toEqual([false, true]);
    expect(retryLines).toEqual([expect.stringMatching(/^get account: network error; retry 1 of 3/)]);
  });

  test('an outcome once unknown stays unknown for the later attempts', async () => {
    const { api } = await ready({ maxAttempts: 4 });
    server.faults.add({ route: ACCOUNT, nth: 1, action: { kind: 'lost-response' } });
    server.faults.add({ route: ACCOUNT, nth: 2, action: { kind: 'status', status: 503 } });
    const seen: AttemptContext[] = [];
    await currentAccount(api, seen);
    expect(seen.map((context) => context.outcomeUnknown)).toEqual([false, true, true]);
  });
});

describe('an expired token', () => {
  const tokenRequestsSince = (since: number): number =>
    routesSince(server, since).filter((route) => route === 'oauth2/token').length;

  test('is renewed and the request sent again, without using up an attempt', async () => {
    const { api, retryLines, since } = await ready({ maxAttempts: 1 });
    server.faults.add({ route: ACCOUNT, nth: 1, action: { kind: 'expire-token' } });
    await currentAccount(api);
    expect(routesSince(server, since)).toEqual([ACCOUNT, 'oauth2/token', ACCOUNT]);
    expect(retryLines).toEqual([]);
  });

  test('that expires again and again is renewed twice per call, then the refusal is thrown', async () => {
    const { api, since } = await ready({ maxAttempts: 5 });
    server.faults.add({ route: ACCOUNT, every: 1, action: { kind: 'expire-token' } });
    const error = await currentAccount(api).catch((caught: unknown) => caught);
    expect(failureFacts(error)).toMatchObject({ status: 401, tags: ['expired_access_token'] });
    expect(tokenRequestsSince(since)).toBe(2);
    expect(routesSince(server, since).filter((route) => route === ACCOUNT)).toHaveLength(3);
  });
});

describe('the gate', () => {
  test('runs every attempt, and is told which ones are retries', async () => {
    const { api } = await ready({ maxAttempts: 4 });
    server.faults.add({ route: ACCOUNT, times: 2, action: { kind: 'status', status: 503 } });
    const retries: boolean[] = [];
    let inside = 0;
    let most = 0;
    await api.call('get account', (context) => api.sdk.usersGetCurrentAccount({ signal: context.signal }), {
      gate: async (attempt, retry) => {
        retries.push(retry);
        inside += 1;
        most = Math.max(most, inside);
        try {
          return await attempt();
        } finally {
          inside -= 1;
        }
      },
    });
    expect(retries).toEqual([false, true, true]);
    expect(most).toBe(1);
  });
});

describe('request-timeout', () => {
  test('an attempt that gets no answer is abandoned and retried', async () => {
    const { api, retryLines, since } = await ready({ requestTimeoutMs: 300 });
    server.faults.add({ route: ACCOUNT, nth: 1, action: STALL });
    const started = Date.now();
    await currentAccount(api);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(routesSince(server, since)).toEqual([ACCOUNT, ACCOUNT]);
    expect(retryLines).toEqual([
      expect.stringMatching(/^get account: No progress for 0\.3 s \(request-timeout\).*; retry 1 of 3/),
    ]);
  });

  test('a request that ignores its signal is abandoned all the same', async () => {
    const { api, retryLines } = await ready({ requestTimeoutMs: 100, maxAttempts: 2 });
    let attempts = 0;
    const error = await api
      .call('never answers', () => {
        attempts += 1;
        return new Promise<never>(() => undefined);
      })
      .catch((caught: unknown) => caught);
    expect(attempts).toBe(2);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(retryLines).toHaveLength(1);
  });
});

describe('cancellation', () => {
  test("the client's signal ends a request in flight, and nothing is retried", async () => {
    const cancellation = new AbortController();
    const { api, retryLines } = await ready({ signal: cancellation.signal });
    server.faults.add({ route: ACCOUNT, nth: 1, action: STALL });
    const reason = new Error('cancelled by the test');
    setTimeout(() => cancellation.abort(reason), 100);
    const started = Date.now();
    await expect(currentAccount(api)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(retryLines).toEqual([]);
  });

  test("a call's own signal ends the wait between attempts", async () => {
    const { api, retryLines, since } = await ready({ baseDelayMs: 60_000 });
    server.faults.add({ route: ACCOUNT, every: 1, action: { kind: 'status', status: 503 } });
    const stop = new AbortController();
    const reason = new Error('this file stopped');
    const call = api.call(
      'get account',
      (context) => api.sdk.usersGetCurrentAccount({ signal: context.signal }),
      { signal: stop.signal },
    );
    while (retryLines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    stop.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(routesSince(server, since)).toEqual([ACCOUNT]);
  });

  test('an already cancelled call sends nothing', async () => {
    const { api, since } = await ready();
    const reason = new Error('cancelled before');
    await expect(
      api.call('get account', (context) => api.sdk.usersGetCurrentAccount({ signal: context.signal }), {
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(routesSince(server, since)).toEqual([]);
  });
});

describe('streamingFetch', () => {
  /** Records what reaches the global fetch, then sends it on to the fake. */
  function recordFetch(): RequestInit[] {
    const seen: RequestInit[] = [];
    const redirected = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      seen.push(init ?? {});
      return redirected(input, init);
    };
    return seen;
  }

  test('a request with a body refuses redirects, so its body is not kept in memory for one', async () => {
    const { api } = await ready();
    const seen = recordFetch();
    await api.call('upload', (context) =>
      api.sdk.filesUploadSessionStart(
        { close: true, contents: new Uint8Array([1, 2, 3]) },
        { signal: context.signal },
      ),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', redirect: 'error' });
    expect(seen[0]!.body).toBeDefined();
  });

  test('a request without a body goes as it was given', async () => {
    const seen = recordFetch();
    const init: RequestInit = { method: 'GET' };
    await streamingFetch(`${server.url}/health-check-that-is-not-there`, init).catch(() => undefined);
    expect(seen).toEqual([init]);
    expect(seen[0]).toBe(init);
  });

  test('the global fetch is looked up at each call, not when the client was made', async () => {
    const { api } = await ready();
    const seen = recordFetch();
    await currentAccount(api);
    expect(seen).toHaveLength(1);
  });
});
