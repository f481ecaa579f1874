import { createHash } from 'node:crypto';
import { DropboxResponseError } from 'dropbox';
import { APP, rpc, sdkAuth, sdkError, startFake, tokenCall, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake({ tokenLifetimeSeconds: 3600 });
});
afterEach(() => h.fake.close());

describe('POST /oauth2/token, refresh_token grant', () => {
  test('the official SDK refreshes through the query string and gets a working token', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key });
    const auth = sdkAuth(h.fake, { clientId: APP.key, clientSecret: APP.secret, refreshToken });
    await auth.refreshAccessToken();
    const accessToken = auth.getAccessToken();
    expect(accessToken).toMatch(/^sl\./);

    const log = h.fake.requests.at(-1)!;
    expect(log.route).toBe('oauth2/token');
    expect(log.status).toBe(200);
    expect(log.tokenHint).toBe(refreshToken.slice(0, 6));
    expect(JSON.stringify(h.fake.requests)).not.toContain(refreshToken);

    const account = await rpc(h.fake, 'users/get_current_account', undefined, accessToken);
    expect(account.status).toBe(200);
  });

  test('answers exactly {access_token, token_type, expires_in}', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key });
    const response = await tokenCall(
      h.fake,
      {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: APP.key,
        client_secret: APP.secret,
      },
      { headers: { 'Content-Type': 'application/json' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(response.json as object).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(response.json).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
  });

  test('accepts a form body and HTTP Basic client authentication', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key });
    const form = await fetch(`${h.fake.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: APP.key,
        client_secret: APP.secret,
      }).toString(),
    });
    expect(form.status).toBe(200);

    const basic = await fetch(`${h.fake.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${APP.key}:${APP.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    expect(basic.status).toBe(200);
    expect(((await basic.json()) as { access_token: string }).access_token).toMatch(/^sl\./);
  });

  test('revoked and unknown refresh tokens get 400 invalid_grant', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key });
    h.fake.revokeRefreshToken(refreshToken);
    const auth = sdkAuth(h.fake, { clientId: APP.key, clientSecret: APP.secret, refreshToken });
    const error = await sdkError(auth.refreshAccessToken());
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid or revoked',
    });

    const unknown = await tokenCall(h.fake, {
      grant_type: 'refresh_token',
      refresh_token: 'A'.repeat(64),
      client_id: APP.key,
      client_secret: APP.secret,
    });
    expect(unknown.json).toEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid or revoked',
    });
    expect(h.fake.requests.at(-1)!.errorTag).toBe('invalid_grant');
  });

  test('a garbage refresh token is malformed', async () => {
    const response = await tokenCall(h.fake, {
      grant_type: 'refresh_token',
      refresh_token: 'not a token!',
      client_id: APP.key,
      client_secret: APP.secret,
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is malformed',
    });
  });

  test('a wrong app key or secret gets invalid_client without a description', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key });
    for (const [id, secret] of [
      ['nope', APP.secret],
      [APP.key, 'wrong-secret'],
    ] as const) {
      const auth = sdkAuth(h.fake, { clientId: id, clientSecret: secret, refreshToken });
      const error = await sdkError(auth.refreshAccessToken());
      expect(error.status).toBe(400);
      expect(error.error).toEqual({ error: 'invalid_client: Invalid client_id or client_secret' });
    }
  });

  test('PKCE refresh tokens refresh with client_id only; others need the secret', async () => {
    const pkce = h.fake.issueRefreshToken({ appKey: APP.key, pkce: true });
    const auth = sdkAuth(h.fake, { clientId: APP.key, refreshToken: pkce });
    await auth.refreshAccessToken();
    expect(auth.getAccessToken()).toMatch(/^sl\./);

    const confidential = h.fake.issueRefreshToken({ appKey: APP.key });
    const error = await sdkError(
      sdkAuth(h.fake, { clientId: APP.key, refreshToken: confidential }).refreshAccessToken(),
    );
    expect(error.error).toEqual({ error: 'invalid_client: Invalid client_id or client_secret' });
  });

  test('a token minted by refresh carries the refresh token scopes; `scope` narrows them', async () => {
    const refreshToken = h.fake.issueRefreshToken({ appKey: APP.key, scopes: ['files.metadata.read'] });
    const granted = await tokenCall(h.fake, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: APP.key,
      client_secret: APP.secret,
    });
    const token = (granted.json as { access_token: string }).access_token;
    expect((await rpc(h.fake, 'files/list_folder', { path: '' }, token)).status).toBe(200);
    const denied = await rpc(h.fake, 'users/get_current_account', undefined, token);
    expect(denied.status).toBe(401);
    expect(denied.json).toEqual({
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'account_info.read' },
    });

    const widened = await tokenCall(h.fake, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: APP.key,
      client_secret: APP.secret,
      scope: 'files.metadata.read files.content.write',
    });
    expect(widened.status).toBe(400);
    expect(widened.json).toMatchObject({ error: 'invalid_scope' });
  });

  test('unsupported and missing grant types', async () => {
    expect((await tokenCall(h.fake, { grant_type: 'password', client_id: APP.key })).json).toMatchObject({
      error: 'unsupported_grant_type',
    });
    expect((await tokenCall(h.fake, { client_id: APP.key })).json).toMatchObject({
      error: 'invalid_request',
    });
  });
});

