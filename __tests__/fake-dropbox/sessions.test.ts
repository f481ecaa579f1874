import { DropboxFileUploader, bytesUpload } from 'dropbox';
import { dropboxContentHash } from '../../fake-dropbox/index.ts';
import { BLOCK, bytes, content, errorOf, rpc, startFake, type Harness, type RawResponse } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(() => h.fake.close());

async function start(arg: object = {}, data: Uint8Array | string = ''): Promise<string> {
  const response = await content(h.fake, 'files/upload_session/start', arg, data, h.token);
  expect(response.status).toBe(200);
  return (response.json as { session_id: string }).session_id;
}

function append(
  sessionId: string,
  offset: number,
  data: Uint8Array | string,
  close = false,
): Promise<RawResponse> {
  return content(
    h.fake,
    'files/upload_session/append_v2',
    { cursor: { session_id: sessionId, offset }, close },
    data,
    h.token,
  );
}

function finish(
  sessionId: string,
  offset: number,
  path: string,
  data: Uint8Array | string = '',
  commit: object = {},
) {
  return content(
    h.fake,
    'files/upload_session/finish',
    { cursor: { session_id: sessionId, offset }, commit: { path, ...commit } },
    data,
    h.token,
  );
}

describe('sequential sessions', () => {
  test('start with data, append, finish with the last data', async () => {
    const id = await start({}, 'abc');
    expect(id).toMatch(/^pid_upload_session:/);
    const appended = await append(id, 3, 'def');
    expect(appended.status).toBe(200);
    expect(appended.text).toBe('null');
    expect(appended.headers.get('content-type')).toBe('application/json');
    const done = await finish(id, 6, '/seq.txt', 'ghi');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ size: 9, content_hash: dropboxContentHash(Buffer.from('abcdefghi')) });
    expect(Object.keys(done.json as object)).not.toContain('.tag');
    expect(h.fake.readFile('/seq.txt').toString()).toBe('abcdefghi');
    expect(h.fake.requests.at(-1)).toMatchObject({ sessionId: id, path: '/seq.txt' });
  });

  test('a wrong offset is incorrect_offset with the correct one, for append and finish', async () => {
    const id = await start({}, 'abc');
    const early = await append(id, 0, 'xyz');
    expect(early.json).toEqual({
      error_summary: 'incorrect_offset/.',
      error: { '.tag': 'incorrect_offset', correct_offset: 3 },
    });
    const late = await finish(id, 10, '/x.txt');
    expect(late.json).toEqual({
      error_summary: 'lookup_failed/incorrect_offset/..',
      error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 3 } },
    });
  });

  test('content_hash covers only the bytes of that request', async () => {
    const id = await start({ content_hash: dropboxContentHash(Buffer.from('abc')) }, 'abc');
    const bad = await content(
      h.fake,
      'files/upload_session/append_v2',
      { cursor: { session_id: id, offset: 3 }, content_hash: dropboxContentHash(Buffer.from('abcdef')) },
      'def',
      h.token,
    );
    expect(errorOf(bad)).toEqual({ '.tag': 'content_hash_mismatch' });
    const good = await content(
      h.fake,
      'files/upload_session/append_v2',
      { cursor: { session_id: id, offset: 3 }, content_hash: dropboxContentHash(Buffer.from('def')) },
      'def',
      h.token,
    );
    expect(good.status).toBe(200);
  });

  test('after close: appends get closed, finish may not carry data, finish without data works', async () => {
    const id = await start({}, 'abc');
    expect((await append(id, 3, 'def', true)).status).toBe(200);
    expect(errorOf(await append(id, 6, 'ghi'))).toEqual({ '.tag': 'closed' });
    expect(errorOf(await finish(id, 6, '/c.txt', 'ghi'))).toEqual({
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'closed' },
    });
    expect((await finish(id, 6, '/c.txt')).status).toBe(200);
  });

  test('a finished session is consumed: a repeated finish is lookup_failed/not_found', async () => {
    const id = await start({}, 'abc');
    expect((await finish(id, 3, '/once.txt')).status).toBe(200);
    const again = await finish(id, 3, '/once.txt');
    expect(again.json).toEqual({
      error_summary: 'lookup_failed/not_found/..',
      error: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } },
    });
    expect(errorOf(await append('pid_upload_session:nope', 0, 'x'))).toEqual({ '.tag': 'not_found' });
    expect(h.fake.commitCount('/once.txt')).toBe(1);
    expect(h.fake.uploadSessions()).toEqual([]);
  });

  test('a finish that fails on its path keeps the session for another try', async () => {
    h.fake.putFile('/taken.txt', 'other');
    const id = await start({}, 'abc');
    const conflict = await finish(id, 3, '/taken.txt', 'def');
    expect(conflict.json).toEqual({
      error_summary: 'path/conflict/file/..',
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
    });
    const retry = await finish(id, 3, '/free.txt', 'def');
    expect(retry.json).toMatchObject({ path_display: '/free.txt', size: 6 });
  });

  test('the SDK uploader (sequential chunks, last one sent with finish) round-trips', async () => {
    const data = bytes(9 * 1024 * 1024 + 17);
    const uploader = new DropboxFileUploader(h.dbx, { chunkSize: 4 * 1024 * 1024 });
    const { metadata } = await uploader.upload(bytesUpload(data), { path: '/big/seq.bin' });
    expect(metadata).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/big/seq.bin').equals(data)).toBe(true);
    expect(h.fake.requests.map((r) => r.route)).toEqual([
      'files/upload_session/start',
      'files/upload_session/append_v2',
      'files/upload_session/append_v2',
      'files/upload_session/finish',
    ]);
  });
});

