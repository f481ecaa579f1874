/**
 * A certificate Node.js did not trust, or a proxy that failed: what it means and how to fix it, for
 * self-hosted runners behind inspecting proxies and private certificate authorities.
 */
import type { Explanation } from '../../model.ts';
import { classifyConnectionFailure, HOSTNAME_CODES, VALIDITY_CODES } from '../connection-failure.ts';
import { titles, type ExplanationTitle } from './titles.ts';

const SELF_HOSTED = `See the README's "Self-hosted runners" section.`;
const DROPBOX_HOSTS = 'api.dropboxapi.com and content.dropboxapi.com';

/** The explanation of a certificate or proxy failure; undefined when `error` is neither. */
export function explainConnectionFailure(error: unknown): Explanation | undefined {
  const failure = classifyConnectionFailure(error);
  if (failure === undefined) return undefined;
  switch (failure.kind) {
    case 'tls-certificate':
      return explainTlsFailure(failure.code, failure.proxy);
    case 'proxy-refused':
      return explainProxyRefused(failure.proxy, failure.status);
    case 'proxy-unreachable':
      return explainProxyUnreachable(failure.proxy, failure.code);
  }
}

/** Run-wide: every request takes the same path, so one that fails this way means all do. */
function runWide(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'run' };
}

function certificateMeaning(code: string): string {
  switch (code) {
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return 'its issuer is not a certificate authority Node.js trusts';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'it is signed by a certificate authority Node.js does not know';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'its chain ends in a self-signed certificate authority Node.js does not trust';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'it is self-signed';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return 'it was issued for another host name';
    case 'CERT_HAS_EXPIRED':
      return 'it has expired';
    case 'CERT_NOT_YET_VALID':
      return 'it is not valid yet';
    case 'CERT_REVOKED':
      return 'it was revoked';
    default:
      return 'Node.js could not verify it';
  }
}

const TRUST_THE_CA =
  "Give Node.js that authority's certificate: set NODE_EXTRA_CA_CERTS to the path of its PEM file in " +
  "the step's or the job's env (or, when the authority is installed in the runner's system trust store, " +
  'set NODE_OPTIONS to --use-system-ca).';

/**
 * A certificate Node.js rejected. `proxy` names an `https://` proxy whose own certificate it was;
 * otherwise the certificate came from whatever answered for Dropbox.
 */
export function explainTlsFailure(code: string, proxy?: string): Explanation {
  const what = `${code}: ${certificateMeaning(code)}`;
  const retry = 'Retrying cannot fix this, so the run stopped.';
  if (proxy !== undefined) {
    return runWide(
      titles.tlsCertificate,
      `Node.js did not trust the TLS certificate of the proxy ${proxy} (${what}). ${retry} If a private ` +
        `certificate authority signed the proxy's certificate, ${lowerFirst(TRUST_THE_CA)} Or use the ` +
        `proxy's http:// address, if it has one. ${SELF_HOSTED}`,
    );
  }
  if (HOSTNAME_CODES.has(code)) {
    return runWide(
      titles.tlsCertificate,
      `Node.js did not trust the TLS certificate presented for Dropbox (${what}). ${retry} Something ` +
        `between the runner and Dropbox answers in its place: a TLS-inspecting proxy or firewall that does ` +
        `not issue certificates for ${DROPBOX_HOSTS}, or DNS that sends those names elsewhere. Ask the ` +
        "network's administrators to exempt those hosts from inspection. NODE_EXTRA_CA_CERTS, which makes " +
        `Node.js trust a private certificate authority, does not fix a name mismatch. ${SELF_HOSTED}`,
    );
  }
  if (VALIDITY_CODES.has(code)) {
    return runWide(
      titles.tlsCertificate,
      `Node.js did not trust the TLS certificate presented for Dropbox (${what}). ${retry} Check the ` +
        "runner's clock first. If a TLS-inspecting proxy or firewall presents the certificate, its " +
        'administrators must renew it; when it is signed by a private certificate authority, NODE_EXTRA_CA_CERTS ' +
        `must point to that authority's current certificate. ${SELF_HOSTED}`,
    );
  }
  return runWide(
    titles.tlsCertificate,
    `Node.js did not trust the TLS certificate presented for Dropbox (${what}). ${retry} Something ` +
      'between the runner and Dropbox presents its own certificate: most often a TLS-inspecting proxy or ' +
      `firewall whose certificates a private certificate authority signs. ${TRUST_THE_CA} ${SELF_HOSTED}`,
  );
}

export function explainProxyRefused(proxy: string, status: number): Explanation {
  if (status === 407) {
    return runWide(
      titles.proxyAuthentication,
      `The proxy ${proxy} answered 407 Proxy Authentication Required: it wants a user name and password ` +
        'that it did not get, or did not accept. Put them in the proxy URL, http://USER:PASSWORD@host:port ' +
        '(percent-encode @, : and / in them as %40, %3A and %2F), set from a secret. Only Basic proxy ' +
        `authentication is supported. ${SELF_HOSTED}`,
    );
  }
  if (status >= 500) {
    return runWide(
      titles.proxyFailed,
      `The proxy ${proxy} could not open a connection to Dropbox (it answered the CONNECT request with ` +
        `HTTP ${status}) on every attempt, so the retries are exhausted. The proxy cannot reach ` +
        `${DROPBOX_HOSTS} on port 443: ask its administrators, or check https://status.dropbox.com, then ` +
        `re-run the job. ${SELF_HOSTED}`,
    );
  }
  return runWide(
    titles.proxyFailed,
    `The proxy ${proxy} refused to open a connection to Dropbox (it answered the CONNECT request with ` +
      `HTTP ${status}). Ask its administrators to allow HTTPS (CONNECT to port 443) to ${DROPBOX_HOSTS}; ` +
      `or, if the runner can reach Dropbox directly, list those hosts in NO_PROXY. ${SELF_HOSTED}`,
  );
}

export function explainProxyUnreachable(proxy: string, code: string): Explanation {
  return runWide(
    titles.proxyFailed,
    `Could not connect through the proxy ${proxy} (${code}) on every attempt, so the retries are ` +
      "exhausted. Check the variable's host and port, and that the proxy runs and the runner can reach it. " +
      'If the runner needs no proxy for Dropbox, unset the variable, or list ' +
      `${DROPBOX_HOSTS} in NO_PROXY. ${SELF_HOSTED}`,
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
