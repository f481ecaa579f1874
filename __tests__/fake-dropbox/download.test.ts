/**
 * files/download through real HTTP: whole files and single ranges (API reference §9), its errors, the
 * download faults (cut, stall mid-body, altered bytes, reset) and the bandwidth caps on download bodies.
 * Timing bounds are loose: each lower bound is what the fake makes certain.
 */
import { dropboxContentHash } from '../../fake-dropbox/index.ts';
import { parseRange, type RangeRequest } from '../../fake-dropbox/byte-range.ts';
import { bytes, headerSafe, MiB, startFake, type Harness } from './helpers.ts';

interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
  /** Set when reading the body failed; `body` then holds what arrived before. */
  bodyError?: unknown;
  /** Milliseconds from the request to the first body bytes, and to the end of the body. */
  firstBytesMs?: number;
  ms: number;
}

async function download(
  h: Harness,
  path: string,
  options: { range?: string; signal?: AbortSignal; token?: string } = {},
): Promise<Download> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${options.token ?? h.token}`,
    'Dropbox-API-Arg': headerSafe({ path }),
  };
  if (options.range !== undefined) headers['Range'] = options.range;
  const began = Date.now();
  const response = await fetch(`${h.fake.url}/2/files/download`, {
    method: 'POST',
    headers,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const pieces: Buffer[] = [];
  let firstBytesMs: number | undefined;
  let bodyError: unknown;
  try {
    for await (const piece of response.body ?? []) {
      firstBytesMs ??= Date.now() - began;
      pieces.push(Buffer.from(piece));
    }
  } catch (error) {
    bodyError = error;
  }
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.concat(pieces),
    ...(bodyError === undefined ? {} : { bodyError }),
    ...(firstBytesMs === undefined ? {} : { firstBytesMs }),
    ms: Date.now() - began,
  };
}

function resultOf(response: Download): Record<string, unknown> {
  return JSON.parse(response.headers.get('dropbox-api-result') ?? 'null') as Record<string, unknown>;
}

describe('parseRange', () => {
  test.each<[string | undefined, number, RangeRequest]>([
    [undefined, 10, { kind: 'whole' }],
    ['bytes=2-5', 10, { kind: 'single', start: 2, end: 5 }],
    ['bytes=7-', 10, { kind: 'single', start: 7, end: 9 }],
    ['bytes=0-0', 10, { kind: 'single', start: 0, end: 0 }],
    ['bytes=9-9', 10, { kind: 'single', start: 9, end: 9 }],
    ['bytes=5-100', 10, { kind: 'single', start: 5, end: 9 }],
    ['bytes=-3', 10, { kind: 'single', start: 7, end: 9 }],
    ['bytes=-30', 10, { kind: 'single', start: 0, end: 9 }],
    ['Bytes = 1-2', 10, { kind: 'single', start: 1, end: 2 }],
    ['bytes=10-', 10, { kind: 'unsatisfiable' }],
    ['bytes=12-20', 10, { kind: 'unsatisfiable' }],
    ['bytes=-0', 10, { kind: 'unsatisfiable' }],
    ['bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['bytes=-1', 0, { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', 10, { kind: 'whole' }],
    ['bytes=5-2', 10, { kind: 'whole' }],
    ['bytes=abc', 10, { kind: 'whole' }],
    ['bytes=1-2-3', 10, { kind: 'whole' }],
    ['bytes=-', 10, { kind: 'whole' }],
    ['items=0-1', 10, { kind: 'whole' }],
  ])('%j of %d bytes is %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('files/download', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startFake();
  });
  afterAll(() => h.fake.close());
  afterEach(() => h.fake.faults.clear());

  const ten = Buffer.from('0123456789');

  test('a plain request: 200, the bytes, Accept-Ranges and the whole metadata in Dropbox-API-Result', async () => {
    const stored = h.fake.putFile('/plain/Résumé 2026.txt', ten, { clientModified: '2024-02-03T04:05:06Z' });
    const response = await download(h, '/plain/résumé 2026.txt');
    expect(response.status).toBe(200);
    expect(response.body.equals(ten)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-length')).toBe('10');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-range')).toBeNull();
    // Header values are ASCII: non-ASCII is written as \u escapes.
    expect(response.headers.get('dropbox-api-result')).toContain('R\\u00e9sum\\u00e9');
    expect(resultOf(response)).toEqual({
      name: 'Résumé 2026.txt',
      id: stored.id,
      client_modified: '2024-02-03T04:05:06Z',
      server_modified: stored.serverModified,
      rev: stored.rev,
      size: 10,
      path_lower: '/plain/résumé 2026.txt',
      path_display: '/plain/Résumé 2026.txt',
      is_downloadable: true,
      content_hash: dropboxContentHash(ten),
    });
  });

  test('an empty file: 200 with no bytes', async () => {
    h.fake.putFile('/plain/empty.txt', '');
    const response = await download(h, '/plain/empty.txt');
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(resultOf(response)).toMatchObject({ size: 0, content_hash: dropboxContentHash(Buffer.alloc(0)) });
  });

  test.each<[string, number, number]>([
    ['bytes=2-5', 2, 5],
    ['bytes=7-', 7, 9],
    ['bytes=5-100', 5, 9],
    ['bytes=-3', 7, 9],
    ['bytes=0-0', 0, 0],
  ])(
    'Range %s: 206, Content-Range bytes %d-%d/10, the metadata of the whole file',
    async (range, start, end) => {
      h.fake.putFile('/ranges/ten.txt', ten);
      const response = await download(h, '/ranges/ten.txt', { range });
      expect(response.status).toBe(206);
      expect(response.body.equals(ten.subarray(start, end + 1))).toBe(true);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/10`);
      expect(response.headers.get('content-length')).toBe(String(end - start + 1));
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(resultOf(response)).toMatchObject({ size: 10, content_hash: dropboxContentHash(ten) });
    },
  );

  test.each(['bytes=0-1,5-6', 'bytes=5-2', 'bytes=abc', 'items=0-1'])(
    'Range %s is ignored: 200 with the whole file',
    async (range) => {
      h.fake.putFile('/ranges/ten.txt', ten);
      const response = await download(h, '/ranges/ten.txt', { range });
      expect(response.status).toBe(200);
      expect(response.body.equals(ten)).toBe(true);
      expect(response.headers.get('content-range')).toBeNull();
    },
  );

  test.each<[string, string, Buffer]>([
    ['bytes=10-', '/ranges/ten.txt', ten],
    ['bytes=-0', '/ranges/ten.txt', ten],
    ['bytes=0-', '/ranges/empty.txt', Buffer.alloc(0)],
  ])('an unsatisfiable Range (%s of %s) is a 409 range/not_satisfiable', async (range, path, content) => {
    h.fake.putFile(path, content);
    const response = await download(h, path, { range });
    expect(response.status).toBe(409);
    expect(JSON.parse(response.body.toString())).toEqual({
      error_summary: 'range/not_satisfiable/..',
      error: { '.tag': 'range', range: { '.tag': 'not_satisfiable' } },
    });
  });

  test('ranges of a file bigger than a hash block come back byte-exact at their offsets', async () => {
    const data = bytes(9 * MiB + 5, 3);
    h.fake.putFile('/ranges/big.bin', data);
    const parts = await Promise.all([
      download(h, '/ranges/big.bin', { range: `bytes=0-${4 * MiB - 1}` }),
      download(h, '/ranges/big.bin', { range: `bytes=${4 * MiB}-${8 * MiB - 1}` }),
      download(h, '/ranges/big.bin', { range: `bytes=${8 * MiB}-` }),
    ]);
    expect(parts.map((part) => part.status)).toEqual([206, 206, 206]);
    expect(Buffer.concat(parts.map((part) => part.body)).equals(data)).toBe(true);
    expect(parts[2]?.headers.get('content-range')).toBe(`bytes ${8 * MiB}-${data.length - 1}/${data.length}`);
  });

  test('the request log keeps the Range header and the body bytes sent', async () => {
    h.fake.putFile('/ranges/ten.txt', ten);
    await download(h, '/ranges/ten.txt', { range: 'bytes=3-' });
    await download(h, '/ranges/ten.txt');
    expect(h.fake.requests.slice(-2)).toEqual([
      expect.objectContaining({ route: 'files/download', status: 206, range: 'bytes=3-', responseBytes: 7 }),
      expect.objectContaining({ route: 'files/download', status: 200, responseBytes: 10 }),
    ]);
    expect(h.fake.requests.at(-1)?.range).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['a missing file', '/nowhere/none.txt', 'not_found'],
    ['a folder', '/ranges', 'not_file'],
  ])('%s is a 409 path/%s, with or without a Range', async (_name, path, tag) => {
    h.fake.putFile('/ranges/ten.txt', ten);
    for (const range of [undefined, 'bytes=0-1']) {
      const response = await download(h, path, range === undefined ? {} : { range });
      expect(response.status).toBe(409);
      expect(JSON.parse(response.body.toString())).toEqual({
        error_summary: `path/${tag}/..`,
        error: { '.tag': 'path', path: { '.tag': tag } },
      });
    }
  });

  test('a token without files.content.read gets 401 missing_scope naming it', async () => {
    h.fake.putFile('/ranges/ten.txt', ten);
    const token = h.fake.issueAccessToken({ scopes: ['files.metadata.read'] });
    const response = await download(h, '/ranges/ten.txt', { token });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body.toString())).toMatchObject({
      error: { '.tag': 'missing_scope', required_scope: 'files.content.read' },
    });
  });
});

