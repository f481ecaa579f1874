import type { IncomingMessage } from 'node:http';
import type { AccessTokenRecord, TokenRegistry } from './auth.ts';
import { authError, badRequest } from './errors.ts';

/** The Authorization header, or the `authorization` URL parameter Dropbox also accepts. */
export function authorizationValue(req: IncomingMessage, url: URL): string | undefined {
  return req.headers.authorization ?? url.searchParams.get('authorization') ?? undefined;
}

/** The token of a `Bearer <token>` value, else undefined. */
export function bearerToken(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^Bearer (.+)$/i.exec(value);
  return match?.[1];
}

/**
 * The checks in front of every `/2/` route, in Dropbox's order and wording: header syntax (400 text),
 * token shape (400 text), then the token itself and its scopes (401 JSON AuthError).
 */
export function authenticate(
  route: string,
  value: string | undefined,
  tokens: TokenRegistry,
  requiredScope: string,
): AccessTokenRecord {
  if (value === undefined) {
    throw badRequest(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".');
  }
  const token = bearerToken(value);
  if (token === undefined) {
    // The real message echoes the header value; a fake that tests log must never echo credentials.
    throw badRequest(
      route,
      'Invalid authorization value in HTTP header "Authorization": "Bearer …".  Expecting "Bearer <oauth2-access-token>".',
    );
  }
  const check = tokens.checkAccessToken(token);
  if (!check.ok) {
    if (check.reason === 'malformed') throw badRequest(route, 'The given OAuth 2 access token is malformed.');
    throw authError(check.reason === 'expired' ? 'expired_access_token' : 'invalid_access_token');
  }
  if (!check.record.scopes.includes(requiredScope))
    throw authError('missing_scope', { required_scope: requiredScope });
  return check.record;
}

/** What the request log may keep of a credential. */
export function tokenHint(token: string | undefined): string | undefined {
  return token === undefined || token === '' ? undefined : token.slice(0, 6);
}