describe('concurrent sessions', () => {
  const concurrent = { session_type: { '.tag': 'concurrent' } };

  test('4 MiB-aligned appends in any order, closing append last, empty finish', async () => {
    const data = bytes(2 * BLOCK + 1000);
    const id = await start(concurrent);
    expect((await append(id, BLOCK, data.subarray(BLOCK, 2 * BLOCK))).status).toBe(200);
    expect((await append(id, 0, data.subarray(0, BLOCK))).status).toBe(200);
    expect((await append(id, 2 * BLOCK, data.subarray(2 * BLOCK), true)).status).toBe(200);
    const done = await finish(id, data.length, '/conc.bin');
    expect(done.json).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/conc.bin').equals(data)).toBe(true);
  });

  test('start and finish may not carry data; close is not allowed in start', async () => {
    expect(errorOf(await content(h.fake, 'files/upload_session/start', concurrent, 'x', h.token))).toEqual({
      '.tag': 'concurrent_session_data_not_allowed',
    });
    expect(
      errorOf(
        await content(h.fake, 'files/upload_session/start', { ...concurrent, close: true }, '', h.token),
      ),
    ).toEqual({ '.tag': 'concurrent_session_close_not_allowed' });
    const id = await start(concurrent);
    await append(id, 0, 'tail', true);
    expect(errorOf(await finish(id, 4, '/x', 'more'))).toEqual({
      '.tag': 'concurrent_session_data_not_allowed',
    });
  });

  test('offsets must be 4 MiB multiples and non-final appends whole blocks', async () => {
    const id = await start(concurrent);
    expect(errorOf(await append(id, 100, bytes(BLOCK)))).toEqual({
      '.tag': 'concurrent_session_invalid_offset',
    });
    expect(errorOf(await append(id, 0, bytes(1000)))).toEqual({
      '.tag': 'concurrent_session_invalid_data_size',
    });
  });

  test('finish needs a closed session with every block present', async () => {
    const id = await start(concurrent);
    await append(id, 0, bytes(BLOCK));
    expect(errorOf(await finish(id, BLOCK, '/x'))).toEqual({ '.tag': 'concurrent_session_not_closed' });
    const gappy = await start(concurrent);
    await append(gappy, BLOCK, 'end', true);
    expect(errorOf(await finish(gappy, BLOCK + 3, '/x'))).toEqual({
      '.tag': 'concurrent_session_missing_data',
    });
    expect(errorOf(await finish(gappy, 5, '/x'))).toEqual({
      '.tag': 'lookup_failed',
      lookup_failed: { '.tag': 'incorrect_offset', correct_offset: BLOCK + 3 },
    });
  });

  test('an append over part of another one’s bytes is refused, and the session stays whole', async () => {
    const data = bytes(3 * BLOCK + 10);
    const id = await start(concurrent);
    expect((await append(id, 0, data.subarray(0, 3 * BLOCK))).status).toBe(200);
    const overlaps = [
      ['inside it', BLOCK, bytes(BLOCK)],
      ['at its offset, shorter', 0, Buffer.alloc(BLOCK, 9)],
      ['at its offset, longer', 0, Buffer.alloc(4 * BLOCK, 9)],
    ] as const;
    for (const [, offset, other] of overlaps) {
      expect(errorOf(await append(id, offset, other))).toEqual({
        '.tag': 'concurrent_session_invalid_offset',
      });
    }
    expect((await append(id, 3 * BLOCK, data.subarray(3 * BLOCK), true)).status).toBe(200);
    const done = await finish(id, data.length, '/overlap.bin');
    expect(done.json).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/overlap.bin').equals(data)).toBe(true);
  });

  test('a repeated append replaces its block, even once the session has been assembled past it', async () => {
    const data = bytes(3 * BLOCK + 10);
    const id = await start(concurrent);
    expect((await append(id, 0, Buffer.alloc(BLOCK, 7))).status).toBe(200);
    expect((await append(id, BLOCK, data.subarray(BLOCK, 3 * BLOCK))).status).toBe(200);
    // Let the background assembly copy the first blocks before the first one is replaced.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await append(id, 0, data.subarray(0, BLOCK))).status).toBe(200);
    expect((await append(id, 3 * BLOCK, data.subarray(3 * BLOCK), true)).status).toBe(200);
    const done = await finish(id, data.length, '/replaced.bin');
    expect(done.json).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/replaced.bin').equals(data)).toBe(true);
  });

  test('an empty closing append closes a session of whole blocks', async () => {
    const data = bytes(2 * BLOCK);
    const id = await start(concurrent);
    expect((await append(id, BLOCK, data.subarray(BLOCK))).status).toBe(200);
    expect((await append(id, 0, data.subarray(0, BLOCK))).status).toBe(200);
    expect((await append(id, 2 * BLOCK, '', true)).status).toBe(200);
    const done = await finish(id, data.length, '/whole-blocks.bin');
    expect(done.json).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/whole-blocks.bin').equals(data)).toBe(true);
  });

  test('a finish refused on its path keeps the whole session for the next finish', async () => {
    const data = bytes(2 * BLOCK + 3);
    h.fake.putFile('/taken.bin', 'already here');
    const id = await start(concurrent);
    await append(id, 0, data.subarray(0, 2 * BLOCK));
    await append(id, 2 * BLOCK, data.subarray(2 * BLOCK), true);
    const refused = await finish(id, data.length, '/taken.bin', '', { mode: { '.tag': 'add' } });
    expect(refused.status).toBe(409);
    const done = await finish(id, data.length, '/free.bin');
    expect(done.json).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/free.bin').equals(data)).toBe(true);
  });

  test('the SDK parallel uploader round-trips', async () => {
    const data = bytes(3 * BLOCK + 5);
    const uploader = new DropboxFileUploader(h.dbx, { chunkSize: BLOCK, parallelUploads: 3 });
    const { metadata } = await uploader.upload(bytesUpload(data), { path: '/par.bin' });
    expect(metadata).toMatchObject({ size: data.length, content_hash: dropboxContentHash(data) });
    expect(h.fake.readFile('/par.bin').equals(data)).toBe(true);
  });
});

