import { invalidClient, oauthError, ok, type JsonObject, type Reply } from './errors.ts';
import { pkceChallenge, type TokenRegistry } from './auth.ts';

export interface TokenRequest {
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
  authorization: string | undefined;
}

/**
 * The parameters of a token request, wherever the client put them: the JS SDK uses the query string
 * (with a JSON content type and no body), Python a form body, Java HTTP Basic for the key and secret.
 */
export function tokenParams(request: TokenRequest): Map<string, string> {
  const params = new Map(request.query);
  if (
    request.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') &&
    request.body.length > 0
  ) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(key, value);
  }
  const auth = request.authorization;
  if (auth !== undefined) {
    const match = /^Basic\s+(\S+)$/i.exec(auth);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw invalidClient();
    params.set('client_id', decoded.slice(0, colon));
    params.set('client_secret', decoded.slice(colon + 1));
  }
  return params;
}

/** `POST /oauth2/token` for the refresh_token and authorization_code grants. */
export function handleTokenRequest(params: Map<string, string>, tokens: TokenRegistry): Reply {
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw oauthError('invalid_request', 'missing required parameter "grant_type"');
  if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
    throw oauthError('unsupported_grant_type', `unsupported grant_type: ${JSON.stringify(grantType)}`);
  }
  const clientId = params.get('client_id');
  if (!clientId) throw oauthError('invalid_request', 'missing required parameter "client_id"');
  const appSecret = tokens.appSecret(clientId);
  const clientSecret = params.get('client_secret');
  if (appSecret === undefined || (clientSecret !== undefined && clientSecret !== appSecret))
    throw invalidClient();
  return grantType === 'refresh_token'
    ? refreshGrant(params, clientId, clientSecret !== undefined, tokens)
    : codeGrant(params, clientId, clientSecret !== undefined, tokens);
}

function refreshGrant(
  params: Map<string, string>,
  clientId: string,
  hasSecret: boolean,
  tokens: TokenRegistry,
): Reply {
  const refreshToken = params.get('refresh_token');
  if (!refreshToken) throw oauthError('invalid_request', 'missing required parameter "refresh_token"');
  if (!tokens.isWellFormedRefreshToken(refreshToken))
    throw oauthError('invalid_grant', 'refresh token is malformed');
  const record = tokens.refreshToken(refreshToken);
  if (!record || record.revoked || record.appKey !== clientId) {
    throw oauthError('invalid_grant', 'refresh token is invalid or revoked');
  }
  // Only refresh tokens minted through PKCE may be used without the app secret.
  if (!hasSecret && !record.pkce) throw invalidClient();
  let scopes = record.scopes;
  const requested = params.get('scope');
  if (requested !== undefined) {
    scopes = requested.split(' ').filter(Boolean);
    const extra = scopes.filter((scope) => !record.scopes.includes(scope));
    if (extra.length > 0)
      throw oauthError('invalid_scope', `scopes not granted to this token: ${extra.join(' ')}`);
  }
  const accessToken = tokens.issueAccessToken(scopes, tokens.lifetimeSeconds, clientId, record.team === true);
  return ok({ access_token: accessToken, token_type: 'bearer', expires_in: tokens.lifetimeSeconds });
}

function codeGrant(
  params: Map<string, string>,
  clientId: string,
  hasSecret: boolean,
  tokens: TokenRegistry,
): Reply {
  const code = params.get('code');
  if (!code) throw oauthError('invalid_request', 'missing required parameter "code"');
  const record = tokens.authorizationCode(code);
  if (!record || record.appKey !== clientId)
    throw oauthError('invalid_grant', "code doesn't exist or has expired");
  if (record.used) throw oauthError('invalid_grant', 'code has already been used');
  if (Date.now() >= record.expiresAt) throw oauthError('invalid_grant', 'code has expired');
  if (record.redirectUri !== undefined && params.get('redirect_uri') !== record.redirectUri) {
    throw oauthError('invalid_grant', 'redirect_uri mismatch');
  }
  if (record.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier');
    if (verifier === undefined)
      throw oauthError('invalid_grant', 'missing code_verifier for a PKCE authorization code');
    if (pkceChallenge(verifier) !== record.codeChallenge)
      throw oauthError('invalid_grant', 'invalid code verifier');
  } else if (!hasSecret) {
    throw invalidClient();
  }
  record.used = true;
  const pkce = record.codeChallenge !== undefined;
  // A team-linked app's grant is for the whole team: it names the team instead of an account.
  const team = tokens.app(clientId)?.linkedTo === 'team';
  const body: JsonObject = {
    access_token: tokens.issueAccessToken(record.scopes, tokens.lifetimeSeconds, clientId, team),
    token_type: 'bearer',
    expires_in: tokens.lifetimeSeconds,
  };
  if ((record.tokenAccessType ?? 'offline') === 'offline')
    body['refresh_token'] = tokens.issueRefreshToken(clientId, record.scopes, pkce, team);
  body['scope'] = record.scopes.join(' ');
  body['uid'] = tokens.uid;
  if (team) body['team_id'] = tokens.teamId;
  else body['account_id'] = tokens.accountId;
  return ok(body);
}
