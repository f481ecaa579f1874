/** Sends every fetch of the process through the proxy the environment names, with @actions/http-client's rules. */
import { Agent, Dispatcher, Pool, ProxyAgent, setGlobalDispatcher, type buildConnector } from 'undici';
import { ProxyConnectError, ProxyRefusedError, tlsCertificateCode } from './connection-failure.ts';

/** The environment variables read here; a plain object so that tests need not touch process.env. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** The proxy a request goes through, and the variable that named it. */
export interface ProxyChoice {
  /** The proxy URL, credentials included when the variable had them. */
  url: URL;
  variable: 'https_proxy' | 'HTTPS_PROXY' | 'http_proxy' | 'HTTP_PROXY';
}

/**
 * True when a request to `target` goes direct: a loopback host, or a `NO_PROXY` entry that matches.
 * The toolkit's rules (http-client `checkBypass`): `no_proxy` wins over `NO_PROXY`; entries are
 * comma-separated and case-insensitive; `*` matches everything; an entry matches the host itself, any
 * subdomain of it (`example.com` and `.example.com` both match `api.example.com`), or `host:port`
 * with the request's port (80 or 443 when the URL gives none).
 */
export function bypassesProxy(target: URL, env: ProxyEnvironment): boolean {
  if (target.hostname === '') return false;
  if (isLoopbackHost(target.hostname)) return true;
  const noProxy = env['no_proxy'] || env['NO_PROXY'] || '';
  if (noProxy === '') return false;
  const port = target.port !== '' ? target.port : defaultPort(target.protocol);
  const host = target.hostname.toUpperCase();
  const candidates = port === undefined ? [host] : [host, `${host}:${port}`];
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => entry !== '')
    .some(
      (entry) =>
        entry === '*' ||
        candidates.some(
          (candidate) =>
            candidate === entry ||
            candidate.endsWith(`.${entry}`) ||
            (entry.startsWith('.') && candidate.endsWith(entry)),
        ),
    );
}

/**
 * The proxy for a request to `target`, or undefined to go direct. `https:` requests read
 * `https_proxy` then `HTTPS_PROXY`; everything else `http_proxy` then `HTTP_PROXY` (the toolkit does
 * not fall back from one scheme's variables to the other's). A value without a scheme is taken as
 * `http://`; a value that is not an http or https proxy URL is ignored.
 */
export function proxyFor(target: URL, env: ProxyEnvironment): ProxyChoice | undefined {
  if (bypassesProxy(target, env)) return undefined;
  const names =
    target.protocol === 'https:'
      ? (['https_proxy', 'HTTPS_PROXY'] as const)
      : (['http_proxy', 'HTTP_PROXY'] as const);
  const set = firstSet(env, names);
  if (set === undefined) return undefined;
  const url = parseProxyUrl(set.value);
  return url === undefined ? undefined : { url, variable: set.name };
}