describe('download faults', () => {
  let h: Harness;
  const data = bytes(300 * 1024, 5);
  beforeAll(async () => {
    h = await startFake();
    h.fake.putFile('/faults/data.bin', data);
  });
  afterAll(() => h.fake.close());
  afterEach(() => h.fake.faults.clear());

  test('cut-body: the headers and exactly the first N bytes arrive, then the connection drops', async () => {
    h.fake.faults.add({ route: 'files/download', action: { kind: 'cut-body', afterBytes: 100_000 } });
    const cut = await download(h, '/faults/data.bin');
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-length')).toBe(String(data.length));
    expect(cut.bodyError).toBeDefined();
    expect(cut.body.equals(data.subarray(0, 100_000))).toBe(true);
    expect(h.fake.requests.at(-1)).toMatchObject({ status: 200, fault: 'cut-body', responseBytes: 100_000 });
    // The next request is answered whole.
    const next = await download(h, '/faults/data.bin');
    expect(next.bodyError).toBeUndefined();
    expect(next.body.equals(data)).toBe(true);
  });

  test('cut-body counts from the start of a ranged answer, and can cut before any byte', async () => {
    h.fake.faults.add({ route: 'files/download', action: { kind: 'cut-body', afterBytes: 10 } });
    h.fake.faults.add({ route: 'files/download', nth: 2, action: { kind: 'cut-body', afterBytes: 0 } });
    const ranged = await download(h, '/faults/data.bin', { range: 'bytes=1000-' });
    expect(ranged.status).toBe(206);
    expect(ranged.bodyError).toBeDefined();
    expect(ranged.body.equals(data.subarray(1000, 1010))).toBe(true);
    const none = await download(h, '/faults/data.bin');
    expect(none.status).toBe(200);
    expect(none.bodyError).toBeDefined();
    expect(none.body.length).toBe(0);
  });

  test('stall-body: the first N bytes come at once, the rest after the stall, intact', async () => {
    h.fake.faults.add({
      route: 'files/download',
      action: { kind: 'stall-body', afterBytes: 64 * 1024, ms: 600 },
    });
    const stalled = await download(h, '/faults/data.bin');
    expect(stalled.status).toBe(200);
    expect(stalled.bodyError).toBeUndefined();
    expect(stalled.body.equals(data)).toBe(true);
    expect(stalled.firstBytesMs).toBeLessThan(500);
    expect(stalled.ms).toBeGreaterThanOrEqual(550);
  });

  test('stall-body: a client that gives up during the stall is let go; the server goes on serving', async () => {
    h.fake.faults.add({ route: 'files/download', action: { kind: 'stall-body', afterBytes: 1000, ms: 400 } });
    const gaveUp = await download(h, '/faults/data.bin', { signal: AbortSignal.timeout(150) });
    expect(gaveUp.bodyError).toBeDefined();
    expect(gaveUp.body.equals(data.subarray(0, 1000))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await download(h, '/faults/data.bin')).body.equals(data)).toBe(true);
  });

  test('stall (before the headers) holds the whole answer', async () => {
    h.fake.faults.add({ route: 'files/download', action: { kind: 'stall', ms: 300 } });
    const stalled = await download(h, '/faults/data.bin');
    expect(stalled.ms).toBeGreaterThanOrEqual(280);
    expect(stalled.body.equals(data)).toBe(true);
  });

  test.each<[string, string | undefined, number, number]>([
    ['the first byte', undefined, 0, 0],
    ['a byte in the middle', undefined, 123_456, 123_456],
    ['a byte of a ranged answer, counted from its start', 'bytes=200000-', 5, 200_005],
  ])(
    'corrupt-body alters %s; the length and headers stay right',
    async (_name, range, atByte, fileOffset) => {
      h.fake.faults.add({ route: 'files/download', action: { kind: 'corrupt-body', atByte } });
      const corrupted = await download(h, '/faults/data.bin', range === undefined ? {} : { range });
      const start = range === undefined ? 0 : 200_000;
      const expected = data.subarray(start);
      expect(corrupted.bodyError).toBeUndefined();
      expect(corrupted.body.length).toBe(expected.length);
      const differing = [...corrupted.body.keys()].filter(
        (index) => corrupted.body[index] !== expected[index],
      );
      expect(differing.map((index) => index + start)).toEqual([fileOffset]);
      expect(resultOf(corrupted)).toMatchObject({ content_hash: dropboxContentHash(data) });
    },
  );

  test('reset: the request fails before any answer', async () => {
    h.fake.faults.add({ route: 'files/download', action: { kind: 'reset' } });
    await expect(download(h, '/faults/data.bin')).rejects.toThrow('fetch failed');
    expect(h.fake.requests.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
  });
});