describe('batches', () => {
  test('start_batch returns session ids; finish_batch_v2 commits closed sessions in order', async () => {
    const started = await rpc(h.fake, 'files/upload_session/start_batch', { num_sessions: 3 }, h.token);
    const ids = (started.json as { session_ids: string[] }).session_ids;
    expect(ids).toHaveLength(3);
    await append(ids[0]!, 0, 'zero', true);
    await append(ids[1]!, 0, 'one'); // not closed
    await append(ids[2]!, 0, 'two', true);
    h.fake.putFile('/b/2.txt', 'occupied');
    const result = await h.dbx.filesUploadSessionFinishBatchV2({
      entries: ids.map((id, i) => ({
        cursor: { session_id: id, offset: i === 0 ? 4 : 3 },
        commit: { path: `/b/${i}.txt` },
      })),
    });
    const entries = result.result.entries as unknown as Record<string, unknown>[];
    expect(entries[0]).toMatchObject({ '.tag': 'success', path_display: '/b/0.txt', size: 4 });
    expect(entries[1]).toEqual({
      '.tag': 'failure',
      failure: { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_closed' } },
    });
    expect(entries[2]).toEqual({
      '.tag': 'failure',
      failure: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'file' } } },
    });
    expect(h.fake.readFile('/b/0.txt').toString()).toBe('zero');
  });

  test('a small file sent with start and close commits through a batch, also after a refused try', async () => {
    const id = await start({ close: true }, 'small');
    h.fake.putFile('/taken.txt', 'occupied');
    const entry = (path: string) => ({ cursor: { session_id: id, offset: 5 }, commit: { path } });
    const refused = await rpc(
      h.fake,
      'files/upload_session/finish_batch_v2',
      { entries: [entry('/taken.txt')] },
      h.token,
    );
    expect(refused.json).toMatchObject({ entries: [{ '.tag': 'failure', failure: { '.tag': 'path' } }] });
    const done = await rpc(
      h.fake,
      'files/upload_session/finish_batch_v2',
      { entries: [entry('/small.txt')] },
      h.token,
    );
    expect(done.json).toMatchObject({
      entries: [{ '.tag': 'success', size: 5, content_hash: dropboxContentHash(Buffer.from('small')) }],
    });
    expect(h.fake.readFile('/small.txt').toString()).toBe('small');
    expect(h.fake.readFile('/taken.txt').toString()).toBe('occupied');
    expect(h.fake.uploadSessions()).toEqual([]);
  });

  test('finish_batch v1 returns an async job that is complete on the first check', async () => {
    const id = await start({ close: true }, 'v1');
    const launched = await rpc(
      h.fake,
      'files/upload_session/finish_batch',
      { entries: [{ cursor: { session_id: id, offset: 2 }, commit: { path: '/v1.txt' } }] },
      h.token,
    );
    const job = launched.json as { '.tag': string; async_job_id: string };
    expect(job['.tag']).toBe('async_job_id');
    const checked = await rpc(
      h.fake,
      'files/upload_session/finish_batch/check',
      { async_job_id: job.async_job_id },
      h.token,
    );
    expect(checked.json).toMatchObject({
      '.tag': 'complete',
      entries: [{ '.tag': 'success', path_lower: '/v1.txt' }],
    });
    const bogus = await rpc(
      h.fake,
      'files/upload_session/finish_batch/check',
      { async_job_id: 'dbjid:nope' },
      h.token,
    );
    expect(errorOf(bogus)).toEqual({ '.tag': 'invalid_async_job_id' });
  });

  test('batch limits: 1..1000 sessions, at most 1000 entries', async () => {
    expect((await rpc(h.fake, 'files/upload_session/start_batch', { num_sessions: 0 }, h.token)).status).toBe(
      400,
    );
    expect(
      (await rpc(h.fake, 'files/upload_session/start_batch', { num_sessions: 1001 }, h.token)).status,
    ).toBe(400);
    const entries = Array.from({ length: 1001 }, () => ({
      cursor: { session_id: 'x', offset: 0 },
      commit: { path: '/x' },
    }));
    expect((await rpc(h.fake, 'files/upload_session/finish_batch_v2', { entries }, h.token)).status).toBe(
      400,
    );
  });
});
