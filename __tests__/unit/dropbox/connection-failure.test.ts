import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import { explainConnectionFailure } from '../../../src/dropbox/explain/connection-errors.ts';
import { titles as connectionFailureTitles } from '../../../src/dropbox/explain/titles.ts';
import {
  classifyConnectionFailure,
  isPermanentConnectionFailure,
  ProxyConnectError,
  ProxyRefusedError,
  tlsCertificateCode,
  type ConnectionFailure,
} from '../../../src/dropbox/connection-failure.ts';

const PROXY = 'http://proxy.corp:3128 (HTTPS_PROXY)';

/** What Node's fetch throws: a TypeError whose cause is the socket's or TLS's error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyConnectionFailure', () => {
  test.each<[string, unknown, ConnectionFailure | undefined]>([
    [
      'an unknown CA',
      fetchFailed(coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE')),
      { kind: 'tls-certificate', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    ],
    [
      'an issuer missing locally',
      fetchFailed(coded('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')),
      { kind: 'tls-certificate', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    ],
    [
      'a self-signed CA in the chain (a TLS-inspecting proxy)',
      fetchFailed(coded('SELF_SIGNED_CERT_IN_CHAIN')),
      { kind: 'tls-certificate', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    ],
    [
      'a self-signed leaf',
      fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT')),
      { kind: 'tls-certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    ],
    [
      'a hostname mismatch',
      fetchFailed(coded('ERR_TLS_CERT_ALTNAME_INVALID')),
      { kind: 'tls-certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    ],
    [
      'an expired certificate',
      fetchFailed(coded('CERT_HAS_EXPIRED')),
      { kind: 'tls-certificate', code: 'CERT_HAS_EXPIRED' },
    ],
    [
      "undici's wrapper of a proxy's own bad certificate",
      fetchFailed(
        Object.assign(new Error('x'), {
          code: 'UND_ERR_PRX_TLS',
          cause: coded('ERR_TLS_CERT_ALTNAME_INVALID'),
        }),
      ),
      { kind: 'tls-certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    ],
    [
      "an https proxy's own certificate",
      fetchFailed(new ProxyConnectError(PROXY, coded('SELF_SIGNED_CERT_IN_CHAIN'))),
      { kind: 'tls-certificate', code: 'SELF_SIGNED_CERT_IN_CHAIN', proxy: PROXY },
    ],
    [
      'the SDK rethrowing fetch’s error under its own',
      new Error('request failed', { cause: fetchFailed(coded('SELF_SIGNED_CERT_IN_CHAIN')) }),
      { kind: 'tls-certificate', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    ],
    [
      'an AggregateError (several addresses tried)',
      fetchFailed(new AggregateError([coded('ECONNREFUSED'), coded('CERT_HAS_EXPIRED')], 'all failed')),
      { kind: 'tls-certificate', code: 'CERT_HAS_EXPIRED' },
    ],
    [
      '407 from the proxy',
      fetchFailed(new ProxyRefusedError(PROXY, 407)),
      { kind: 'proxy-refused', proxy: PROXY, status: 407 },
    ],
    [
      'a refused CONNECT',
      fetchFailed(new ProxyRefusedError(PROXY, 403)),
      { kind: 'proxy-refused', proxy: PROXY, status: 403 },
    ],
    [
      'a proxy that cannot reach Dropbox',
      fetchFailed(new ProxyRefusedError(PROXY, 502)),
      { kind: 'proxy-refused', proxy: PROXY, status: 502 },
    ],
    [
      'a proxy that refuses connections',
      fetchFailed(new ProxyConnectError(PROXY, coded('ECONNREFUSED'))),
      { kind: 'proxy-unreachable', proxy: PROXY, code: 'ECONNREFUSED' },
    ],
    [
      'a proxy host that does not resolve',
      fetchFailed(new ProxyConnectError(PROXY, coded('ENOTFOUND'))),
      { kind: 'proxy-unreachable', proxy: PROXY, code: 'ENOTFOUND' },
    ],
    [
      'a proxy that times out (undici names it)',
      fetchFailed(
        new ProxyConnectError(PROXY, Object.assign(new Error('x'), { name: 'ConnectTimeoutError' })),
      ),
      { kind: 'proxy-unreachable', proxy: PROXY, code: 'ConnectTimeoutError' },
    ],
    [
      'a proxy failure whose cause names nothing',
      fetchFailed(new ProxyConnectError(PROXY, new Error('who knows'))),
      { kind: 'proxy-unreachable', proxy: PROXY, code: 'connection failed' },
    ],
    [
      'a cause code that is not an identifier is not echoed',
      fetchFailed(new ProxyConnectError(PROXY, coded('::error::forged'))),
      { kind: 'proxy-unreachable', proxy: PROXY, code: 'connection failed' },
    ],
    [
      'a proxy error from another realm (duck-typed)',
      fetchFailed({ name: 'ProxyRefusedError', proxy: PROXY, status: 407 }),
      { kind: 'proxy-refused', proxy: PROXY, status: 407 },
    ],
    ['a reset connection', fetchFailed(coded('ECONNRESET')), undefined],
    ['a TLS handshake failure that is not about the certificate', fetchFailed(coded('EPROTO')), undefined],
    ['an HTTP answer', new DropboxResponseError(503, new Headers(), ''), undefined],
    ['an abort', new DOMException('aborted', 'AbortError'), undefined],
    ['nothing at all', undefined, undefined],
    ['a string', 'SELF_SIGNED_CERT_IN_CHAIN', undefined],
  ])('%s', (_name, error, expected) => {
    expect(classifyConnectionFailure(error)).toEqual(expected);
  });

  test('a cyclic cause chain ends', () => {
    const error = coded('ECONNRESET');
    (error as { cause?: unknown }).cause = error;
    expect(classifyConnectionFailure(error)).toBeUndefined();
  });

  test('tlsCertificateCode finds the code at any depth', () => {
    expect(tlsCertificateCode(new Error('a', { cause: fetchFailed(coded('CERT_REVOKED')) }))).toBe(
      'CERT_REVOKED',
    );
    expect(tlsCertificateCode(fetchFailed(coded('ECONNRESET')))).toBeUndefined();
  });
});

describe('isPermanentConnectionFailure: what retrying cannot fix', () => {
  test.each<[string, unknown, boolean]>([
    ['an untrusted certificate', fetchFailed(coded('SELF_SIGNED_CERT_IN_CHAIN')), true],
    ['a hostname mismatch', fetchFailed(coded('ERR_TLS_CERT_ALTNAME_INVALID')), true],
    ['407', fetchFailed(new ProxyRefusedError(PROXY, 407)), true],
    ['a CONNECT refused with 403', fetchFailed(new ProxyRefusedError(PROXY, 403)), true],
    [
      'a CONNECT answered 502 (the proxy could not reach Dropbox)',
      fetchFailed(new ProxyRefusedError(PROXY, 502)),
      false,
    ],
    ['an unreachable proxy', fetchFailed(new ProxyConnectError(PROXY, coded('ECONNREFUSED'))), false],
    ['a plain network failure', fetchFailed(coded('ECONNRESET')), false],
    ['an HTTP 500', new DropboxResponseError(500, new Headers(), ''), false],
  ])('%s: %s', (_name, error, permanent) => {
    expect(isPermanentConnectionFailure(error)).toBe(permanent);
  });
});

describe('explainConnectionFailure', () => {
  test.each<[string, unknown, string, string[]]>([
    [
      'an unknown CA',
      fetchFailed(coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE')),
      connectionFailureTitles.tlsCertificate,
      [
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        'NODE_EXTRA_CA_CERTS',
        '--use-system-ca',
        'Retrying cannot fix this',
      ],
    ],
    [
      'a self-signed CA in the chain',
      fetchFailed(coded('SELF_SIGNED_CERT_IN_CHAIN')),
      connectionFailureTitles.tlsCertificate,
      ['SELF_SIGNED_CERT_IN_CHAIN', 'TLS-inspecting proxy', 'NODE_EXTRA_CA_CERTS'],
    ],
    [
      'a self-signed leaf',
      fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT')),
      connectionFailureTitles.tlsCertificate,
      ['DEPTH_ZERO_SELF_SIGNED_CERT: it is self-signed', 'NODE_EXTRA_CA_CERTS'],
    ],
    [
      'a hostname mismatch',
      fetchFailed(coded('ERR_TLS_CERT_ALTNAME_INVALID')),
      connectionFailureTitles.tlsCertificate,
      [
        'ERR_TLS_CERT_ALTNAME_INVALID',
        'api.dropboxapi.com',
        'NODE_EXTRA_CA_CERTS',
        'does not fix a name mismatch',
      ],
    ],
    [
      'an expired certificate',
      fetchFailed(coded('CERT_HAS_EXPIRED')),
      connectionFailureTitles.tlsCertificate,
      ['CERT_HAS_EXPIRED: it has expired', "runner's clock"],
    ],
    [
      "the proxy's own certificate",
      fetchFailed(new ProxyConnectError(PROXY, coded('SELF_SIGNED_CERT_IN_CHAIN'))),
      connectionFailureTitles.tlsCertificate,
      ['of the proxy http://proxy.corp:3128 (HTTPS_PROXY)', 'NODE_EXTRA_CA_CERTS'],
    ],
    [
      '407',
      fetchFailed(new ProxyRefusedError(PROXY, 407)),
      connectionFailureTitles.proxyAuthentication,
      ['http://proxy.corp:3128 (HTTPS_PROXY)', '407 Proxy Authentication Required', 'USER:PASSWORD@'],
    ],
    [
      'a refused CONNECT',
      fetchFailed(new ProxyRefusedError(PROXY, 403)),
      connectionFailureTitles.proxyFailed,
      ['HTTP 403', 'content.dropboxapi.com', 'NO_PROXY'],
    ],
    [
      'a CONNECT answered 503',
      fetchFailed(new ProxyRefusedError(PROXY, 503)),
      connectionFailureTitles.proxyFailed,
      ['HTTP 503', 'retries are exhausted'],
    ],
    [
      'an unreachable proxy',
      fetchFailed(new ProxyConnectError(PROXY, coded('ECONNREFUSED'))),
      connectionFailureTitles.proxyFailed,
      ['(ECONNREFUSED)', 'http://proxy.corp:3128 (HTTPS_PROXY)', 'NO_PROXY'],
    ],
  ])('%s', (_name, error, title, says) => {
    const explanation = explainConnectionFailure(error);
    expect(explanation?.title).toBe(title);
    expect(explanation?.scope).toBe('run');
    for (const words of says) expect(explanation?.message).toContain(words);
    expect(explanation?.message).toContain(`README's "Self-hosted runners" section`);
  });

  test('anything else is left to the other explanations', () => {
    expect(explainConnectionFailure(fetchFailed(coded('ECONNRESET')))).toBeUndefined();
  });
});
