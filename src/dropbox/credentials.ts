/** The run's access token: minted from the refresh token, shared by every request, renewed before it expires. */
import { DropboxAuth, DropboxResponseError } from 'dropbox';
import { abortReason } from '../cancellation.ts';
import type { Credentials } from '../model.ts';
import { isRecord } from './error-body.ts';

/** Where the refresh grant goes [dropbox-api.md, "OAuth token endpoint"]. */
export const TOKEN_URL = 'https://api.dropboxapi.com/oauth2/token';

/**
 * How long before its expiry a token is renewed: a tenth of its lifetime, at most 5 minutes (what
 * the SDK uses for Dropbox's 4-hour tokens). A fixed margin longer than the lifetime would renew the
 * token before every request; a proportional one renews it once per lifetime, whatever the lifetime.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(lifetimeMs / 10, 5 * 60 * 1000);
}

/**
 * The token endpoint answered 200 with something that is not a usable grant: not JSON (a captive
 * portal's page, a truncated body), no access token, or one that cannot go into a header. Likely a
 * passing fault of something on the way, so it is retried; `detail` describes the answer's shape and
 * never quotes it (it may hold a token).
 */
export class TokenAnswerError extends Error {
  readonly detail: string;

  constructor(detail: string) {
    super(`Dropbox's token endpoint answered the token refresh with ${detail}`);
    this.name = 'TokenAnswerError';
    this.detail = detail;
  }
}

export interface TokenSourceOptions {
  /** Called with every credential and minted token before it can reach a request or a log line. */
  mask: (secret: string) => void;
  now?: () => number;
}

interface RefreshCredentials {
  refreshToken: string;
  appKey: string;
  appSecret?: string;
}

/** One token request in flight, shared by everyone who needs a token meanwhile. */
interface SharedRefresh {
  done: Promise<void>;
  controller: AbortController;
  /** Callers still waiting for it; when the last one gives up, the request is abandoned. */
  waiters: number;
}

/** An access token may only hold visible ASCII: it goes into an `Authorization` header. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

/**
 * Owns the access token that every request of the run presents.
 *
 * The SDK's own refresh takes no abort signal and would start one refresh per request near the
 * expiry. Here the SDK client's auth never holds a refresh token: this class makes the refresh request
 * itself, with the signal of the attempt that needs it, so that request-timeout and cancellation end
 * it like any other request; concurrent callers share one refresh in flight.
 */
export class TokenSource {
  /** The auth object the SDK client reads its Bearer token from. */
  readonly clientAuth: DropboxAuth;
  private readonly refreshWith: RefreshCredentials | undefined;
  private readonly mask: (secret: string) => void;
  private readonly now: () => number;
  /** When the current token should be replaced; -Infinity when there is none or it was refused. */
  private renewAtMs = Number.NEGATIVE_INFINITY;
  private inFlight: SharedRefresh | undefined;
  private refreshCount = 0;

  constructor(credentials: Credentials, options: TokenSourceOptions) {
    this.mask = options.mask;
    this.now = options.now ?? Date.now;
    if (credentials.kind === 'access-token') {
      this.mask(credentials.accessToken);
      this.clientAuth = new DropboxAuth({ accessToken: credentials.accessToken });
      this.refreshWith = undefined;
    } else {
      this.mask(credentials.refreshToken);
      this.mask(credentials.appKey);
      if (credentials.appSecret !== undefined) this.mask(credentials.appSecret);
      this.clientAuth = new DropboxAuth({});
      this.refreshWith = {
        refreshToken: credentials.refreshToken,
        appKey: credentials.appKey,
        ...(credentials.appSecret === undefined ? {} : { appSecret: credentials.appSecret }),
      };
    }
  }

  /** How many tokens this run minted. */
  get refreshes(): number {
    return this.refreshCount;
  }

  currentToken(): string | undefined {
    return this.clientAuth.getAccessToken();
  }

  /**
   * Mints the first token when there is none, and a new one when the current one is about to expire.
   * `signal` is the attempt's: when it aborts, this caller stops waiting, and the token request is
   * abandoned if it stalled (request-timeout) or nobody else waits for it.
   */
  async ensureFresh(signal?: AbortSignal): Promise<void> {
    if (!this.refreshWith) return;
    if (this.currentToken() !== undefined && this.now() < this.renewAtMs) return;
    await this.join(signal);
  }

