/**
 * `node dist/authorize.js`, the refresh-token helper, driven through stdin as a user drives it: the
 * app key and secret are typed, the printed URL is opened "in a browser" (the fake server's authorize
 * page, which clicks Allow at once), and the access code it shows is pasted back.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox, type FakeAppOptions } from '../../../fake-dropbox/index.ts';
import { repoRoot } from '../../../scripts/action-runner.ts';

const helper = path.join(repoRoot, 'dist', 'authorize.js');
const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');
const AUTHORIZE_URL = /(https:\/\/(?:www\.)?dropbox\.com\/oauth2\/authorize\?\S+)\n/;

let server: FakeDropbox;
let scratch: string;
let appCount = 0;
beforeAll(async () => {
  server = await FakeDropbox.start();
  scratch = await mkdtemp(path.join(tmpdir(), 'authorize-e2e-'));
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh app in the fake App Console; its key and secret are what the user types. */
function newApp(options: FakeAppOptions = {}): { key: string; secret: string } {
  appCount += 1;
  const app = { key: `helperkey${appCount}`, secret: `helpersecret${appCount}x` };
  server.registerApp({ ...app, name: `Helper App ${appCount}`, ...options });
  return app;
}

/** What a browser does with the printed URL: the authorize page, then the access code it shows. */
async function allowInBrowser(authorizeUrl: string): Promise<string> {
  const url = new URL(authorizeUrl);
  const page = await fetch(`${server.url}${url.pathname}${url.search}`);
  const text = await page.text();
  const code = /finish the process:\n\n(\S+)\n/.exec(text)?.[1];
  if (code === undefined) throw new Error(`no access code on the page: ${text}`);
  return code;
}

interface HelperRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The authorize URL the helper printed, when it got that far. */
  authorizeUrl?: string;
}

/**
 * Runs the helper: types the key and the secret, waits for the URL, and pastes the code `codeFor`
 * gives for it (by default the one the authorize page shows).
 */
async function runHelper(
  answers: { appKey: string; appSecret: string; codeFor?: (authorizeUrl: string) => Promise<string> },
  args: string[] = [],
): Promise<HelperRun> {
  const child = spawn(process.execPath, ['--import', redirectModule, helper, ...args], {
    cwd: scratch,
    env: { ...process.env, FAKE_DROPBOX_URL: server.url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let authorizeUrl: string | undefined;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  const urlShown = new Promise<string | undefined>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (piece: string) => {
      stdout += piece;
      const match = AUTHORIZE_URL.exec(stdout);
      if (match && authorizeUrl === undefined) {
        authorizeUrl = match[1]!;
        resolve(authorizeUrl);
      }
    });
    void closed.then(() => resolve(undefined));
    // A helper that never shows the URL would wait for the code forever: give up and let it fail.
    setTimeout(() => resolve(undefined), 20_000).unref();
  });
  child.stdin.write(`${answers.appKey}\n${answers.appSecret}\n`);
  const url = await urlShown;
  if (url !== undefined) {
    const code = await (answers.codeFor ?? allowInBrowser)(url);
    child.stdin.write(`${code}\n`);
  }
  child.stdin.end();
  const exitCode = await closed;
  return { exitCode, stdout, stderr, ...(authorizeUrl === undefined ? {} : { authorizeUrl }) };
}

function printedRefreshToken(run: HelperRun): string {
  const token = /gh secret set DROPBOX_REFRESH_TOKEN --body '([^']+)'/.exec(run.stdout)?.[1];
  if (token === undefined) throw new Error(`no refresh token in:\n${run.stdout}\n${run.stderr}`);
  return token;
}

/** The refresh grant the action makes with the token: proof that the printed token is the real one. */
async function refresh(refreshToken: string, appKey: string, appSecret?: string): Promise<number> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: appKey,
  });
  if (appSecret !== undefined) body.set('client_secret', appSecret);
  const response = await fetch(`${server.url}/oauth2/token`, { method: 'POST', body });
  return response.status;
}

