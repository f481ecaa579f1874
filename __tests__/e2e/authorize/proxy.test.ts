/**
 * `node dist/authorize.js` behind a proxy: the code exchange and the account checks go through
 * HTTPS_PROXY to the fake Dropbox behind a TLS front signed by a private test CA, and a proxy that
 * wants credentials is named as the proxy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { repoRoot } from '../../../scripts/action-runner.ts';
import { runAuthorize, type AuthorizeRun } from '../../support/authorize-run.ts';
import { ForwardProxy } from '../../support/forward-proxy.ts';
import { testCaFile, TlsFront } from '../../support/tls-front.ts';

const helper = path.join(repoRoot, 'dist', 'authorize.js');
const APP = { key: 'helperproxykey', secret: 'helperproxysecret' };

let server: FakeDropbox;
let front: TlsFront;
let scratch: string;
const proxies: ForwardProxy[] = [];

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp({ ...APP, name: 'Helper Proxy App' });
  front = await TlsFront.start('ca-signed', Number(new URL(server.url).port));
  scratch = await mkdtemp(path.join(tmpdir(), 'authorize-proxy-e2e-'));
});
afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await front.close();
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Types the key and secret, opens the URL "in a browser", pastes the code; the proxy env is the test's alone. */
function runHelper(env: Record<string, string>): Promise<AuthorizeRun> {
  return runAuthorize(helper, [], {
    cwd: scratch,
    env: { FAKE_DROPBOX_URL: front.url('fake-dropbox.test'), NODE_EXTRA_CA_CERTS: testCaFile, ...env },
    answers: { appKey: APP.key, appSecret: APP.secret, dropboxUrl: server.url },
  });
}

describe('node dist/authorize.js behind a proxy', () => {
  test('the code exchange and the account checks go through HTTPS_PROXY', async () => {
    const proxy = await ForwardProxy.start({ hosts: { 'fake-dropbox.test': '127.0.0.1' } });
    proxies.push(proxy);
    const since = server.requests.length;
    const run = await runHelper({ HTTPS_PROXY: proxy.url() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('gh secret set DROPBOX_REFRESH_TOKEN');
    const routes = server.requests.slice(since).map((entry) => entry.route);
    expect(routes).toContain('oauth2/token');
    expect(routes).toContain('users/get_current_account');
    expect(proxy.counts.tunnels).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.targets)).toEqual(new Set([`fake-dropbox.test:${front.port}`]));
  });

  test('a proxy that wants credentials is named, without the password', async () => {
    const proxy = await ForwardProxy.start({
      hosts: { 'fake-dropbox.test': '127.0.0.1' },
      credentials: { user: 'dev', password: 'right' },
    });
    proxies.push(proxy);
    const run = await runHelper({ HTTPS_PROXY: proxy.url({ user: 'dev', password: 'wr0ng-pw' }) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Proxy authentication failed');
    expect(`${run.stdout}${run.stderr}`).not.toContain('wr0ng-pw');
  });
});
