import { DropboxFileUploader, bytesUpload } from 'dropbox';
import { dropboxContentHash } from '../../fake-dropbox/index.ts';
import { bytes, content, errorOf, rpc, startFake, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(() => h.fake.close());

const upload = (path: string, data: string, token = h.token) =>
  content(h.fake, 'files/upload', { path }, data, token);

describe('fault kinds', () => {
  test('status: answers with the given status/body/headers and does not do the work', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'status', status: 500 } });
    h.fake.faults.add({
      route: 'files/upload',
      nth: 2,
      action: { kind: 'status', status: 503, body: { error: 'unavailable' }, headers: { 'X-Extra': 'yes' } },
    });
    const first = await upload('/a.txt', 'a');
    expect(first.status).toBe(500);
    expect(first.text).toBe('');
    const second = await upload('/a.txt', 'a');
    expect(second.status).toBe(503);
    expect(second.json).toEqual({ error: 'unavailable' });
    expect(second.headers.get('x-extra')).toBe('yes');
    expect(h.fake.files()).toEqual([]);
    expect((await upload('/a.txt', 'a')).status).toBe(200);
    expect(h.fake.requests.map((r) => [r.status, r.fault])).toEqual([
      [500, 'status'],
      [503, 'status'],
      [200, undefined],
    ]);
    expect(h.fake.faults.fired).toEqual([
      { route: 'files/upload', kind: 'status', seq: 1 },
      { route: 'files/upload', kind: 'status', seq: 2 },
    ]);
  });

  test('status with a plain-text body', async () => {
    h.fake.faults.add({ action: { kind: 'status', status: 500, body: 'Internal Server Error' } });
    const response = await rpc(h.fake, 'users/get_current_account', undefined, h.token);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toBe('Internal Server Error');
  });

  test('rate-limit: 429 JSON RateLimitError with Retry-After', async () => {
    h.fake.faults.add({
      route: 'files/upload_session/append_v2',
      action: { kind: 'rate-limit', retryAfterSeconds: 15 },
    });
    h.fake.faults.add({
      route: 'files/upload',
      action: { kind: 'rate-limit', retryAfterSeconds: 2, reason: 'too_many_write_operations' },
    });
    const limited = await content(
      h.fake,
      'files/upload_session/append_v2',
      { cursor: { session_id: 'x', offset: 0 } },
      'x',
      h.token,
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('15');
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(limited.json).toEqual({
      error_summary: 'too_many_requests/..',
      error: { reason: { '.tag': 'too_many_requests' }, retry_after: 15 },
    });
    const write = await upload('/w.txt', 'w');
    expect(write.headers.get('retry-after')).toBe('2');
    expect(write.json).toMatchObject({ error: { reason: { '.tag': 'too_many_write_operations' } } });
    expect(h.fake.files()).toEqual([]);
  });

  test('reset: the client sees a network error and nothing is done', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'reset' } });
    await expect(upload('/r.txt', 'r')).rejects.toThrow('fetch failed');
    expect(h.fake.files()).toEqual([]);
    expect(h.fake.requests[0]).toMatchObject({ route: 'files/upload', status: 0, fault: 'reset' });
    expect((await upload('/r.txt', 'r')).status).toBe(200);
  });

  test('lost-response: the work is done, then the connection drops', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'lost-response' } });
    await expect(upload('/l.txt', 'lost')).rejects.toThrow('fetch failed');
    expect(h.fake.readFile('/l.txt').toString()).toBe('lost');
    expect(h.fake.commitCount('/l.txt')).toBe(1);
    expect(h.fake.requests[0]).toMatchObject({ status: 0, fault: 'lost-response', bodyBytes: 4 });
  });

  test('lost-response on finish: the retry finds the session consumed; the file is there', async () => {
    const started = await content(h.fake, 'files/upload_session/start', {}, 'abc', h.token);
    const id = (started.json as { session_id: string }).session_id;
    h.fake.faults.add({ route: 'files/upload_session/finish', action: { kind: 'lost-response' } });
    const finish = () =>
      content(
        h.fake,
        'files/upload_session/finish',
        { cursor: { session_id: id, offset: 3 }, commit: { path: '/f.txt' } },
        '',
        h.token,
      );
    await expect(finish()).rejects.toThrow('fetch failed');
    expect(errorOf(await finish())).toEqual({
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'not_found' },
    });
    const meta = await rpc(h.fake, 'files/get_metadata', { path: '/f.txt' }, h.token);
    expect(meta.json).toMatchObject({ content_hash: dropboxContentHash(Buffer.from('abc')) });
    expect(h.fake.commitCount('/f.txt')).toBe(1);
  });

  test('the SDK uploader survives a lost append response and a 503 (its offset recovery)', async () => {
    h.fake.faults.add({ route: 'files/upload_session/append_v2', action: { kind: 'lost-response' } });
    h.fake.faults.add({ route: 'files/upload_session/finish', action: { kind: 'status', status: 503 } });
    const data = bytes(3 * 1024 * 1024 + 7);
    const uploader = new DropboxFileUploader(h.dbx, { chunkSize: 1024 * 1024, retryDelay: 1 });
    const { metadata } = await uploader.upload(bytesUpload(data), { path: '/recover.bin' });
    expect(metadata).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/recover.bin').equals(data)).toBe(true);
    expect(h.fake.commitCount('/recover.bin')).toBe(1);
    const appendStatuses = h.fake.requests.filter((r) => r.route.endsWith('append_v2')).map((r) => r.status);
    expect(appendStatuses).toEqual([0, 409, 200, 200]);
  });

  test('stall: the request is held, then processed', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'stall', ms: 150 } });
    const began = Date.now();
    expect((await upload('/s.txt', 's')).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    expect(h.fake.requests[0]).toMatchObject({ status: 200, fault: 'stall' });
  });

  test('stall: a client that gives up leaves no work done', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'stall', ms: 300 } });
    const signal = AbortSignal.timeout(50);
    await expect(
      fetch(`${h.fake.url}/2/files/upload`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${h.token}`,
          'Content-Type': 'application/octet-stream',
          'Dropbox-API-Arg': '{"path":"/gaveup.txt"}',
        },
        body: 'x',
        signal,
      }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(h.fake.files()).toEqual([]);
    expect(h.fake.requests[0]).toMatchObject({ status: 0, fault: 'stall' });
  });

  test('close() does not wait for a stalled request', async () => {
    h.fake.faults.add({ action: { kind: 'stall', ms: 60_000 } });
    const pending = upload('/never.txt', 'n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const began = Date.now();
    await h.fake.close();
    expect(Date.now() - began).toBeLessThan(1000);
    await expect(pending).rejects.toThrow('fetch failed');
  });

  test('expire-token: the presented token expires just before it is checked', async () => {
    h.fake.faults.add({ route: 'files/upload', action: { kind: 'expire-token' } });
    const expired = await upload('/e.txt', 'e');
    expect(expired.status).toBe(401);
    expect(errorOf(expired)).toEqual({ '.tag': 'expired_access_token' });
    expect((await rpc(h.fake, 'users/get_current_account', undefined, h.token)).status).toBe(401);
  });
});

describe('rule matching', () => {
  test('nth fires once on the nth match; every fires on each k-th; times caps it; RegExp routes', async () => {
    h.fake.faults.add({ route: 'files/upload', nth: 2, action: { kind: 'status', status: 500 } });
    h.fake.faults.add({ route: /^users\//, every: 2, action: { kind: 'status', status: 502 } });
    h.fake.faults.add({ route: 'check/user', times: 2, action: { kind: 'status', status: 504 } });
    const uploads = [];
    for (let i = 0; i < 3; i += 1) uploads.push((await upload(`/${i}.txt`, 'x')).status);
    const accounts = [];
    for (let i = 0; i < 5; i += 1)
      accounts.push((await rpc(h.fake, 'users/get_current_account', undefined, h.token)).status);
    const checks = [];
    for (let i = 0; i < 3; i += 1)
      checks.push((await rpc(h.fake, 'check/user', { query: 'q' }, h.token)).status);
    expect(uploads).toEqual([200, 500, 200]);
    expect(accounts).toEqual([200, 502, 200, 502, 200]);
    expect(checks).toEqual([504, 504, 200]);

    h.fake.faults.clear();
    expect((await rpc(h.fake, 'users/get_current_account', undefined, h.token)).status).toBe(200);
  });

  test('faults also apply to the token endpoint', async () => {
    h.fake.faults.add({
      route: 'oauth2/token',
      action: { kind: 'status', status: 500, body: { error: 'boom' } },
    });
    const response = await fetch(`${h.fake.url}/oauth2/token?grant_type=refresh_token`, { method: 'POST' });
    expect(response.status).toBe(500);
  });
});

describe('commit lock (commitLockMs)', () => {
  let locked: Harness;
  beforeEach(async () => {
    locked = await startFake({ commitLockMs: 200 });
  });
  afterEach(() => locked.fake.close());

  const lockedUpload = (path: string) => content(locked.fake, 'files/upload', { path }, path, locked.token);

  test('overlapping single commits get 429 too_many_write_operations with Retry-After: 1', async () => {
    const began = Date.now();
    const results = await Promise.all([lockedUpload('/1.txt'), lockedUpload('/2.txt')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json).toEqual({
      error_summary: 'too_many_write_operations/.',
      error: { reason: { '.tag': 'too_many_write_operations' } },
    });
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(locked.fake.files()).toHaveLength(1);

    // One after the other, commits never collide.
    expect((await lockedUpload('/3.txt')).status).toBe(200);
    expect((await lockedUpload('/4.txt')).status).toBe(200);
  });

  /** Resolves once the first commit has written (it then holds the lock until its answer). */
  async function whileLocked<T>(path: string, then: () => Promise<T>): Promise<T> {
    while (!locked.fake.files().some((file) => file.pathLower === path)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return then();
  }

  test('delete_v2 is a commit too', async () => {
    locked.fake.putFile('/del.txt', 'x');
    const [up, del] = await Promise.all([
      lockedUpload('/a.txt'),
      whileLocked('/a.txt', () => rpc(locked.fake, 'files/delete_v2', { path: '/del.txt' }, locked.token)),
    ]);
    expect(up.status).toBe(200);
    expect(del.status).toBe(429);
    expect(errorOf(del)).toEqual({ reason: { '.tag': 'too_many_write_operations' } });
  });

  test('finish_batch_v2 takes the lock once; under contention every entry fails', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = await content(
        locked.fake,
        'files/upload_session/start',
        { close: true },
        `f${i}`,
        locked.token,
      );
      ids.push((started.json as { session_id: string }).session_id);
    }
    const entries = ids.map((id, i) => ({
      cursor: { session_id: id, offset: 2 },
      commit: { path: `/batch/${i}.txt` },
    }));
    const [single, contended] = await Promise.all([
      lockedUpload('/single.txt'),
      whileLocked('/single.txt', () =>
        rpc(locked.fake, 'files/upload_session/finish_batch_v2', { entries }, locked.token),
      ),
    ]);
    expect(single.status).toBe(200);
    expect(contended.status).toBe(200);
    expect(contended.json).toEqual({
      entries: ids.map(() => ({ '.tag': 'failure', failure: { '.tag': 'too_many_write_operations' } })),
    });

    const began = Date.now();
    const batch = await rpc(locked.fake, 'files/upload_session/finish_batch_v2', { entries }, locked.token);
    const elapsed = Date.now() - began;
    expect((batch.json as { entries: { '.tag': string }[] }).entries.map((e) => e['.tag'])).toEqual([
      'success',
      'success',
      'success',
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(550); // one lock period, not three
  });
});
