/**
 * The bandwidth caps hold request bodies to a rate. Timing bounds are deliberately loose: each lower bound
 * is what the cap makes certain, each upper bound is far above what an uncapped or correct server needs.
 */
import { BandwidthCap } from '../../fake-dropbox/bandwidth.ts';
import { bytes, content, MiB, startFake, type Harness } from './helpers.ts';

/** A body the client streams piece by piece, as the action does, rather than one buffer. */
function streamed(data: Buffer, piece = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) controller.close();
      else controller.enqueue(data.subarray(offset, (offset += piece)));
    },
  });
}

async function timedUpload(h: Harness, path: string, data: Buffer): Promise<{ status: number; ms: number }> {
  const began = Date.now();
  const response = await fetch(`${h.fake.url}/2/files/upload`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${h.token}`,
      'Content-Type': 'application/octet-stream',
      'Dropbox-API-Arg': JSON.stringify({ path }),
    },
    body: streamed(data),
    duplex: 'half',
  } as RequestInit);
  await response.arrayBuffer();
  return { status: response.status, ms: Date.now() - began };
}

describe('BandwidthCap schedule', () => {
  test.each([
    // [bytes per second, reservations (bytes), ms each passes after the first reservation's time]; the
    // 20 ms of catch-up credit an idle cap grants come off the first.
    [1000, [500, 500, 1000], [480, 980, 1980]],
    [2 * MiB, [MiB, MiB], [480, 980]],
  ])('%d B/s: %j pass at %j ms', (rate, sizes, expected) => {
    const cap = new BandwidthCap(rate);
    const now = 1_000_000;
    expect(sizes.map((size) => cap.reserve(size, now) - now)).toEqual(expected);
  });

  test('an idle cap grants at most a short burst of catch-up, not the whole idle time', () => {
    const cap = new BandwidthCap(1000);
    expect(cap.reserve(1000, 0)).toBe(1000);
    // Idle for ten seconds: the next second's worth still takes most of a second.
    expect(cap.reserve(1000, 11_000)).toBeGreaterThanOrEqual(11_950);
  });
});

describe('per-connection cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startFake({ connectionBytesPerSecond: MiB });
  });
  afterAll(() => h.fake.close());

  test('a streamed 2 MiB body at 1 MiB/s takes at least 1.5 s, and arrives intact', async () => {
    const data = bytes(2 * MiB, 7);
    const { status, ms } = await timedUpload(h, '/capped.bin', data);
    expect(status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThan(15_000);
    expect(h.fake.readFile('/capped.bin').equals(data)).toBe(true);
  });

  test('connections do not share it: three 1 MiB bodies at once take about 1 s, not 3 s', async () => {
    const began = Date.now();
    const results = await Promise.all(
      [1, 2, 3].map((n) => timedUpload(h, `/parallel-${n}.bin`, bytes(MiB, n))),
    );
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    for (const result of results) expect(result.ms).toBeGreaterThanOrEqual(700);
    expect(Date.now() - began).toBeLessThan(2500);
  });

  test('a small body is not held up: the cap is a rate, not a delay per request', async () => {
    const began = Date.now();
    const { status } = await content(h.fake, 'files/upload', { path: '/tiny.txt' }, 'tiny', h.token);
    expect(status).toBe(200);
    expect(Date.now() - began).toBeLessThan(1000);
  });
});

describe('global cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startFake({ globalBytesPerSecond: MiB });
  });
  afterAll(() => h.fake.close());

  test('is shared fairly: two 1 MiB bodies at once through 1 MiB/s both take about 2 s', async () => {
    const results = await Promise.all([1, 2].map((n) => timedUpload(h, `/shared-${n}.bin`, bytes(MiB, n))));
    expect(results.map((result) => result.status)).toEqual([200, 200]);
    // Unfair sharing would let one finish after about 1 s; fair sharing ends both near 2 s.
    for (const result of results) expect(result.ms).toBeGreaterThanOrEqual(1500);
    for (const result of results) expect(result.ms).toBeLessThan(15_000);
    expect(h.fake.readFile('/shared-1.bin').equals(bytes(MiB, 1))).toBe(true);
  });
});

test('with both caps, the tighter one wins', async () => {
  const h = await startFake({ connectionBytesPerSecond: 64 * MiB, globalBytesPerSecond: MiB });
  try {
    const { status, ms } = await timedUpload(h, '/both.bin', bytes(2 * MiB));
    expect(status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(1500);
  } finally {
    await h.fake.close();
  }
});

test('close() ends a capped upload in progress without waiting for it', async () => {
  const h = await startFake({ connectionBytesPerSecond: 256 * 1024 });
  const upload = timedUpload(h, '/slow.bin', bytes(4 * MiB)).catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const began = Date.now();
  await h.fake.close();
  expect(Date.now() - began).toBeLessThan(2000);
  // The client sees its connection end (fetch rejects with "fetch failed" or a socket error).
  expect(String(await upload)).toMatch(/fetch failed|socket|terminated/i);
});