describe('bandwidth caps and latency apply to download bodies', () => {
  test('per connection: 2 MiB at 1 MiB/s takes at least 1.5 s, byte-exact', async () => {
    const h = await startFake({ connectionBytesPerSecond: MiB });
    try {
      const data = bytes(2 * MiB, 9);
      h.fake.putFile('/capped.bin', data);
      const response = await download(h, '/capped.bin');
      expect(response.body.equals(data)).toBe(true);
      expect(response.ms).toBeGreaterThanOrEqual(1500);
      expect(response.ms).toBeLessThan(15_000);
    } finally {
      await h.fake.close();
    }
  });

  test('global: three 1 MiB ranges at once through 2 MiB/s take at least 1.2 s together', async () => {
    const h = await startFake({ globalBytesPerSecond: 2 * MiB });
    try {
      const data = bytes(3 * MiB, 4);
      h.fake.putFile('/shared.bin', data);
      const began = Date.now();
      const parts = await Promise.all(
        [0, 1, 2].map((n) => download(h, '/shared.bin', { range: `bytes=${n * MiB}-${(n + 1) * MiB - 1}` })),
      );
      expect(Buffer.concat(parts.map((part) => part.body)).equals(data)).toBe(true);
      expect(Date.now() - began).toBeGreaterThanOrEqual(1200);
    } finally {
      await h.fake.close();
    }
  });

  test('an upload and a download on the same server each get the whole cap (one pipe per direction)', async () => {
    const h = await startFake({ globalBytesPerSecond: MiB });
    try {
      const data = bytes(MiB, 2);
      h.fake.putFile('/down.bin', data);
      const began = Date.now();
      const [down, up] = await Promise.all([
        download(h, '/down.bin'),
        fetch(`${h.fake.url}/2/files/upload`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${h.token}`,
            'Content-Type': 'application/octet-stream',
            'Dropbox-API-Arg': headerSafe({ path: '/up.bin' }),
          },
          body: data,
        }),
      ]);
      expect(down.body.equals(data)).toBe(true);
      expect(up.status).toBe(200);
      // Sharing one pipe would take about 2 s.
      expect(Date.now() - began).toBeLessThan(1800);
    } finally {
      await h.fake.close();
    }
  });

  test('latencyMs still delays the answer', async () => {
    const h = await startFake({ latencyMs: 300 });
    try {
      h.fake.putFile('/late.txt', 'late');
      const response = await download(h, '/late.txt');
      expect(response.body.toString()).toBe('late');
      expect(response.ms).toBeGreaterThanOrEqual(280);
    } finally {
      await h.fake.close();
    }
  });
});
