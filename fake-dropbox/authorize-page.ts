import type { AuthorizationCodeRecord, TokenRegistry } from './auth.ts';
import { ApiFailure, type Reply } from './errors.ts';

/** How long a code from the page stays valid. Dropbox says "a few minutes"; its real figure is not published. */
const CODE_LIFETIME_SECONDS = 600;

const TOKEN_ACCESS_TYPES = ['offline', 'online', 'legacy'] as const;

function pageError(message: string): ApiFailure {
  return new ApiFailure({ status: 400, text: `Error (400)\n\n${message}\n`, errorTag: 'authorize_error' });
}

/**
 * `GET https://www.dropbox.com/oauth2/authorize`, the browser page, as if the signed-in user clicked
 * Allow at once. Without `redirect_uri` the page shows the access code for the user to copy (Dropbox's
 * "no redirect" flow, the one a CLI uses); with one it redirects there with `code` and `state`.
 *
 * The code grants the scopes ticked for the app (or the requested subset), remembers the PKCE
 * challenge (S256 only), and yields a refresh token only for `token_access_type=offline`; without
 * that parameter the app default applies, modelled as `online` (a short-lived token only).
 */
export function handleAuthorizePage(query: URLSearchParams, tokens: TokenRegistry): Reply {
  const clientId = query.get('client_id') ?? '';
  const app = tokens.app(clientId);
  if (app === undefined) throw pageError(`Invalid client_id: ${JSON.stringify(clientId)}.`);
  const responseType = query.get('response_type');
  if (responseType !== 'code') {
    throw pageError(`response_type must be "code" here (got ${JSON.stringify(responseType)}).`);
  }

  const accessType = query.get('token_access_type') ?? 'online';
  const tokenAccessType = TOKEN_ACCESS_TYPES.find((type) => type === accessType);
  if (tokenAccessType === undefined)
    throw pageError(
      `token_access_type must be offline, online or legacy (got ${JSON.stringify(accessType)}).`,
    );

  const record: Omit<AuthorizationCodeRecord, 'used' | 'expiresAt'> = {
    appKey: clientId,
    scopes: app.scopes,
    tokenAccessType,
  };
  const method = query.get('code_challenge_method');
  const challenge = query.get('code_challenge');
  if (method !== null || challenge !== null) {
    if (method !== 'S256')
      throw pageError('code_challenge_method must be S256 (this fake does not take "plain").');
    if (challenge === null || !/^[A-Za-z0-9_-]{43,128}$/.test(challenge))
      throw pageError('code_challenge must be 43 to 128 base64url characters.');
    record.codeChallenge = challenge;
  }
  const scope = query.get('scope');
  if (scope !== null) {
    const requested = scope.split(' ').filter(Boolean);
    const unknown = requested.filter((name) => !app.scopes.includes(name));
    if (unknown.length > 0)
      throw pageError(`This app has not been granted the scope(s) ${unknown.join(' ')} in the App Console.`);
    record.scopes = requested;
  }
  const redirectUri = query.get('redirect_uri');
  if (redirectUri !== null) record.redirectUri = redirectUri;

  const code = tokens.issueAuthorizationCode(record, CODE_LIFETIME_SECONDS);
  if (redirectUri !== null) {
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, text: '', headers: { Location: target.toString() } };
  }
  return {
    status: 200,
    text: `Access code generated\n\nEnter this code into ${app.name} to finish the process:\n\n${code}\n`,
  };
}
