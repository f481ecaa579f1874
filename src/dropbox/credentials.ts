import { DropboxAuth } from 'dropbox';
import type { Credentials } from '../model.ts';

/** Refresh this long before Dropbox says the token expires, as the SDK does, so no request races the expiry. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export interface TokenSourceOptions {
  /** Called with every credential and minted token before it can reach a request or a log line. */
  mask: (secret: string) => void;
  now?: () => number;
}

/**
 * Owns the access token that every request of the run presents.
 *
 * The SDK refreshes inside each request on its own, so parallel requests near the expiry would each
 * start a refresh. Here the client's auth never holds a refresh token; this class mints tokens, and
 * concurrent callers share one refresh in flight.
 */
export class TokenSource {
  /** The auth object the SDK client reads its Bearer token from. */
  readonly clientAuth: DropboxAuth;
  private readonly refresher: DropboxAuth | undefined;
  private readonly mask: (secret: string) => void;
  private readonly now: () => number;
  private expiresAtMs = Number.POSITIVE_INFINITY;
  private refreshInFlight: Promise<void> | undefined;
  private refreshCount = 0;

  constructor(credentials: Credentials, options: TokenSourceOptions) {
    this.mask = options.mask;
    this.now = options.now ?? Date.now;
    if (credentials.kind === 'access-token') {
      this.mask(credentials.accessToken);
      this.clientAuth = new DropboxAuth({ accessToken: credentials.accessToken });
      this.refresher = undefined;
    } else {
      this.mask(credentials.refreshToken);
      this.mask(credentials.appKey);
      if (credentials.appSecret !== undefined) this.mask(credentials.appSecret);
      this.clientAuth = new DropboxAuth({});
      this.refresher = new DropboxAuth({
        refreshToken: credentials.refreshToken,
        clientId: credentials.appKey,
        clientSecret: credentials.appSecret,
      });
    }
  }

  /** How many tokens this run minted. */
  get refreshes(): number {
    return this.refreshCount;
  }

  currentToken(): string | undefined {
    return this.clientAuth.getAccessToken();
  }

  /** Mints the first token when there is none, and a new one when the current one is about to expire. */
  async ensureFresh(): Promise<void> {
    if (!this.refresher) return;
    if (this.currentToken() !== undefined && this.now() < this.expiresAtMs - EXPIRY_MARGIN_MS) return;
    await this.refresh();
  }

  /**
   * Called after a request was refused with `expired_access_token`. Only the first caller for a given
   * stale token starts a refresh; the others wait for that one. Returns false when the token cannot be
   * refreshed (an access token was given on its own).
   */
  async renewAfterExpiry(staleToken: string | undefined): Promise<boolean> {
    if (!this.refresher) return false;
    if (this.refreshInFlight) {
      await this.refreshInFlight;
      return true;
    }
    if (staleToken !== this.currentToken()) return true;
    await this.refresh();
    return true;
  }

  private refresh(): Promise<void> {
    this.refreshInFlight ??= this.mint().finally(() => {
      this.refreshInFlight = undefined;
    });
    return this.refreshInFlight;
  }

  private async mint(): Promise<void> {
    const refresher = this.refresher;
    if (!refresher) return;
    await refresher.refreshAccessToken();
    const token = refresher.getAccessToken();
    if (typeof token !== 'string' || token === '') {
      throw new Error('Dropbox answered the token refresh without an access token');
    }
    this.mask(token);
    const expiresAt: unknown = refresher.getAccessTokenExpiresAt();
    this.expiresAtMs = expiresAt instanceof Date ? expiresAt.getTime() : Number.POSITIVE_INFINITY;
    this.clientAuth.setAccessToken(token);
    this.refreshCount += 1;
  }
}
