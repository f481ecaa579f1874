import { dropboxContentHash } from '../../fake-dropbox/index.ts';
import { content, errorOf, headerSafe, sdkError, startFake, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(() => h.fake.close());

const conflictFile = { '.tag': 'conflict', conflict: { '.tag': 'file' } };

describe('files/upload', () => {
  test('returns FileMetadata without .tag and stores the bytes', async () => {
    const { result } = await h.dbx.filesUpload({ path: '/Reports/Q1 Summary.txt', contents: 'hello' });
    expect(Object.keys(result)).not.toContain('.tag');
    expect(result).toMatchObject({
      name: 'Q1 Summary.txt',
      path_lower: '/reports/q1 summary.txt',
      path_display: '/Reports/Q1 Summary.txt',
      size: 5,
      is_downloadable: true,
      content_hash: dropboxContentHash(Buffer.from('hello')),
    });
    expect(result.id).toMatch(/^id:/);
    expect(result.rev).toMatch(/^[0-9a-f]{9,}$/);
    expect(result.server_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(h.fake.readFile('/reports/Q1 SUMMARY.TXT').toString()).toBe('hello');
    expect(h.fake.files().map((file) => file.path)).toEqual(['/Reports/Q1 Summary.txt']);
    expect(h.fake.commitCount('/reports/q1 summary.txt')).toBe(1);
  });

  test('add: identical content is not a conflict, different content is', async () => {
    const first = await h.dbx.filesUpload({ path: '/a.txt', contents: 'one' });
    const again = await h.dbx.filesUpload({ path: '/A.txt', contents: 'one' });
    expect(again.result.rev).toBe(first.result.rev);

    const error = await sdkError(h.dbx.filesUpload({ path: '/a.txt', contents: 'two' }));
    expect(error.status).toBe(409);
    const body = error.error as { error_summary: string; error: Record<string, unknown> };
    expect(body.error_summary).toBe('path/conflict/file/..');
    expect(body.error).toMatchObject({ '.tag': 'path', reason: conflictFile });
    expect(body.error['upload_session_id']).toEqual(expect.stringMatching(/^pid_upload_session:/));
    expect(h.fake.readFile('/a.txt').toString()).toBe('one');
  });

  test('strict_conflict makes identical content a conflict', async () => {
    await h.dbx.filesUpload({ path: '/a.txt', contents: 'one' });
    const error = await sdkError(
      h.dbx.filesUpload({ path: '/a.txt', contents: 'one', strict_conflict: true }),
    );
    expect((error.error as { error: unknown }).error).toMatchObject({ reason: conflictFile });
  });

  test('overwrite replaces content, keeps the id and makes a new rev', async () => {
    const first = await h.dbx.filesUpload({ path: '/a.txt', contents: 'one' });
    const second = await h.dbx.filesUpload({
      path: '/a.txt',
      contents: 'two!',
      mode: { '.tag': 'overwrite' },
    });
    expect(second.result.id).toBe(first.result.id);
    expect(second.result.rev).not.toBe(first.result.rev);
    expect(second.result.size).toBe(4);
    expect(h.fake.readFile('/a.txt').toString()).toBe('two!');
  });

  test('mode as a bare string, and update with the current / a stale rev', async () => {
    const raw = await content(h.fake, 'files/upload', { path: '/u.txt', mode: 'add' }, 'v1', h.token);
    const rev = (raw.json as { rev: string }).rev;
    const updated = await content(
      h.fake,
      'files/upload',
      { path: '/u.txt', mode: { '.tag': 'update', update: rev } },
      'v2',
      h.token,
    );
    expect(updated.status).toBe(200);
    const stale = await content(
      h.fake,
      'files/upload',
      { path: '/u.txt', mode: { '.tag': 'update', update: rev }, autorename: true },
      'v3',
      h.token,
    );
    expect(stale.status).toBe(200);
    expect((stale.json as { path_display: string }).path_display).toBe('/u (conflicted copy).txt');
  });

  test('autorename picks "name (1).ext", then "(2)"', async () => {
    await h.dbx.filesUpload({ path: '/docs/report.pdf', contents: 'a' });
    const one = await h.dbx.filesUpload({ path: '/docs/report.pdf', contents: 'b', autorename: true });
    const two = await h.dbx.filesUpload({ path: '/docs/report.pdf', contents: 'c', autorename: true });
    expect(one.result.path_display).toBe('/docs/report (1).pdf');
    expect(two.result.path_display).toBe('/docs/report (2).pdf');
    const same = await h.dbx.filesUpload({ path: '/docs/report.pdf', contents: 'a', autorename: true });
    expect(same.result.path_display).toBe('/docs/report.pdf');
  });

  test('a folder at the path is always a conflict; a file ancestor is file_ancestor', async () => {
    h.fake.createFolder('/dir');
    const folder = await content(h.fake, 'files/upload', { path: '/dir', mode: 'overwrite' }, 'x', h.token);
    expect(errorOf(folder)).toMatchObject({ reason: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } });
    h.fake.putFile('/file.txt', 'x');
    const ancestor = await content(h.fake, 'files/upload', { path: '/file.txt/child.txt' }, 'x', h.token);
    expect(ancestor.json).toMatchObject({
      error_summary: 'path/conflict/file_ancestor/..',
      error: { reason: { '.tag': 'conflict', conflict: { '.tag': 'file_ancestor' } } },
    });
  });

  test('parents are created, keeping the case of existing folders', async () => {
    h.fake.createFolder('/Photos');
    const { result } = await h.dbx.filesUpload({ path: '/photos/2024/Beach.JPG', contents: 'jpg' });
    expect(result.path_display).toBe('/Photos/2024/Beach.JPG');
    const listing = await h.dbx.filesListFolder({ path: '/PHOTOS' });
    expect(listing.result.entries.map((entry) => [entry['.tag'], entry.path_display])).toEqual([
      ['folder', '/Photos/2024'],
    ]);
  });

  test('unicode paths travel as \\u escapes in the header and keep their display case', async () => {
    const { result } = await h.dbx.filesUpload({ path: '/Über/Ça va.txt', contents: 'ü' });
    expect(result.path_display).toBe('/Über/Ça va.txt');
    expect(result.path_lower).toBe('/über/ça va.txt');
    expect(h.fake.readFile('/ÜBER/ÇA VA.TXT').toString()).toBe('ü');
  });

  test.each([
    ['no-leading-slash.txt'],
    ['/double//slash.txt'],
    ['/trailing/'],
    ['/back\\slash'],
    ['/nul\u0000'],
    [''],
  ])('malformed path %j', async (path) => {
    const response = await content(h.fake, 'files/upload', { path }, 'x', h.token);
    expect(response.status).toBe(409);
    expect(errorOf(response)).toMatchObject({ '.tag': 'path', reason: { '.tag': 'malformed_path' } });
  });

  test.each([['desktop.ini'], ['Thumbs.db'], ['.DS_Store'], ['Icon\r'], ['.dropbox'], ['.dropbox.attr']])(
    'disallowed name %j',
    async (name) => {
      const response = await content(h.fake, 'files/upload', { path: `/x/${name}` }, 'x', h.token);
      expect(errorOf(response)).toMatchObject({ reason: { '.tag': 'disallowed_name' } });
    },
  );

  test('read-only folders refuse writes with no_write_permission', async () => {
    h.fake.setReadOnly('/Locked');
    const response = await content(h.fake, 'files/upload', { path: '/locked/a.txt' }, 'x', h.token);
    expect(response.json).toMatchObject({
      error_summary: 'path/no_write_permission/..',
      error: { '.tag': 'path', reason: { '.tag': 'no_write_permission' } },
    });
    expect((await content(h.fake, 'files/upload', { path: '/lockedness.txt' }, 'x', h.token)).status).toBe(
      200,
    );
  });

  test('content_hash must match the bytes of the request', async () => {
    const good = await h.dbx.filesUpload({
      path: '/h.txt',
      contents: 'abc',
      content_hash: dropboxContentHash(Buffer.from('abc')),
    });
    expect(good.status).toBe(200);
    const bad = await content(
      h.fake,
      'files/upload',
      { path: '/h2.txt', content_hash: dropboxContentHash(Buffer.from('abd')) },
      'abc',
      h.token,
    );
    expect(bad.status).toBe(409);
    expect(bad.json).toEqual({
      error_summary: 'content_hash_mismatch/.',
      error: { '.tag': 'content_hash_mismatch' },
    });
    expect(h.fake.files().map((file) => file.pathLower)).toEqual(['/h.txt']);
  });

  test('the argument may come as ?arg=, and bad JSON in the header is a 400', async () => {
    const viaQuery = await fetch(
      `${h.fake.url}/2/files/upload?arg=${encodeURIComponent(headerSafe({ path: '/q.txt' }))}`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/octet-stream' },
        body: 'q',
      },
    );
    expect(viaQuery.status).toBe(200);
    const bad = await content(h.fake, 'files/upload', {}, 'x', h.token, {
      'Dropbox-API-Arg': '{"path": /bad',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe(
      'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": could not decode input as JSON',
    );
  });

  test('the Content-Type must be application/octet-stream (or the CORS hack)', async () => {
    const wrong = await content(h.fake, 'files/upload', { path: '/c.txt' }, 'x', h.token, {
      'Content-Type': 'application/json; charset=UTF-8',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toBe(
      'Error in call to API function "files/upload": Bad HTTP "Content-Type" header: "application/json; charset=UTF-8".  Expecting one of "application/octet-stream", "text/plain; charset=dropbox-cors-hack".',
    );
    const hack = await content(h.fake, 'files/upload', { path: '/c.txt' }, 'x', h.token, {
      'Content-Type': 'text/plain; charset=dropbox-cors-hack',
    });
    expect(hack.status).toBe(200);
  });
});

describe('limits', () => {
  test('a body over maxRequestBytes is 409 payload_too_large and nothing is stored', async () => {
    const small = await startFake({ maxRequestBytes: 1000 });
    try {
      const ok = await content(
        small.fake,
        'files/upload',
        { path: '/fits.bin' },
        Buffer.alloc(1000),
        small.token,
      );
      expect(ok.status).toBe(200);
      const big = await content(
        small.fake,
        'files/upload',
        { path: '/big.bin' },
        Buffer.alloc(5000),
        small.token,
      );
      expect(big.status).toBe(409);
      expect(big.json).toEqual({
        error_summary: 'payload_too_large/.',
        error: { '.tag': 'payload_too_large' },
      });
      expect(small.fake.requests.at(-1)).toMatchObject({ bodyBytes: 5000, errorTag: 'payload_too_large' });
      const start = await content(
        small.fake,
        'files/upload_session/start',
        {},
        Buffer.alloc(1001),
        small.token,
      );
      expect(errorOf(start)).toEqual({ '.tag': 'payload_too_large' });
      expect(small.fake.files().map((file) => file.path)).toEqual(['/fits.bin']);
    } finally {
      await small.fake.close();
    }
  });

  test('quotaBytes: a commit beyond it fails with insufficient_space; overwrites count the difference', async () => {
    const quota = await startFake({ quotaBytes: 10 });
    try {
      expect((await content(quota.fake, 'files/upload', { path: '/a' }, '123456', quota.token)).status).toBe(
        200,
      );
      const full = await content(quota.fake, 'files/upload', { path: '/b' }, '12345', quota.token);
      expect(full.json).toMatchObject({
        error_summary: 'path/insufficient_space/..',
        error: { '.tag': 'path', reason: { '.tag': 'insufficient_space' } },
      });
      const replace = await content(
        quota.fake,
        'files/upload',
        { path: '/a', mode: 'overwrite' },
        '1234567890',
        quota.token,
      );
      expect(replace.status).toBe(200);
      expect(quota.fake.usedBytes).toBe(10);
    } finally {
      await quota.fake.close();
    }
  });
});
