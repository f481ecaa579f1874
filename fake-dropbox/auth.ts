import { createHash, randomInt } from 'node:crypto';
import { randomToken } from './metadata.ts';

/** Scopes a token gets when none are asked for: everything the action could need. */
export const DEFAULT_SCOPES: readonly string[] = [
  'account_info.read',
  'files.content.read',
  'files.content.write',
  'files.metadata.read',
  'files.metadata.write',
  'sharing.read',
  'sharing.write',
];

/** What the App Console decides for an app: where its paths are rooted and what it may ask for. */
export interface AppRecord {
  secret: string;
  /** Shown as the app folder's name: `/Apps/<name>`. */
  name: string;
  /** `app_folder`: every path is rooted at `/Apps/<name>` and other namespaces are out of reach. */
  accessType: 'app_folder' | 'full_dropbox';
  /** The scopes ticked on the Permissions tab: what an authorization grants. */
  scopes: string[];
  /** `team`: a team-linked app, whose tokens act for the whole team (user routes need Select-User). */
  linkedTo: 'user' | 'team';
}

export interface AccessTokenRecord {
  scopes: string[];
  /** ms since the epoch. */
  expiresAt: number;
  appKey?: string;
  /** A team token: user routes need `Dropbox-API-Select-User`. */
  team?: boolean;
}

export interface RefreshTokenRecord {
  appKey: string;
  scopes: string[];
  /** Minted through PKCE: refreshes with client_id alone. */
  pkce: boolean;
  revoked: boolean;
  team?: boolean;
}

export interface AuthorizationCodeRecord {
  appKey: string;
  scopes: string[];
  codeChallenge?: string;
  redirectUri?: string;
  /** `offline` (the default here) is the only kind whose exchange yields a refresh token. */
  tokenAccessType?: 'offline' | 'online' | 'legacy';
  expiresAt: number;
  used: boolean;
}

export type AccessCheck =
  { ok: true; record: AccessTokenRecord } | { ok: false; reason: 'malformed' | 'invalid' | 'expired' };

// Real tokens are long runs of URL-safe characters; anything else is rejected before lookup.
const ACCESS_TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{16,}$/;
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9._-]{20,}$/;

/** Apps, refresh tokens, access tokens and authorization codes of the single fake account. */
export class TokenRegistry {
  readonly accountId = `dbid:AA${randomToken(30)}`;
  readonly teamId = `dbtid:AA${randomToken(30)}`;
  readonly uid = String(randomInt(100_000_000, 999_999_999));
  readonly #apps = new Map<string, AppRecord>();
  readonly #access = new Map<string, AccessTokenRecord>();
  readonly #refresh = new Map<string, RefreshTokenRecord>();
  readonly #codes = new Map<string, AuthorizationCodeRecord>();
  readonly #lifetimeSeconds: number;

  constructor(lifetimeSeconds: number) {
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  get lifetimeSeconds(): number {
    return this.#lifetimeSeconds;
  }

  registerApp(key: string, secret: string, options: Partial<Omit<AppRecord, 'secret'>> = {}): void {
    this.#apps.set(key, {
      secret,
      name: options.name ?? key,
      accessType: options.accessType ?? 'full_dropbox',
      scopes: [...(options.scopes ?? DEFAULT_SCOPES)],
      linkedTo: options.linkedTo ?? 'user',
    });
  }

  appSecret(key: string): string | undefined {
    return this.#apps.get(key)?.secret;
  }

  app(key: string | undefined): AppRecord | undefined {
    return key === undefined ? undefined : this.#apps.get(key);
  }

  issueAccessToken(
    scopes: readonly string[],
    expiresInSeconds = this.#lifetimeSeconds,
    appKey?: string,
    team = false,
  ): string {
    const token = `sl.${randomToken(96)}`;
    const record: AccessTokenRecord = {
      scopes: [...scopes],
      expiresAt: Date.now() + expiresInSeconds * 1000,
    };
    if (appKey !== undefined) record.appKey = appKey;
    if (team) record.team = true;
    this.#access.set(token, record);
    return token;
  }

  issueRefreshToken(appKey: string, scopes: readonly string[], pkce: boolean, team = false): string {
    this.#requireApp(appKey);
    const token = randomToken(48);
    const record: RefreshTokenRecord = { appKey, scopes: [...scopes], pkce, revoked: false };
    if (team) record.team = true;
    this.#refresh.set(token, record);
    return token;
  }

  issueAuthorizationCode(
    record: Omit<AuthorizationCodeRecord, 'used' | 'expiresAt'>,
    expiresInSeconds: number,
  ): string {
    this.#requireApp(record.appKey);
    const code = randomToken(32);
    this.#codes.set(code, { ...record, expiresAt: Date.now() + expiresInSeconds * 1000, used: false });
    return code;
  }

  checkAccessToken(token: string): AccessCheck {
    if (!ACCESS_TOKEN_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
    const record = this.#access.get(token);
    if (!record) return { ok: false, reason: 'invalid' };
    if (Date.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  expireAccessToken(token: string): void {
    const record = this.#access.get(token);
    if (record) record.expiresAt = Math.min(record.expiresAt, Date.now() - 1);
  }

  expireAccessTokens(): void {
    for (const token of this.#access.keys()) this.expireAccessToken(token);
  }

  isWellFormedRefreshToken(token: string): boolean {
    return REFRESH_TOKEN_SHAPE.test(token);
  }

  refreshToken(token: string): RefreshTokenRecord | undefined {
    return this.#refresh.get(token);
  }

  revokeRefreshToken(token: string): void {
    const record = this.#refresh.get(token);
    if (record) record.revoked = true;
  }

  authorizationCode(code: string): AuthorizationCodeRecord | undefined {
    return this.#codes.get(code);
  }

  #requireApp(appKey: string): void {
    if (!this.#apps.has(appKey))
      throw new Error(`unknown app key ${JSON.stringify(appKey)}: call registerApp first`);
  }
}

/** PKCE S256: base64url(sha256(verifier)) must equal the challenge sent to /oauth2/authorize. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
