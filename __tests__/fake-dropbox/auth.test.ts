import { content, rpc, sdkError, startFake, type Harness } from './helpers.ts';
import { createRedirectFetch } from '../../fake-dropbox/index.ts';
import { Dropbox } from 'dropbox';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(() => h.fake.close());

describe('bearer checks on /2/ routes', () => {
  test('a missing Authorization header is a 400 plain-text error', async () => {
    const response = await rpc(h.fake, 'files/create_folder_v2', { path: '/a' }, undefined);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('x-dropbox-request-id')).toBeTruthy();
    expect(response.text).toBe(
      'Error in call to API function "files/create_folder_v2": Must provide HTTP header "Authorization" or URL parameter "authorization".',
    );
  });

  test('a value that is not "Bearer <token>" is rejected without echoing it', async () => {
    const response = await rpc(h.fake, 'files/list_folder', { path: '' }, undefined, {
      Authorization: `Token ${h.token}`,
    });
    expect(response.status).toBe(400);
    expect(response.text).toBe(
      'Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Bearer …".  Expecting "Bearer <oauth2-access-token>".',
    );
    expect(response.text).not.toContain(h.token);
  });

  test('a token in the wrong format is malformed (400 text)', async () => {
    for (const token of ['short', 'has spaces in the token value', 'sl.bad"quote<0123456789>']) {
      const response = await rpc(h.fake, 'files/list_folder', { path: '' }, token);
      expect(response.status).toBe(400);
      expect(response.text).toBe(
        'Error in call to API function "files/list_folder": The given OAuth 2 access token is malformed.',
      );
    }
  });

  test('an unknown token is 401 invalid_access_token', async () => {
    const response = await rpc(h.fake, 'files/list_folder', { path: '' }, 'sl.' + 'x'.repeat(60));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toEqual({
      error_summary: 'invalid_access_token/..',
      error: { '.tag': 'invalid_access_token' },
    });
  });

  test('expired tokens are 401 expired_access_token; new ones still work', async () => {
    h.fake.expireAccessTokens();
    const error = await sdkError(h.dbx.usersGetCurrentAccount());
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      error_summary: 'expired_access_token/.',
      error: { '.tag': 'expired_access_token' },
    });
    expect(h.fake.requests.at(-1)).toMatchObject({ status: 401, errorTag: 'expired_access_token' });

    const fresh = h.fake.issueAccessToken();
    expect((await rpc(h.fake, 'users/get_current_account', undefined, fresh)).status).toBe(200);

    const shortLived = h.fake.issueAccessToken({ expiresInSeconds: 0 });
    expect((await rpc(h.fake, 'users/get_current_account', undefined, shortLived)).json).toMatchObject({
      error: { '.tag': 'expired_access_token' },
    });
  });

  test('each route needs its scope', async () => {
    const readOnly = h.fake.issueAccessToken({ scopes: ['files.metadata.read', 'account_info.read'] });
    const upload = await content(h.fake, 'files/upload', { path: '/a.txt' }, 'x', readOnly);
    expect(upload.status).toBe(401);
    expect(upload.json).toEqual({
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'files.content.write' },
    });
    expect((await rpc(h.fake, 'files/list_folder', { path: '' }, readOnly)).status).toBe(200);
    const writeOnly = h.fake.issueAccessToken({ scopes: ['files.content.write'] });
    expect((await rpc(h.fake, 'files/get_metadata', { path: '/a' }, writeOnly)).json).toMatchObject({
      error: { '.tag': 'missing_scope', required_scope: 'files.metadata.read' },
    });
  });

  test('the token may come as the `authorization` URL parameter', async () => {
    const response = await fetch(
      `${h.fake.url}/2/users/get_current_account?authorization=${encodeURIComponent(`Bearer ${h.token}`)}`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
  });

  test('the request log keeps a 6-character token hint, never the token', async () => {
    await h.dbx.usersGetCurrentAccount();
    const entry = h.fake.requests.at(-1)!;
    expect(entry).toMatchObject({
      route: 'users/get_current_account',
      status: 200,
      tokenHint: h.token.slice(0, 6),
    });
    expect(JSON.stringify(h.fake.requests)).not.toContain(h.token);
  });
});

describe('RPC request bodies', () => {
  test('void routes take no body, or null; an empty JSON body cannot be decoded', async () => {
    expect((await rpc(h.fake, 'users/get_current_account', undefined, h.token)).status).toBe(200);
    expect((await rpc(h.fake, 'users/get_current_account', null, h.token)).status).toBe(200);
    const empty = await fetch(`${h.fake.url}/2/users/get_current_account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toBe(
      'Error in call to API function "users/get_current_account": request body: could not decode input as JSON',
    );
  });

  test('bad JSON, a wrong Content-Type and missing fields are 400 plain text', async () => {
    const bad = await rpc(h.fake, 'files/list_folder', undefined, h.token, {});
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${h.fake.url}/2/files/list_folder`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: '{"path": ',
    });
    expect(await notJson.text()).toContain('request body: could not decode input as JSON');
    const text = await fetch(`${h.fake.url}/2/files/list_folder`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}` },
      body: '{"path": ""}',
    });
    expect(text.status).toBe(400);
    expect(await text.text()).toContain('Bad HTTP "Content-Type" header: "text/plain;charset=UTF-8"');
    const missing = await rpc(h.fake, 'files/get_metadata', {}, h.token);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("missing required field 'path'");
  });

  test('users/get_current_account returns a FullAccount of a basic user', async () => {
    const { result } = await h.dbx.usersGetCurrentAccount();
    expect(result).toMatchObject({
      account_type: { '.tag': 'basic' },
      email_verified: true,
      disabled: false,
      name: { display_name: expect.any(String) as string },
      root_info: { '.tag': 'user', home_path: '' },
    });
    expect(result.account_id).toMatch(/^dbid:/);
    expect(result.root_info.root_namespace_id).toBe(result.root_info.home_namespace_id);
  });

  test('unknown routes are 404', async () => {
    expect((await rpc(h.fake, 'files/nothing_here', {}, h.token)).status).toBe(404);
  });

  test('an SDK client on all three hosts reaches the same server', async () => {
    const seen: string[] = [];
    const redirect = createRedirectFetch(h.fake.url);
    const dbx = new Dropbox({
      accessToken: h.token,
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        seen.push(new URL(input instanceof Request ? input.url : input).host);
        return redirect(input, init);
      },
    });
    await dbx.filesUpload({ path: '/x.txt', contents: 'x' });
    await dbx.filesGetMetadata({ path: '/x.txt' });
    expect(seen).toEqual(['content.dropboxapi.com', 'api.dropboxapi.com']);
  });
});
