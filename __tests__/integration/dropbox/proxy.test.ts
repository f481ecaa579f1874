/**
 * Proxies through the real network stack: a child Node process (Node's own global fetch, the
 * dispatcher installed as the entry points install it) talks to the fake Dropbox behind a TLS front,
 * through a real forward proxy on loopback. `fake-dropbox.test` resolves only inside the proxy, so a
 * request that arrives went through it.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { ForwardProxy, type ForwardProxyOptions } from '../../support/forward-proxy.ts';
import { runProxyClient, STREAMED_SIZES, type ProxyClientReport } from '../../support/proxy-client.ts';
import { testCaFile, TlsFront } from '../../support/tls-front.ts';
import { APP } from '../../support/dropbox.ts';

const HOSTS = { 'fake-dropbox.test': '127.0.0.1' };

let fake: FakeDropbox;
let front: TlsFront;
let selfSignedFront: TlsFront;
const proxies: ForwardProxy[] = [];

beforeAll(async () => {
  fake = await FakeDropbox.start();
  fake.registerApp(APP);
  const fakePort = Number(new URL(fake.url).port);
  front = await TlsFront.start('ca-signed', fakePort);
  selfSignedFront = await TlsFront.start('self-signed', fakePort);
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all([front.close(), selfSignedFront.close()]);
  await fake.close();
});

async function proxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const started = await ForwardProxy.start({ hosts: HOSTS, ...options });
  proxies.push(started);
  return started;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs the client with only the given proxy variables (none inherited from the machine running the tests). */
function runClient(
  dropboxUrl: string,
  env: Record<string, string>,
  maxAttempts = 1,
): Promise<ProxyClientReport> {
  return runProxyClient({
    dropboxUrl,
    refreshToken: fake.issueRefreshToken({ appKey: APP.key }),
    app: APP,
    env: { NODE_EXTRA_CA_CERTS: testCaFile, ...env },
    maxAttempts,
  });
}

const viaProxy = (): string => front.url('fake-dropbox.test');

function expectStreamedUploadArrived(report: ProxyClientReport): void {
  expect(report).toMatchObject({ ok: true, uploadedSize: 500_000 });
  const expected = Buffer.concat(STREAMED_SIZES.map((size, index) => Buffer.alloc(size, index + 1)));
  expect(fake.readFile('/proxy/streamed.bin').equals(expected)).toBe(true);
}

describe('requests go through the proxy the environment names', () => {
  test('HTTPS_PROXY carries the token refresh, an RPC and a streamed upload, over CONNECT tunnels', async () => {
    const forward = await proxy();
    const since = fake.requests.length;
    const report = await runClient(viaProxy(), { HTTPS_PROXY: forward.url() });
    expectStreamedUploadArrived(report);
    expect(report.proxyLine).toBe(
      `Proxy: https requests go through http://127.0.0.1:${forward.port} (HTTPS_PROXY); loopback hosts go direct.`,
    );
    expect(fake.requests.slice(since).map((entry) => entry.route)).toEqual([
      'oauth2/token',
      'users/get_current_account',
      'files/upload',
    ]);
    expect(forward.counts.tunnels).toBeGreaterThanOrEqual(1);
    expect(new Set(forward.targets)).toEqual(new Set([`fake-dropbox.test:${front.port}`]));
    expect(forward.counts.bytesUp).toBeGreaterThan(500_000);
    expect(forward.counts.forwarded).toBe(0);
  });

  test('credentials in the proxy URL go as Proxy-Authorization, decoded, and are never printed', async () => {
    const credentials = { user: 'ci@corp', password: 'p:ss/w%rd' };
    const forward = await proxy({ credentials });
    const report = await runClient(viaProxy(), { HTTPS_PROXY: forward.url(credentials) });
    expectStreamedUploadArrived(report);
    const basic = `Basic ${Buffer.from('ci@corp:p:ss/w%rd').toString('base64')}`;
    expect(new Set(forward.authorizations)).toEqual(new Set([basic]));
    expect(forward.counts.authRequired).toBe(0);
    expect(JSON.stringify(report)).not.toMatch(/p:ss|p%3Ass|ci@corp|ci%40corp/);
  });

  test('https_proxy wins over HTTPS_PROXY', async () => {
    const forward = await proxy();
    const report = await runClient(viaProxy(), {
      https_proxy: forward.url(),
      HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`,
    });
    expectStreamedUploadArrived(report);
    expect(forward.counts.tunnels).toBeGreaterThanOrEqual(1);
  });

  test('HTTP_PROXY carries requests to an http:// host', async () => {
    const forward = await proxy();
    const report = await runClient(`http://fake-dropbox.test:${new URL(fake.url).port}`, {
      HTTP_PROXY: forward.url(),
    });
    expectStreamedUploadArrived(report);
    expect(new Set(forward.targets)).toEqual(new Set([`fake-dropbox.test:${new URL(fake.url).port}`]));
  });
});