describe('POST /oauth2/token, authorization_code grant', () => {
  test('exchanges a code for access and refresh tokens with the secret', async () => {
    const code = h.fake.issueAuthorizationCode({
      appKey: APP.key,
      scopes: ['files.content.write', 'account_info.read'],
      redirectUri: 'http://localhost:53682/',
    });
    const auth = sdkAuth(h.fake, { clientId: APP.key, clientSecret: APP.secret });
    const response = await auth.getAccessTokenFromCode('http://localhost:53682/', code);
    const result = response.result as Record<string, unknown>;
    expect(result).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'files.content.write account_info.read',
    });
    expect(result['access_token']).toMatch(/^sl\./);
    expect(typeof result['refresh_token']).toBe('string');
    expect(typeof result['uid']).toBe('string');
    expect(result['account_id']).toMatch(/^dbid:/);

    // The refresh token works, with the secret.
    const refreshed = sdkAuth(h.fake, {
      clientId: APP.key,
      clientSecret: APP.secret,
      refreshToken: result['refresh_token'] as string,
    });
    await refreshed.refreshAccessToken();

    const reused = await sdkError(auth.getAccessTokenFromCode('http://localhost:53682/', code));
    expect(reused.error).toEqual({ error: 'invalid_grant', error_description: 'code has already been used' });
  });

  test('PKCE: the code_verifier must match the S256 challenge, and the refresh token is a PKCE one', async () => {
    const verifier = 'v'.repeat(43) + 'erifier-with-enough-entropy-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = h.fake.issueAuthorizationCode({ appKey: APP.key, codeChallenge: challenge });

    const wrong = await tokenCall(h.fake, {
      grant_type: 'authorization_code',
      code,
      client_id: APP.key,
      code_verifier: 'x'.repeat(50),
    });
    expect(wrong.json).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

    const right = await tokenCall(h.fake, {
      grant_type: 'authorization_code',
      code,
      client_id: APP.key,
      code_verifier: verifier,
    });
    expect(right.status).toBe(200);
    const refreshToken = (right.json as { refresh_token: string }).refresh_token;
    await sdkAuth(h.fake, { clientId: APP.key, refreshToken }).refreshAccessToken();
  });

  test('expired codes, codes of another app, and redirect_uri mismatches are invalid_grant', async () => {
    h.fake.registerApp({ key: 'other', secret: 'other-secret' });
    const expired = h.fake.issueAuthorizationCode({ appKey: APP.key, expiresInSeconds: -1 });
    const foreign = h.fake.issueAuthorizationCode({ appKey: 'other' });
    const redirect = h.fake.issueAuthorizationCode({ appKey: APP.key, redirectUri: 'https://a.example/cb' });
    const exchange = (code: string, extra: Record<string, string> = {}) =>
      tokenCall(h.fake, {
        grant_type: 'authorization_code',
        code,
        client_id: APP.key,
        client_secret: APP.secret,
        ...extra,
      });
    expect((await exchange(expired)).json).toEqual({
      error: 'invalid_grant',
      error_description: 'code has expired',
    });
    expect((await exchange(foreign)).json).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange('no-such-code-0000000000')).json).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(redirect, { redirect_uri: 'https://b.example/cb' })).json).toEqual({
      error: 'invalid_grant',
      error_description: 'redirect_uri mismatch',
    });
  });
});

test('the SDK surfaces token errors as DropboxResponseError', async () => {
  const auth = sdkAuth(h.fake, { clientId: APP.key, clientSecret: APP.secret, refreshToken: 'bogus' });
  await expect(auth.refreshAccessToken()).rejects.toBeInstanceOf(DropboxResponseError);
});
