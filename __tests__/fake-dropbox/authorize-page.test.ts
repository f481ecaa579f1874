/** GET /oauth2/authorize: the page that hands out an access code, as if the user clicked Allow. */
import { DropboxAuth } from 'dropbox';
import { createRedirectFetch, FakeDropbox } from '../../fake-dropbox/index.ts';

const APP = { key: 'pageappkey', secret: 'pageappsecret' };
let fake: FakeDropbox;
beforeEach(async () => {
  fake = await FakeDropbox.start();
  fake.registerApp({ ...APP, name: 'Page App', scopes: ['account_info.read', 'files.content.write'] });
});
afterEach(() => fake.close());

/** What a browser does with the URL: GET it from the fake instead of www.dropbox.com. */
async function openInBrowser(authorizeUrl: string): Promise<Response> {
  const url = new URL(authorizeUrl);
  return fetch(`${fake.url}${url.pathname}${url.search}`, { redirect: 'manual' });
}

function codeOf(page: string): string {
  const code = /finish the process:\n\n(\S+)\n/.exec(page)?.[1];
  if (code === undefined) throw new Error(`no code in ${page}`);
  return code;
}

test('the SDK PKCE flow end to end: URL, code page, exchange with the verifier, refresh token', async () => {
  const auth = new DropboxAuth({ clientId: APP.key, fetch: createRedirectFetch(fake.url) });
  const url = String(
    await auth.getAuthenticationUrl('', undefined, 'code', 'offline', undefined, 'none', true),
  );
  const page = await openInBrowser(url);
  expect(page.status).toBe(200);
  const text = await page.text();
  expect(text).toContain('Enter this code into Page App');
  const exchanged = (await auth.getAccessTokenFromCode('', codeOf(text))) as {
    result: Record<string, unknown>;
  };
  expect(exchanged.result).toMatchObject({
    token_type: 'bearer',
    scope: 'account_info.read files.content.write',
  });
  expect(exchanged.result['refresh_token']).toEqual(expect.any(String));
});

test('without token_access_type=offline the exchange gives no refresh token', async () => {
  const page = await openInBrowser(
    `https://www.dropbox.com/oauth2/authorize?client_id=${APP.key}&response_type=code`,
  );
  const auth = new DropboxAuth({
    clientId: APP.key,
    clientSecret: APP.secret,
    fetch: createRedirectFetch(fake.url),
  });
  const exchanged = (await auth.getAccessTokenFromCode('', codeOf(await page.text()))) as {
    result: Record<string, unknown>;
  };
  expect(exchanged.result['access_token']).toEqual(expect.any(String));
  expect(exchanged.result['refresh_token']).toBeUndefined();
});

test('a redirect_uri gets a 302 with code and state', async () => {
  const page = await openInBrowser(
    `https://www.dropbox.com/oauth2/authorize?client_id=${APP.key}&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:9/cb')}&state=s1`,
  );
  expect(page.status).toBe(302);
  const location = new URL(page.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('s1');
  expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]+$/);
});

test.each([
  ['client_id=unknown&response_type=code', 'Invalid client_id'],
  [`client_id=${APP.key}&response_type=token`, 'response_type must be "code"'],
  [`client_id=${APP.key}&response_type=code&token_access_type=forever`, 'token_access_type'],
  [`client_id=${APP.key}&response_type=code&code_challenge_method=plain&code_challenge=x`, 'S256'],
  [`client_id=${APP.key}&response_type=code&scope=sharing.write`, 'sharing.write'],
])('refuses %s', async (query, message) => {
  const page = await openInBrowser(`https://www.dropbox.com/oauth2/authorize?${query}`);
  expect(page.status).toBe(400);
  expect(await page.text()).toContain(message);
});

test('a team-linked app: the exchange names the team, and the token needs Select-User', async () => {
  fake.registerApp({ key: 'teamapp', secret: 'teamsecret', linkedTo: 'team' });
  const page = await openInBrowser(
    'https://www.dropbox.com/oauth2/authorize?client_id=teamapp&response_type=code&token_access_type=offline',
  );
  const auth = new DropboxAuth({
    clientId: 'teamapp',
    clientSecret: 'teamsecret',
    fetch: createRedirectFetch(fake.url),
  });
  const exchanged = (await auth.getAccessTokenFromCode('', codeOf(await page.text()))) as {
    result: Record<string, unknown>;
  };
  expect(exchanged.result['team_id']).toMatch(/^dbtid:/);
  expect(exchanged.result['account_id']).toBeUndefined();
  const listed = await fetch(`${fake.url}/2/files/list_folder`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${String(exchanged.result['access_token'])}`,
      'Content-Type': 'application/json',
    },
    body: '{"path":""}',
  });
  expect(listed.status).toBe(400);
  expect(await listed.text()).toContain('entire Dropbox Business team');
});
