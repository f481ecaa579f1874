/** The hosts the Dropbox SDKs talk to; everything else passes through untouched. */
export const DROPBOX_HOSTS: readonly string[] = [
  'api.dropboxapi.com',
  'content.dropboxapi.com',
  'api.dropbox.com',
];

/** `https://content.dropboxapi.com/2/files/upload?x` → `<base>/2/files/upload?x`; undefined for other hosts. */
export function rewriteDropboxUrl(url: string | URL, base: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || !DROPBOX_HOSTS.includes(parsed.hostname)) return undefined;
  return `${base.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}

/**
 * A fetch that sends Dropbox traffic to `base` instead, keeping method, headers, body (streams too),
 * and signal. Accepts a string, a URL or a Request, like fetch itself.
 */
export function createRedirectFetch(base: string, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (typeof input === 'string' || input instanceof URL) {
      return inner(rewriteDropboxUrl(input, base) ?? input, init);
    }
    const target = rewriteDropboxUrl(input.url, base);
    if (target === undefined) return inner(input, init);
    const fromRequest: RequestInit = {
      method: input.method,
      headers: input.headers,
      signal: input.signal,
      redirect: input.redirect,
    };
    if (input.body !== null) {
      fromRequest.body = input.body;
      fromRequest.duplex = 'half';
    }
    return inner(target, { ...fromRequest, ...init });
  };
}