describe('what goes direct', () => {
  test('a NO_PROXY match goes direct: the proxy carries nothing (and the name, known only to it, fails)', async () => {
    const forward = await proxy();
    const report = await runClient(viaProxy(), { HTTPS_PROXY: forward.url(), NO_PROXY: 'example.org,.test' });
    expect(report.ok).toBe(false);
    expect(report.chain).toContain('Error ENOTFOUND');
    expect(report.failure).toBeUndefined();
    expect(forward.targets).toEqual([]);
  });

  test('a loopback host goes direct, as the toolkit has it', async () => {
    const forward = await proxy();
    const report = await runClient(front.url('localhost'), { HTTPS_PROXY: forward.url() });
    expectStreamedUploadArrived(report);
    expect(forward.targets).toEqual([]);
  });

  test('without a proxy variable nothing is installed', async () => {
    const report = await runClient(front.url('localhost'), {});
    expectStreamedUploadArrived(report);
    expect(report.proxyLine).toBeUndefined();
  });
});

describe('a failing proxy is named as the proxy', () => {
  test('407: the proxy wants credentials', async () => {
    const forward = await proxy({ credentials: { user: 'ci', password: 'right' } });
    const report = await runClient(viaProxy(), {
      HTTPS_PROXY: forward.url({ user: 'ci', password: 'wrong-password' }),
    });
    expect(report.ok).toBe(false);
    expect(report.failure).toEqual({
      kind: 'proxy-refused',
      proxy: `http://127.0.0.1:${forward.port} (HTTPS_PROXY)`,
      status: 407,
    });
    expect(report.explanation).toMatchObject({ title: 'Proxy authentication failed', scope: 'run' });
    expect(report.explanation?.message).toContain('407 Proxy Authentication Required');
    expect(JSON.stringify(report)).not.toContain('wrong-password');
    expect(forward.counts.authRequired).toBeGreaterThanOrEqual(1);
  });

  test('a refused CONNECT (403)', async () => {
    const forward = await proxy({ refuseWith: 403 });
    const report = await runClient(viaProxy(), { HTTPS_PROXY: forward.url() });
    expect(report.failure).toEqual({
      kind: 'proxy-refused',
      proxy: `http://127.0.0.1:${forward.port} (HTTPS_PROXY)`,
      status: 403,
    });
    expect(report.explanation).toMatchObject({ title: 'Proxy connection failed', scope: 'run' });
    expect(report.explanation?.message).toContain('HTTP 403');
    expect(forward.counts.refused).toBeGreaterThanOrEqual(1);
  });

  test('a proxy nothing listens on', async () => {
    const port = await closedPort();
    const report = await runClient(viaProxy(), { HTTPS_PROXY: `http://ci:secret@127.0.0.1:${port}` });
    expect(report.failure).toEqual({
      kind: 'proxy-unreachable',
      proxy: `http://127.0.0.1:${port} (HTTPS_PROXY)`,
      code: 'ECONNREFUSED',
    });
    expect(report.explanation).toMatchObject({ title: 'Proxy connection failed' });
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  test('a certificate the target presents through the tunnel is a certificate problem, not the proxy’s', async () => {
    const forward = await proxy();
    const report = await runClient(selfSignedFront.url('fake-dropbox.test'), { HTTPS_PROXY: forward.url() });
    expect(report.failure).toEqual({ kind: 'tls-certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(report.explanation).toMatchObject({ title: 'TLS certificate not trusted', scope: 'run' });
    expect(forward.counts.tunnels).toBeGreaterThanOrEqual(1);
  });

  // Needs retry.ts to stop retrying permanent connection failures (see the report).
  test('neither a 407 nor an untrusted certificate is retried', async () => {
    const forward = await proxy({ credentials: { user: 'ci', password: 'right' } });
    const refused = await runClient(viaProxy(), { HTTPS_PROXY: forward.url() }, 4);
    expect(refused.retries).toEqual([]);
    expect(forward.counts.authRequired).toBe(1);

    const connections = selfSignedFront.connections;
    const untrusted = await runClient(selfSignedFront.url('localhost'), {}, 4);
    expect(untrusted.failure).toEqual({ kind: 'tls-certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(untrusted.retries).toEqual([]);
    expect(selfSignedFront.connections - connections).toBe(1);
  });

  test('a proxy that cannot be reached is retried, then named', async () => {
    const port = await closedPort();
    const report = await runClient(viaProxy(), { HTTPS_PROXY: `http://127.0.0.1:${port}` }, 3);
    expect(report.retries).toHaveLength(2);
    expect(report.failure).toMatchObject({ kind: 'proxy-unreachable', code: 'ECONNREFUSED' });
  });
});
