import { FakeDropbox, type FakeDropboxOptions } from '../../fake-dropbox/index.ts';
import { createRedirectFetch } from '../../fake-dropbox/redirect-fetch.ts';
import { DropboxApi } from '../../src/dropbox/client.ts';
import { TokenSource } from '../../src/dropbox/credentials.ts';
import type { Credentials } from '../../src/model.ts';

export const APP = { key: 'test-app-key', secret: 'test-app-secret' };

const unredirectedFetch = globalThis.fetch;

/**
 * Points this process's global fetch at a fake Dropbox: the same redirection the end-to-end runs
 * preload into the bundled action. The SDK binds fetch when its auth object is made, so connect()
 * after this.
 */
export function routeDropboxTo(server: FakeDropbox): void {
  globalThis.fetch = createRedirectFetch(server.url, unredirectedFetch);
}

export async function startFakeDropbox(options: FakeDropboxOptions = {}): Promise<FakeDropbox> {
  const server = await FakeDropbox.start(options);
  server.registerApp(APP);
  routeDropboxTo(server);
  return server;
}

export function refreshCredentials(server: FakeDropbox, scopes?: string[]): Credentials {
  return {
    kind: 'refresh-token',
    refreshToken: server.issueRefreshToken({ appKey: APP.key, ...(scopes ? { scopes } : {}) }),
    appKey: APP.key,
    appSecret: APP.secret,
    accessTokenIgnored: false,
  };
}

export interface Connection {
  api: DropboxApi;
  tokens: TokenSource;
  masked: string[];
  retryLines: string[];
}

export function connect(credentials: Credentials, maxAttempts = 5): Connection {
  const masked: string[] = [];
  const retryLines: string[] = [];
  const tokens = new TokenSource(credentials, { mask: (secret) => masked.push(secret) });
  const api = new DropboxApi(tokens, {
    maxAttempts,
    // Fast, deterministic backoff; Retry-After from the server still applies as sent.
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    onRetry: (line) => retryLines.push(line),
  });
  return { api, tokens, masked, retryLines };
}
