/**
 * Names a TLS certificate failure or a proxy failure in whatever fetch threw, and says whether
 * retrying can help. explain/connection-errors.ts words it; proxy.ts labels proxies without credentials.
 */
import { isRecord } from './error-body.ts';

/** The connection to the proxy, or the tunnel through it, failed before the proxy answered the CONNECT. */
export class ProxyConnectError extends Error {
  /** The proxy without credentials and the variable that named it, e.g. `http://proxy:3128 (HTTPS_PROXY)`. */
  readonly proxy: string;

  constructor(proxy: string, cause: Error) {
    super(`Could not open a connection through the proxy ${proxy}`, { cause });
    this.name = 'ProxyConnectError';
    this.proxy = proxy;
  }
}

/** The proxy answered the CONNECT request with a status other than 200. */
export class ProxyRefusedError extends Error {
  readonly proxy: string;
  readonly status: number;

  constructor(proxy: string, status: number) {
    super(`The proxy ${proxy} answered the CONNECT request with HTTP ${status}`);
    this.name = 'ProxyRefusedError';
    this.proxy = proxy;
    this.status = status;
  }
}

export type ConnectionFailure =
  /** `proxy` is set when the certificate was the proxy's own (an `https://` proxy URL). */
  | { kind: 'tls-certificate'; code: string; proxy?: string }
  | { kind: 'proxy-refused'; proxy: string; status: number }
  | { kind: 'proxy-unreachable'; proxy: string; code: string };

/**
 * OpenSSL's certificate verification results as Node.js reports them (the `code` of the error), and
 * Node's own hostname check. A TLS handshake that fails for another reason (EPROTO, a reset) is a
 * network failure, not one of these.
 */
const TLS_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export const HOSTNAME_CODES: ReadonlySet<string> = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);
export const VALIDITY_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/** Deeper than fetch, the SDK and our own wrappers nest causes; a guard against a cyclic chain. */
const MAX_DEPTH = 8;

/** The errors in the chain, outermost first: each `cause`, and the `errors` of an AggregateError. */
function chainOf(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && isRecord(current); depth += 1) {
    chain.push(current);
    const { errors } = current;
    if (Array.isArray(errors)) chain.push(...errors.filter(isRecord));
    current = current['cause'];
  }
  return chain;
}

/** The certificate error code anywhere in the chain (`SELF_SIGNED_CERT_IN_CHAIN`, …), if any. */
export function tlsCertificateCode(error: unknown): string | undefined {
  for (const link of chainOf(error)) {
    const { code } = link;
    if (typeof code === 'string' && TLS_CERTIFICATE_CODES.has(code)) return code;
  }
  return undefined;
}

/** Duck-typed like the rest of the error reading: the error may come from another realm or bundle copy. */
function proxyOf(link: Record<string, unknown>, name: string): string | undefined {
  return link['name'] === name && typeof link['proxy'] === 'string' ? link['proxy'] : undefined;
}

/**
 * What went wrong with the connection, when it is a certificate or a proxy problem; undefined for
 * anything else (an HTTP answer, a plain network failure, a local error). Pure.
 */
export function classifyConnectionFailure(error: unknown): ConnectionFailure | undefined {
  let throughProxy: string | undefined;
  let belowProxy: string | undefined;
  for (const link of chainOf(error)) {
    const refusedBy = proxyOf(link, 'ProxyRefusedError');
    if (refusedBy !== undefined && typeof link['status'] === 'number') {
      return { kind: 'proxy-refused', proxy: refusedBy, status: link['status'] };
    }
    throughProxy ??= proxyOf(link, 'ProxyConnectError');
    const { code, name } = link;
    if (typeof code === 'string' && TLS_CERTIFICATE_CODES.has(code)) {
      return {
        kind: 'tls-certificate',
        code,
        ...(throughProxy === undefined ? {} : { proxy: throughProxy }),
      };
    }
    if (throughProxy !== undefined && belowProxy === undefined && link['name'] !== 'ProxyConnectError') {
      belowProxy = safeCode(code) ?? safeCode(name);
    }
  }
  if (throughProxy === undefined) return undefined;
  return { kind: 'proxy-unreachable', proxy: throughProxy, code: belowProxy ?? 'connection failed' };
}

/**
 * True when another attempt cannot succeed: a certificate that is not trusted, or a proxy that
 * refused the tunnel with a 4XX (407 wants credentials, 403 forbids the host). A proxy that cannot be
 * reached, or answers 5XX (it could not reach Dropbox), may recover, so those are retried.
 */
export function isPermanentConnectionFailure(error: unknown): boolean {
  const failure = classifyConnectionFailure(error);
  if (failure === undefined) return false;
  if (failure.kind === 'tls-certificate') return true;
  return failure.kind === 'proxy-refused' && failure.status < 500;
}

/** Only identifier-like codes are echoed; anything else could be arbitrary text. */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_]{1,63}$/.test(value) && value !== 'Error'
    ? value
    : undefined;
}
