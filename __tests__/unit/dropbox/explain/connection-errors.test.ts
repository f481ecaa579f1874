/**
 * How a certificate Node.js did not trust, or a failed proxy, is explained: run-wide, naming the code or
 * the proxy, and the fix that applies to that case (NODE_EXTRA_CA_CERTS, the clock, credentials, NO_PROXY).
 */
import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import { ProxyConnectError, ProxyRefusedError } from '../../../../src/dropbox/connection-failure.ts';
import {
  explainConnectionFailure,
  explainProxyRefused,
  explainProxyUnreachable,
  explainTlsFailure,
} from '../../../../src/dropbox/explain/connection-errors.ts';
import { titles as connectionFailureTitles } from '../../../../src/dropbox/explain/titles.ts';

const PROXY = 'http://proxy.corp:3128 (HTTPS_PROXY)';
const SELF_HOSTED = `README's "Self-hosted runners" section`;

/** What Node's fetch throws: a TypeError whose cause is the socket's or TLS's error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

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

  test.each<[string, unknown]>([
    ['a reset connection', fetchFailed(coded('ECONNRESET'))],
    ['an HTTP answer', new DropboxResponseError(503, new Headers(), '')],
    ['an abort', new DOMException('aborted', 'AbortError')],
    ['nothing at all', undefined],
  ])('%s is left to the other explanations', (_name, error) => {
    expect(explainConnectionFailure(error)).toBeUndefined();
  });
});

describe('explainTlsFailure', () => {
  test.each<[string, string, string[]]>([
    [
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'its issuer is not a certificate authority Node.js trusts',
      ['NODE_EXTRA_CA_CERTS', '--use-system-ca'],
    ],
    [
      'UNABLE_TO_GET_ISSUER_CERT',
      'its issuer is not a certificate authority Node.js trusts',
      ['NODE_EXTRA_CA_CERTS'],
    ],
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'it is signed by a certificate authority Node.js does not know',
      ['NODE_EXTRA_CA_CERTS'],
    ],
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'its chain ends in a self-signed certificate authority Node.js does not trust',
      ['TLS-inspecting proxy'],
    ],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'it is self-signed', ['NODE_EXTRA_CA_CERTS']],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'it was issued for another host name',
      ['does not fix a name mismatch', 'api.dropboxapi.com and content.dropboxapi.com'],
    ],
    ['HOSTNAME_MISMATCH', 'it was issued for another host name', ['does not fix a name mismatch', 'DNS']],
    ['CERT_HAS_EXPIRED', 'it has expired', ["runner's clock", 'renew it']],
    ['CERT_NOT_YET_VALID', 'it is not valid yet', ["runner's clock"]],
    ['ERROR_IN_CERT_NOT_BEFORE_FIELD', 'Node.js could not verify it', ["runner's clock"]],
    ['CERT_REVOKED', 'it was revoked', ['NODE_EXTRA_CA_CERTS']],
    ['CERT_UNTRUSTED', 'Node.js could not verify it', ['NODE_EXTRA_CA_CERTS', '--use-system-ca']],
  ])('%s', (code, meaning, says) => {
    const explanation = explainTlsFailure(code);
    expect(explanation.title).toBe(connectionFailureTitles.tlsCertificate);
    expect(explanation.scope).toBe('run');
    expect(explanation.message).toContain(`certificate presented for Dropbox (${code}: ${meaning})`);
    expect(explanation.message).toContain('Retrying cannot fix this, so the run stopped.');
    for (const words of says) expect(explanation.message).toContain(words);
    expect(explanation.message).toContain(SELF_HOSTED);
  });

  test.each(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'])(
    'a name mismatch (%s) is not sent to NODE_EXTRA_CA_CERTS as the fix',
    (code) => {
      expect(explainTlsFailure(code).message).not.toContain('set NODE_EXTRA_CA_CERTS to the path');
    },
  );

  test.each(['SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED'])(
    "the proxy's own certificate (%s) names the proxy and its http:// address as a way out",
    (code) => {
      const explanation = explainTlsFailure(code, PROXY);
      expect(explanation.title).toBe(connectionFailureTitles.tlsCertificate);
      expect(explanation.scope).toBe('run');
      expect(explanation.message).toContain(`TLS certificate of the proxy ${PROXY} (${code}:`);
      expect(explanation.message).toContain(
        "give Node.js that authority's certificate: set NODE_EXTRA_CA_CERTS",
      );
      expect(explanation.message).toContain("proxy's http:// address");
      expect(explanation.message).not.toContain('presented for Dropbox');
      expect(explanation.message).toContain(SELF_HOSTED);
    },
  );
});

describe('explainProxyRefused', () => {
  test.each<[number, string, string[], string[]]>([
    [
      407,
      connectionFailureTitles.proxyAuthentication,
      ['407 Proxy Authentication Required', 'USER:PASSWORD@', 'Basic'],
      [],
    ],
    [
      403,
      connectionFailureTitles.proxyFailed,
      ['refused to open a connection', 'HTTP 403', 'NO_PROXY'],
      ['retries are exhausted'],
    ],
    [
      404,
      connectionFailureTitles.proxyFailed,
      ['HTTP 404', 'CONNECT to port 443'],
      ['retries are exhausted'],
    ],
    [
      500,
      connectionFailureTitles.proxyFailed,
      ['HTTP 500', 'retries are exhausted', 'status.dropbox.com'],
      ['NO_PROXY'],
    ],
    [502, connectionFailureTitles.proxyFailed, ['HTTP 502', 'retries are exhausted'], []],
    [503, connectionFailureTitles.proxyFailed, ['HTTP 503', 'could not open a connection to Dropbox'], []],
  ])('HTTP %i', (status, title, says, doesNotSay) => {
    const explanation = explainProxyRefused(PROXY, status);
    expect(explanation.title).toBe(title);
    expect(explanation.scope).toBe('run');
    expect(explanation.message).toContain(`The proxy ${PROXY}`);
    for (const words of says) expect(explanation.message).toContain(words);
    for (const words of doesNotSay) expect(explanation.message).not.toContain(words);
    expect(explanation.message).toContain(SELF_HOSTED);
  });
});

describe('explainProxyUnreachable', () => {
  test.each(['ECONNREFUSED', 'ENOTFOUND', 'ConnectTimeoutError', 'connection failed'])('%s', (code) => {
    const explanation = explainProxyUnreachable(PROXY, code);
    expect(explanation.title).toBe(connectionFailureTitles.proxyFailed);
    expect(explanation.scope).toBe('run');
    expect(explanation.message).toContain(`through the proxy ${PROXY} (${code})`);
    expect(explanation.message).toContain('NO_PROXY');
    expect(explanation.message).toContain(SELF_HOSTED);
  });
});
