/**
 * Self-hosted networks, through the bundled dist/index.js run as the runner runs it: a real forward
 * proxy on loopback, and the fake Dropbox behind a TLS front whose certificate a private test CA
 * signed. `fake-dropbox.test` resolves only inside the proxy, so whatever arrived went through it.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun, type Annotation } from '../../../scripts/action-runner.ts';
import { ForwardProxy, type ForwardProxyOptions } from '../../support/forward-proxy.ts';
import { testCaFile, TlsFront } from '../../support/tls-front.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const APP = { key: 'e2e-proxy-key', secret: 'e2e-proxy-secret' };
/** Set explicitly, so that the machine running the tests cannot add a proxy of its own. */
const NO_PROXY_VARIABLES = {
  HTTPS_PROXY: '',
  https_proxy: '',
  HTTP_PROXY: '',
  http_proxy: '',
  NO_PROXY: '',
  no_proxy: '',
  NODE_EXTRA_CA_CERTS: '',
};

let server: FakeDropbox;
let front: TlsFront;
let selfSigned: TlsFront;
let tree: Tree;
const proxies: ForwardProxy[] = [];

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  const port = Number(new URL(server.url).port);
  front = await TlsFront.start('ca-signed-with-root', port);
  selfSigned = await TlsFront.start('self-signed', port);
  tree = await makeTree({
    'site/index.html': '<h1>site</h1>',
    'site/ünïcode name.txt': 'naïve',
    'site/empty.txt': '',
    'dump/archive.bin': 9 * MiB + 5,
  });
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all([front.close(), selfSigned.close()]);
  await server.close();
  await tree.cleanup();
});

async function startProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const proxy = await ForwardProxy.start({ hosts: { 'fake-dropbox.test': '127.0.0.1' }, ...options });
  proxies.push(proxy);
  return proxy;
}

/** The error annotations with a title: the explanations (the step's own failure line has none). */
function titledErrors(result: ActionRun): Annotation[] {
  return annotationsIn(result.stdout, 'error').filter((annotation) => annotation.title !== '');
}

function run(
  dropboxUrl: string,
  env: Record<string, string>,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    inputs: {
      path: 'site/**\ndump/**',
      destination: '/proxied',
      'refresh-token': server.issueRefreshToken({ appKey: APP.key }),
      'app-key': APP.key,
      'app-secret': APP.secret,
      'chunk-size': '4',
      ...inputs,
    },
    workspace: tree.root,
    fakeDropboxUrl: dropboxUrl,
    env: { ...NO_PROXY_VARIABLES, ...env },
  });
}

async function expectAllArrived(destination: string): Promise<void> {
  for (const relative of ['site/index.html', 'site/ünïcode name.txt', 'site/empty.txt', 'dump/archive.bin']) {
    const local = await readFile(tree.file(relative));
    expect(server.readFile(`${destination}/${relative}`).equals(local)).toBe(true);
  }
}