  /**
   * Called after a request was refused with `expired_access_token`: the token it presented is
   * replaced by the next ensureFresh, so that the refresh runs inside an attempt, under its
   * request-timeout. A stale token that was already replaced changes nothing, so many requests
   * refused together still cause one refresh. Returns false when the token cannot be refreshed (an
   * access token was given on its own).
   */
  renewAfterExpiry(staleToken: string | undefined): Promise<boolean> {
    if (!this.refreshWith) return Promise.resolve(false);
    if (staleToken === this.currentToken()) this.renewAtMs = Number.NEGATIVE_INFINITY;
    return Promise.resolve(true);
  }

  private join(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const flight = this.inFlight ?? this.start();
    flight.waiters += 1;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        flight.waiters -= 1;
        const reason = abortReason(signal);
        // A stalled token request (request-timeout) would stall whoever joins it next, so it is
        // abandoned for everyone; the others get the same timeout and retry with a new one.
        if (flight.waiters === 0 || reason.name === 'TimeoutError') this.abandon(flight, reason);
        reject(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.done.then(
        () => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) return;
          flight.waiters -= 1;
          resolve();
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) return;
          flight.waiters -= 1;
          reject(error as Error);
        },
      );
    });
  }

  private start(): SharedRefresh {
    const controller = new AbortController();
    const flight: SharedRefresh = { done: Promise.resolve(), controller, waiters: 0 };
    flight.done = this.mint(controller.signal).finally(() => {
      if (this.inFlight === flight) this.inFlight = undefined;
    });
    // Nobody may be left to see the failure of an abandoned request.
    flight.done.catch(() => undefined);
    this.inFlight = flight;
    return flight;
  }

  private abandon(flight: SharedRefresh, reason: Error): void {
    if (this.inFlight === flight) this.inFlight = undefined;
    flight.controller.abort(reason);
  }

  /** The refresh-token grant, form-encoded in the body (not the URL, where the SDK puts the secrets). */
  private async mint(signal: AbortSignal): Promise<void> {
    const credentials = this.refreshWith;
    if (!credentials) return;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.refreshToken,
      client_id: credentials.appKey,
    });
    if (credentials.appSecret !== undefined) form.set('client_secret', credentials.appSecret);
    const startedAt = this.now();
    // Looked up at call time, so that whatever fetch the process has (a test redirect) is used.
    const response = await globalThis.fetch(TOKEN_URL, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: form,
      signal,
      // A redirect would send the secrets in the body somewhere else; Dropbox never redirects here.
      redirect: 'error',
    });
    const text = await response.text();
    if (!response.ok) {
      // The shape the SDK's own refresh threw, so that retry.ts and explain.ts read it as before.
      throw new DropboxResponseError(response.status, response.headers, parseJson(text) ?? text);
    }
    const grant = readGrant(text, response.headers.get('content-type'));
    this.mask(grant.accessToken);
    this.clientAuth.setAccessToken(grant.accessToken);
    // Counted from when the request was sent: the token may have been minted at any point since.
    this.renewAtMs =
      grant.lifetimeMs === undefined
        ? Number.POSITIVE_INFINITY
        : startedAt + grant.lifetimeMs - refreshMarginMs(grant.lifetimeMs);
    this.refreshCount += 1;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The access token and its lifetime from a refresh answer, `{"access_token", "token_type": "bearer",
 * "expires_in"}`. Without `expires_in` the token is kept until Dropbox refuses it as expired.
 */
function readGrant(text: string, contentType: string | null): { accessToken: string; lifetimeMs?: number } {
  const body = parseJson(text);
  if (!isRecord(body) || Array.isArray(body)) {
    const mediaType = contentType?.split(';')[0]?.trim() ?? '';
    // Only a well-formed media type is echoed: the header is the answerer's text, not ours.
    const type = /^[\w.+-]{1,40}\/[\w.+-]{1,60}$/.test(mediaType)
      ? `Content-Type ${mediaType}`
      : 'no usable Content-Type';
    const what = body === undefined ? 'an answer that is not JSON' : 'JSON that is not an object';
    throw new TokenAnswerError(`${what} (${type}, ${Buffer.byteLength(text)} bytes)`);
  }
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = body;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenAnswerError('JSON without an access_token');
  }
  if (!TOKEN_SHAPE.test(accessToken)) {
    throw new TokenAnswerError('an access_token holding characters a token cannot have');
  }
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw new TokenAnswerError('a token_type other than bearer');
  }
  if (expiresIn === undefined) return { accessToken };
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new TokenAnswerError('an expires_in that is not a positive number of seconds');
  }
  return { accessToken, lifetimeMs: expiresIn * 1000 };
}