/** The first of `names` set to a non-empty value: the toolkit's `a || b`. */
function firstSet<Name extends string>(
  env: ProxyEnvironment,
  names: readonly Name[],
): { name: Name; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** A proxy URL fit for a log line: scheme, host and port, never the user name or password. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * What the process does with proxies, for one log line at start-up: which proxy each scheme uses and
 * what `NO_PROXY` exempts. Undefined when no proxy variable is set.
 */
export function describeProxySettings(env: ProxyEnvironment): string | undefined {
  const parts: string[] = [];
  for (const [scheme, names] of [
    ['https', ['https_proxy', 'HTTPS_PROXY']],
    ['http', ['http_proxy', 'HTTP_PROXY']],
  ] as const) {
    const set = firstSet(env, names);
    if (set === undefined) continue;
    const url = parseProxyUrl(set.value);
    parts.push(
      url === undefined
        ? `${set.name} is not an http:// or https:// proxy URL and is ignored`
        : `${scheme} requests go through ${describeProxy(url)} (${set.name})`,
    );
  }
  if (parts.length === 0) return undefined;
  const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
  const exempt =
    noProxy === undefined
      ? 'loopback hosts go direct'
      : `loopback hosts and ${noProxy.name} (${noProxy.value.trim()}) go direct`;
  return `Proxy: ${parts.join('; ')}; ${exempt}.`;
}

/**
 * Routes each request by its origin: through a proxy `ProxyAgent` (a CONNECT tunnel, as the toolkit
 * tunnels) or straight to the host. The choice is made once per origin and kept.
 */
export class ProxyRouter extends Dispatcher {
  private readonly env: ProxyEnvironment;
  private readonly direct = new Agent();
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly routes = new Map<string, Dispatcher>();

  constructor(env: ProxyEnvironment) {
    super();
    this.env = { ...env };
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.routeFor(String(options.origin ?? '')).dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.direct.destroy(), ...[...this.proxies.values()].map((agent) => agent.destroy())]);
  }

  private routeFor(origin: string): Dispatcher {
    const known = this.routes.get(origin);
    if (known !== undefined) return known;
    let choice: ProxyChoice | undefined;
    try {
      choice = proxyFor(new URL(origin), this.env);
    } catch {
      choice = undefined;
    }
    const route = choice === undefined ? this.direct : this.proxyAgent(choice);
    this.routes.set(origin, route);
    return route;
  }

  private proxyAgent({ url, variable }: ProxyChoice): ProxyAgent {
    const known = this.proxies.get(url.href);
    if (known !== undefined) return known;
    const label = `${describeProxy(url)} (${variable})`;
    const agent = new ProxyAgent({
      uri: describeProxy(url),
      ...(url.username !== '' || url.password !== ''
        ? {
            token: `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64')}`,
          }
        : {}),
      // The connection to the proxy itself: any failure there is the proxy's, its certificate included.
      clientFactory: (proxyOrigin, options) =>
        new Pool(proxyOrigin, {
          ...options,
          connect: wrapConnector(options, (error) => proxyFailure(error, label)),
        }),
      // Every other connection is a tunnel through the proxy; failing to open one is the proxy's problem too.
      factory: (origin, options) =>
        new Pool(origin, {
          ...options,
          connect: wrapConnector(options, (error) => tunnelFailure(error, label)),
        }),
    });
    this.proxies.set(url.href, agent);
    return agent;
  }
}

let installed: ProxyRouter | undefined;

/**
 * Makes Node's global fetch (the SDK's calls, the token refresh and the streamed uploads all use it)
 * honour `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. Call once at start-up, before the first request.
 * Does nothing, and returns undefined, when no proxy variable is set; otherwise returns the log line
 * of describeProxySettings. Calling it again changes nothing.
 */
export function installProxyFromEnvironment(env: ProxyEnvironment = process.env): string | undefined {
  const description = describeProxySettings(env);
  if (description === undefined) return undefined;
  if (installed === undefined) {
    installed = new ProxyRouter(env);
    setGlobalDispatcher(installed);
  }
  return description;
}

/**
 * The toolkit's reading, with its evident intent kept for `host:port`: a value without a scheme is
 * an `http://` proxy (URL parsing alone would take `proxy.corp:3128` as a scheme named `proxy.corp`,
 * which the toolkit then silently ignores). Only http and https proxies are used.
 */
function parseProxyUrl(value: string): URL | undefined {
  const trimmed = value.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `http://${trimmed}`);
  } catch {
    return undefined;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.startsWith('127.') ||
    host.startsWith('[::1]') ||
    host.startsWith('[0:0:0:0:0:0:0:1]')
  );
}

function defaultPort(protocol: string): string | undefined {
  if (protocol === 'http:') return '80';
  if (protocol === 'https:') return '443';
  return undefined;
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** A pool's connector (undici passes it in the pool options) with its failures renamed by `rename`. */
function wrapConnector(
  options: object,
  rename: (error: Error) => Error,
): buildConnector.connector | undefined {
  const connect = (options as { connect?: unknown }).connect;
  if (typeof connect !== 'function') return undefined;
  const inner = connect as buildConnector.connector;
  return (connectOptions, callback) =>
    inner(connectOptions, (...result) =>
      result[0] === null ? callback(...result) : callback(rename(result[0]), null),
    );
}

function proxyFailure(error: Error, label: string): Error {
  return error instanceof ProxyConnectError ? error : new ProxyConnectError(label, error);
}

/**
 * Why a tunnel did not open. undici reports a CONNECT the proxy answered with anything but 200 as an
 * AbortError that only its message tells apart (so it would pass for a deliberate abort); a
 * certificate the target presented through the tunnel is the target's problem and passes as it is.
 */
function tunnelFailure(error: Error, label: string): Error {
  if (error instanceof ProxyConnectError || tlsCertificateCode(error) !== undefined) return error;
  const refused = /Proxy response \((\d{3})\) !== 200/.exec(error.message);
  if (refused) return new ProxyRefusedError(label, Number(refused[1]));
  // A request aborted while its tunnel opened (cancellation, request-timeout) stays an abort.
  if (error.name === 'AbortError') return error;
  return new ProxyConnectError(label, error);
}
