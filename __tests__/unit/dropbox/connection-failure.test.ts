import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
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