describe('HTTPS_PROXY and a private CA (NODE_EXTRA_CA_CERTS)', () => {
  test('every request of the run goes through the proxy, and every file arrives byte-exact', async () => {
    const proxy = await startProxy();
    const since = server.requests.length;
    const result = await run(front.url('fake-dropbox.test'), {
      HTTPS_PROXY: proxy.url(),
      NODE_EXTRA_CA_CERTS: testCaFile,
    });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    await expectAllArrived('/proxied');
    expect(result.stdout).toContain(
      `Proxy: https requests go through http://127.0.0.1:${proxy.port} (HTTPS_PROXY); loopback hosts go direct.`,
    );
    const routes = new Set(server.requests.slice(since).map((entry) => entry.route));
    for (const route of ['oauth2/token', 'files/upload_session/append_v2'])
      expect(routes.has(route)).toBe(true);
    expect(proxy.counts.tunnels).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.targets)).toEqual(new Set([`fake-dropbox.test:${front.port}`]));
    expect(proxy.counts.bytesUp).toBeGreaterThan(9 * MiB);
  });

  test('proxy credentials in the URL are sent to the proxy and never printed', async () => {
    const credentials = { user: 'ci-bot', password: 'pr0xy-s3cret!' };
    const proxy = await startProxy({ credentials });
    const result = await run(
      front.url('fake-dropbox.test'),
      { HTTPS_PROXY: proxy.url(credentials), NODE_EXTRA_CA_CERTS: testCaFile },
      { destination: '/proxied-auth' },
    );
    expect(result.exitCode).toBe(0);
    await expectAllArrived('/proxied-auth');
    expect(proxy.counts.authRequired).toBe(0);
    expect(`${result.stdout}${result.stderr}${result.summary}`).not.toMatch(/pr0xy-s3cret|ci-bot/);
  });

  test('NO_PROXY sends the host direct: the proxy carries nothing', async () => {
    const proxy = await startProxy();
    const result = await run(
      front.url('fake-dropbox.test'),
      {
        HTTPS_PROXY: proxy.url(),
        NO_PROXY: 'example.org,fake-dropbox.test',
        NODE_EXTRA_CA_CERTS: testCaFile,
      },
      { 'max-attempts': '1' },
    );
    // Direct, the name only the proxy knows does not resolve.
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain('ENOTFOUND');
    expect(proxy.targets).toEqual([]);
  });
});

describe('a failing proxy is named as the proxy, once, and the run stops', () => {
  test('407 Proxy Authentication Required', async () => {
    const proxy = await startProxy({ credentials: { user: 'ci-bot', password: 'right' } });
    const result = await run(front.url('fake-dropbox.test'), {
      HTTPS_PROXY: proxy.url({ user: 'ci-bot', password: 'wr0ng-s3cret' }),
      NODE_EXTRA_CA_CERTS: testCaFile,
    });
    expect(result.exitCode).not.toBe(0);
    const errors = titledErrors(result);
    expect(errors.map((annotation) => annotation.title)).toEqual(['Proxy authentication failed']);
    expect(errors[0]?.message).toContain(`http://127.0.0.1:${proxy.port} (HTTPS_PROXY)`);
    expect(`${result.stdout}${result.stderr}${result.summary}`).not.toContain('wr0ng-s3cret');
    // Not retried: a wrong password stays wrong.
    expect(proxy.counts.authRequired).toBe(1);
  });

  test('a proxy that refuses the tunnel', async () => {
    const proxy = await startProxy({ refuseWith: 403 });
    const result = await run(front.url('fake-dropbox.test'), {
      HTTPS_PROXY: proxy.url(),
      NODE_EXTRA_CA_CERTS: testCaFile,
    });
    expect(result.exitCode).not.toBe(0);
    const errors = titledErrors(result);
    expect(errors.map((annotation) => annotation.title)).toEqual(['Proxy connection failed']);
    expect(errors[0]?.message).toContain('HTTP 403');
    expect(proxy.counts.refused).toBe(1);
  });
});

describe('an untrusted certificate', () => {
  test('is named, with its code and NODE_EXTRA_CA_CERTS, and is not retried', async () => {
    const connections = selfSigned.connections;
    const result = await run(selfSigned.url('localhost'), {}, { 'max-attempts': '5' });
    expect(result.exitCode).not.toBe(0);
    const errors = titledErrors(result);
    expect(errors.map((annotation) => annotation.title)).toEqual(['TLS certificate not trusted']);
    expect(errors[0]?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(errors[0]?.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(result.stdout).not.toMatch(/retry 1 of/);
    expect(selfSigned.connections - connections).toBe(1);
  });

  test('a private CA the runner was not given: the unknown-CA code', async () => {
    const result = await run(front.url('localhost'), {}, { 'max-attempts': '5' });
    const errors = titledErrors(result);
    expect(errors.map((annotation) => annotation.title)).toEqual(['TLS certificate not trusted']);
    expect(errors[0]?.message).toContain('SELF_SIGNED_CERT_IN_CHAIN');
  });
});
