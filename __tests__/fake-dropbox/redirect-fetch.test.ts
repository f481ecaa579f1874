import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRedirectFetch, dropboxContentHash, rewriteDropboxUrl } from '../../fake-dropbox/index.ts';
import { bytes, headerSafe, startFake, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(() => h.fake.close());

const PRELOAD = fileURLToPath(new URL('../../fake-dropbox/redirect-fetch.ts', import.meta.url));

test('rewriteDropboxUrl maps the three Dropbox hosts, keeping path and query', () => {
  expect(
    rewriteDropboxUrl('https://content.dropboxapi.com/2/files/upload?arg=%7B%7D', 'http://127.0.0.1:1/'),
  ).toBe('http://127.0.0.1:1/2/files/upload?arg=%7B%7D');
  expect(rewriteDropboxUrl(new URL('https://api.dropboxapi.com/oauth2/token?x=1'), 'http://h:2')).toBe(
    'http://h:2/oauth2/token?x=1',
  );
  expect(rewriteDropboxUrl('https://api.dropbox.com/oauth2/token', 'http://h:2')).toBe(
    'http://h:2/oauth2/token',
  );
  expect(rewriteDropboxUrl('https://www.dropbox.com/oauth2/authorize', 'http://h:2')).toBeUndefined();
  expect(rewriteDropboxUrl('https://example.com/2/files/upload', 'http://h:2')).toBeUndefined();
});

test('other hosts pass through untouched', async () => {
  const seen: unknown[] = [];
  const inner = (input: string | URL | Request) => {
    seen.push(input);
    return Promise.resolve(new Response('ok'));
  };
  const redirected = createRedirectFetch(h.fake.url, inner as typeof fetch);
  await redirected('https://example.com/x?y=1');
  const request = new Request('https://example.org/z', { method: 'PUT', body: 'b' });
  await redirected(request);
  expect(seen).toEqual(['https://example.com/x?y=1', request]);
});

test('string, URL and Request inputs reach the fake with method, headers and body', async () => {
  const redirected = createRedirectFetch(h.fake.url);
  const headers = {
    Authorization: `Bearer ${h.token}`,
    'Content-Type': 'application/octet-stream',
  };
  const viaString = await redirected('https://content.dropboxapi.com/2/files/upload', {
    method: 'POST',
    headers: { ...headers, 'Dropbox-API-Arg': headerSafe({ path: '/s.txt' }) },
    body: 'string',
  });
  const viaUrl = await redirected(new URL('https://content.dropboxapi.com/2/files/upload'), {
    method: 'POST',
    headers: { ...headers, 'Dropbox-API-Arg': headerSafe({ path: '/u.txt' }) },
    body: 'url',
  });
  const viaRequest = await redirected(
    new Request('https://content.dropboxapi.com/2/files/upload', {
      method: 'POST',
      headers: { ...headers, 'Dropbox-API-Arg': headerSafe({ path: '/r.txt' }) },
      body: new Blob(['request']).stream(),
      duplex: 'half',
    }),
  );
  expect([viaString.status, viaUrl.status, viaRequest.status]).toEqual([200, 200, 200]);
  expect(h.fake.files().map((file) => [file.path, h.fake.readFile(file.path).toString()])).toEqual([
    ['/r.txt', 'request'],
    ['/s.txt', 'string'],
    ['/u.txt', 'url'],
  ]);
});

test('a Node Readable stream body (duplex: half) streams through', async () => {
  const data = bytes(5 * 1024 * 1024 + 3);
  async function* chunks() {
    for (let offset = 0; offset < data.length; offset += 64 * 1024)
      yield data.subarray(offset, offset + 64 * 1024);
  }
  const redirected = createRedirectFetch(h.fake.url);
  const init: RequestInit = {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${h.token}`,
      'Content-Type': 'application/octet-stream',
      'Dropbox-API-Arg': headerSafe({ path: '/stream.bin' }),
    },
    body: Readable.from(chunks()) as unknown as ReadableStream,
    duplex: 'half',
  };
  const response = await redirected('https://content.dropboxapi.com/2/files/upload', init);
  expect(response.status).toBe(200);
  expect(((await response.json()) as { content_hash: string }).content_hash).toBe(dropboxContentHash(data));
});

test('the signal is kept', async () => {
  h.fake.faults.add({ action: { kind: 'stall', ms: 5000 } });
  const redirected = createRedirectFetch(h.fake.url);
  await expect(
    redirected('https://api.dropboxapi.com/2/users/get_current_account', {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}` },
      signal: AbortSignal.timeout(50),
    }),
  ).rejects.toThrow();
});

test('as a --import preload it redirects the global fetch of a child process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redirect-fetch-'));
  try {
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `const r = await fetch('https://api.dropboxapi.com/2/users/get_current_account', {
         method: 'POST', headers: { Authorization: 'Bearer ' + process.env.TOKEN } });
       console.log(r.status, (await r.json()).account_type['.tag']);`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', PRELOAD, script], {
      env: { ...process.env, FAKE_DROPBOX_URL: h.fake.url, TOKEN: h.token },
    });
    expect(stdout.trim()).toBe('200 basic');
    expect(h.fake.requests.at(-1)).toMatchObject({ route: 'users/get_current_account', status: 200 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