describe('node dist/authorize.js', () => {
  test('with the app secret: account, Full Dropbox, scopes, and the gh secret set commands', async () => {
    const app = newApp();
    const run = await runHelper({ appKey: app.key, appSecret: app.secret });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const url = new URL(run.authorizeUrl!);
    expect(url.searchParams.get('client_id')).toBe(app.key);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('token_access_type')).toBe('offline');
    expect(url.searchParams.get('code_challenge')).toBeNull();

    expect(run.stdout).toMatch(/Account: +\S.* <\S+@\S+> \(\w+ account\)/);
    expect(run.stdout).toMatch(/Access type: +Full Dropbox\./);
    expect(run.stdout).toMatch(/Scopes: +.*files\.content\.write/);
    expect(run.stdout).not.toContain('WARNING');
    const token = printedRefreshToken(run);
    expect(run.stdout.split(token)).toHaveLength(2); // printed exactly once
    expect(run.stdout).toContain(`gh secret set DROPBOX_APP_KEY --body '${app.key}'`);
    expect(run.stdout).toContain('gh secret set DROPBOX_APP_SECRET');
    expect(run.stdout).toContain('app-secret: ${{ secrets.DROPBOX_APP_SECRET }}');
    expect(run.stdout).not.toContain(app.secret);
    expect(await refresh(token, app.key, app.secret)).toBe(200);
  });

  test('with the secret left empty: PKCE (S256), two secrets, and a token that refreshes without a secret', async () => {
    const app = newApp();
    const run = await runHelper({ appKey: app.key, appSecret: '' });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const url = new URL(run.authorizeUrl!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url.searchParams.get('token_access_type')).toBe('offline');
    const token = printedRefreshToken(run);
    expect(run.stdout).toContain('Add the two repository secrets');
    expect(run.stdout).not.toContain('gh secret set DROPBOX_APP_SECRET');
    expect(run.stdout).not.toContain('app-secret:');
    expect(run.stdout).toContain('leave "app-secret" out');
    expect(await refresh(token, app.key)).toBe(200);
  });

  test('an App-folder app is told where files land', async () => {
    const app = newApp({ accessType: 'app_folder' });
    const run = await runHelper({ appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Access type: +App folder\. .*\/Apps\/<app name>/);
  });

  test('a missing files.content.write is a warning; sharing.write only a note', async () => {
    const app = newApp({ scopes: ['account_info.read', 'files.metadata.read'] });
    const run = await runHelper({ appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Scopes: +account_info\.read files\.metadata\.read\n/);
    expect(run.stdout).toMatch(/WARNING: files\.content\.write was not granted: the action cannot upload/);
    expect(run.stdout).toMatch(/Note: sharing\.write was not granted/);
  });

  test('a team-linked app is told to set select-user', async () => {
    const app = newApp({ linkedTo: 'team' });
    const run = await runHelper({ appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"select-user"');
    expect(run.stdout).toContain('select-user: dbmid:<member id>');
    printedRefreshToken(run);
  });

  test('--secrets-file writes the secrets to a new private file and prints no token', async () => {
    const app = newApp();
    const envFile = path.join(scratch, 'dropbox.env');
    const run = await runHelper({ appKey: app.key, appSecret: app.secret }, ['--secrets-file', envFile]);
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const written = await readFile(envFile, 'utf8');
    const token = /^DROPBOX_REFRESH_TOKEN=(\S+)$/m.exec(written)?.[1];
    expect(token).toBeDefined();
    expect(written).toContain(`DROPBOX_APP_KEY=${app.key}\n`);
    expect(written).toContain(`DROPBOX_APP_SECRET=${app.secret}\n`);
    // Windows has no POSIX permission bits to check.
    if (process.platform !== 'win32') expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    expect(run.stdout).not.toContain(token!);
    expect(run.stdout).toContain(`gh secret set --env-file ${envFile}`);

    const again = await runHelper({ appKey: app.key, appSecret: app.secret }, ['--secrets-file', envFile]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await readFile(envFile, 'utf8')).toBe(written);
  });

  describe('failures get the action’s explanations', () => {
    test('a wrong app secret', async () => {
      const app = newApp();
      const run = await runHelper({ appKey: app.key, appSecret: 'notthesecret' });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('Dropbox app key or secret rejected');
      expect(run.stderr).toContain('invalid_client');
      expect(run.stdout).not.toContain('gh secret set DROPBOX_REFRESH_TOKEN');
      expect(`${run.stdout}${run.stderr}`).not.toContain('notthesecret');
    });

    test('a wrong app key', async () => {
      const app = newApp();
      const run = await runHelper({
        appKey: 'nosuchappkey',
        appSecret: app.secret,
        codeFor: () => Promise.resolve(server.issueAuthorizationCode({ appKey: app.key })),
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('Dropbox app key or secret rejected');
    });

    test('an expired access code', async () => {
      const app = newApp();
      const run = await runHelper({
        appKey: app.key,
        appSecret: app.secret,
        codeFor: () =>
          Promise.resolve(server.issueAuthorizationCode({ appKey: app.key, expiresInSeconds: 0 })),
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('Dropbox access code expired');
      expect(run.stderr).toContain('npm run authorize');
    });

    test('an access code already used', async () => {
      const app = newApp();
      let firstCode = '';
      const first = await runHelper({
        appKey: app.key,
        appSecret: app.secret,
        codeFor: async (url) => (firstCode = await allowInBrowser(url)),
      });
      expect(first.exitCode).toBe(0);
      const second = await runHelper({
        appKey: app.key,
        appSecret: app.secret,
        codeFor: () => Promise.resolve(firstCode),
      });
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toContain('Dropbox access code already used');
    });

    test('a pasted code with spaces in it, and input that ends early', async () => {
      const app = newApp();
      const pasted = await runHelper({
        appKey: app.key,
        appSecret: app.secret,
        codeFor: () => Promise.resolve('abc def'),
      });
      expect(pasted.exitCode).toBe(1);
      expect(pasted.stderr).toContain('access code has a space');

      const ended = await runHelper({ appKey: '', appSecret: '' });
      expect(ended.exitCode).toBe(1);
      expect(ended.stderr).toContain('The app key is empty.');
    });
  });
});
