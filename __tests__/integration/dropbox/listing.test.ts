/**
 * The destination listing against the fake Dropbox when the connection stalls: request-timeout aborts
 * a list_folder (or list_folder/continue) that gets no answer, the attempt is retried and the listing
 * still comes back whole; cancellation ends a stalled listing at once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { DropboxApi } from '../../../src/dropbox/client.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { listRemoteFolder } from '../../../src/dropbox/listing.ts';
import { refreshCredentials, startFakeDropbox } from '../../support/dropbox.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';

/** Longer than any test here may take: a stall only ends early when the client gives up. */
const STALL = { kind: 'stall', ms: 30_000 } as const;
const REQUEST_TIMEOUT_MS = 500;

let server: FakeDropbox;

beforeAll(async () => {
  // Pages of 2 entries, so that a listing of the seeded folder needs list_folder/continue too.
  server = await startFakeDropbox({ listPageSize: 2 });
  for (let index = 0; index < 5; index += 1) server.putFile(`/stalled/${index}.txt`, String(index));
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
});

function connectWithTimeout(signal?: AbortSignal): { api: DropboxApi; retryLines: string[] } {
  const retryLines: string[] = [];
  const tokens = new TokenSource(refreshCredentials(server), { mask: () => undefined });
  const api = new DropboxApi(tokens, {
    maxAttempts: 3,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    onRetry: (line) => retryLines.push(line),
    ...(signal === undefined ? {} : { signal }),
  });
  return { api, retryLines };
}

const NAMES = ['0.txt', '1.txt', '2.txt', '3.txt', '4.txt'];

describe('a stalled listing', () => {
  test.each(['files/list_folder', 'files/list_folder/continue'])(
    'a %s stall longer than request-timeout is aborted and retried; the listing succeeds',
    async (route) => {
      const { api, retryLines } = connectWithTimeout();
      await api.tokens.ensureFresh();
      server.faults.add({ route, nth: 1, action: STALL });
      const fired = server.faults.fired.length;
      const since = lastSeq(server);
      const started = Date.now();

      const entries = await listRemoteFolder(api, '/stalled', { recursive: true });

      expect(entries.map((entry) => entry.name)).toEqual(NAMES);
      expect(server.faults.fired.slice(fired).map((fault) => `${fault.route} ${fault.kind}`)).toEqual([
        `${route} stall`,
      ]);
      // The stalled request, then its retry: the same route twice in a row, and nothing started over.
      const routes = routesSince(server, since);
      expect(routes.filter((seen) => seen === route).length).toBe(route === 'files/list_folder' ? 2 : 3);
      expect(routes.filter((seen) => seen === 'files/list_folder').length).toBe(
        route === 'files/list_folder' ? 2 : 1,
      );
      expect(retryLines).toEqual([
        expect.stringMatching(/^list \/stalled: No progress for 0\.5 s \(request-timeout\)/),
      ]);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  test('a request that ignores its signal is abandoned at request-timeout too', async () => {
    const { api, retryLines } = connectWithTimeout();
    await api.tokens.ensureFresh();
    server.faults.add({ route: 'files/list_folder', nth: 1, action: STALL });
    const started = Date.now();

    // No `{ signal }` to the SDK: only the client's own watchdog can end the stalled attempt.
    const page = await api.call('list without a signal', () =>
      api.sdk.filesListFolder({ path: '/stalled', limit: 2 }),
    );

    expect(page.result.entries.map((entry) => entry.name)).toEqual(['0.txt', '1.txt']);
    expect(retryLines).toEqual([expect.stringContaining('(request-timeout)')]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('cancellation ends a stalled listing at once, without a retry', async () => {
    const cancellation = new AbortController();
    const { api, retryLines } = connectWithTimeout(cancellation.signal);
    await api.tokens.ensureFresh();
    server.faults.add({ route: 'files/list_folder', nth: 1, action: STALL });
    const since = lastSeq(server);
    const cancelled = new Error('cancelled');
    const started = Date.now();

    const listing = listRemoteFolder(api, '/stalled', { recursive: true });
    setTimeout(() => cancellation.abort(cancelled), 100);

    await expect(listing).rejects.toBe(cancelled);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(retryLines).toEqual([]);
    expect(routesSince(server, since)).toEqual(['files/list_folder']);
  });
});
