/**
 * Certificate failures from a real TLS server on loopback (the committed test certificates in front
 * of the fake Dropbox): what fetch throws for an unknown CA, a self-signed CA in the chain, a
 * self-signed leaf and a hostname mismatch is named as a certificate problem, and the same server
 * trusted through NODE_EXTRA_CA_CERTS works.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { createRedirectFetch } from '../../../fake-dropbox/redirect-fetch.ts';
import { DropboxApi } from '../../../src/dropbox/client.ts';
import {
  classifyConnectionFailure,
  isPermanentConnectionFailure,
} from '../../../src/dropbox/connection-failure.ts';
import { explainConnectionFailure } from '../../../src/dropbox/explain/connection-errors.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { APP } from '../../support/dropbox.ts';
import { runProxyClient } from '../../support/proxy-client.ts';
import { testCaFile, TlsFront, type FrontCertificate } from '../../support/tls-front.ts';

const plainFetch = globalThis.fetch;
let fake: FakeDropbox;
const fronts = new Map<FrontCertificate, TlsFront>();

beforeAll(async () => {
  fake = await FakeDropbox.start();
  fake.registerApp(APP);
  const fakePort = Number(new URL(fake.url).port);
  for (const certificate of ['ca-signed', 'ca-signed-with-root', 'self-signed'] as const) {
    fronts.set(certificate, await TlsFront.start(certificate, fakePort));
  }
});

afterAll(async () => {
  globalThis.fetch = plainFetch;
  await Promise.all([...fronts.values()].map((front) => front.close()));
  await fake.close();
});

/** One SDK call to Dropbox, sent to `baseUrl` by the same redirection the end-to-end runs use. */
async function callThrough(baseUrl: string): Promise<unknown> {
  globalThis.fetch = createRedirectFetch(baseUrl, plainFetch);
  const api = new DropboxApi(
    new TokenSource(
      { kind: 'access-token', accessToken: fake.issueAccessToken() },
      { mask: () => undefined },
    ),
    { maxAttempts: 1 },
  );
  try {
    await api.call('get account', (context) => api.sdk.usersGetCurrentAccount({ signal: context.signal }));
    return undefined;
  } catch (error) {
    return error;
  } finally {
    globalThis.fetch = plainFetch;
  }
}

describe('in this process, which does not trust the test CA', () => {
  test.each<[string, FrontCertificate, string]>([
    ['an unknown CA', 'ca-signed', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [
      'a self-signed CA in the chain, as TLS-inspecting proxies send it',
      'ca-signed-with-root',
      'SELF_SIGNED_CERT_IN_CHAIN',
    ],
    ['a self-signed leaf', 'self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])('%s is a certificate failure that names its code', async (_name, certificate, code) => {
    const error = await callThrough(fronts.get(certificate)!.url('localhost'));
    expect(classifyConnectionFailure(error)).toEqual({ kind: 'tls-certificate', code });
    expect(isPermanentConnectionFailure(error)).toBe(true);
    const explanation = explainConnectionFailure(error);
    expect(explanation?.title).toBe('TLS certificate not trusted');
    expect(explanation?.message).toContain(code);
    expect(explanation?.message).toContain('NODE_EXTRA_CA_CERTS');
  });

  test('the fake itself, over plain HTTP, is no certificate failure', async () => {
    expect(await callThrough(fake.url)).toBeUndefined();
  });
});

describe('in a child process started with NODE_EXTRA_CA_CERTS', () => {
  const run = (dropboxUrl: string, env: Record<string, string>) =>
    runProxyClient({ dropboxUrl, refreshToken: fake.issueRefreshToken({ appKey: APP.key }), app: APP, env });

  test('the test CA is trusted: the token refresh, an RPC and a streamed upload get through', async () => {
    const report = await run(fronts.get('ca-signed')!.url('localhost'), { NODE_EXTRA_CA_CERTS: testCaFile });
    expect(report).toMatchObject({ ok: true, uploadedSize: 500_000 });
  });

  test('a root sent in the chain is fine once it is trusted', async () => {
    const report = await run(fronts.get('ca-signed-with-root')!.url('localhost'), {
      NODE_EXTRA_CA_CERTS: testCaFile,
    });
    expect(report.ok).toBe(true);
  });

  test('a trusted certificate for another name is a hostname mismatch', async () => {
    const report = await run(fronts.get('ca-signed')!.url('127.0.0.1'), { NODE_EXTRA_CA_CERTS: testCaFile });
    expect(report.ok).toBe(false);
    expect(report.failure).toEqual({ kind: 'tls-certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(report.explanation?.message).toContain('does not fix a name mismatch');
  });

  test('without NODE_EXTRA_CA_CERTS the same server is an unknown CA', async () => {
    const report = await run(fronts.get('ca-signed')!.url('localhost'), {});
    expect(report.failure).toEqual({ kind: 'tls-certificate', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});
