/**
 * runAuthorize against a fake Dropbox, with the answers a user would type: the code exchange, the token
 * check, what is printed and what never is, and every way the helper stops with its own words.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox, type FakeAppOptions } from '../../../fake-dropbox/index.ts';
import { runAuthorize, type AuthorizeOptions } from '../../../src/authorize/flow.ts';
import { InputEnded, type Prompter } from '../../../src/authorize/prompt.ts';
import { TokenSource } from '../../../src/dropbox/credentials.ts';
import { routeDropboxTo } from '../../support/dropbox.ts';

const TEAM_NAME = 'Evil\n::error::forged | Ünïcødé 名';

let personal: FakeDropbox;
let team: FakeDropbox;
let scratch: string;
let appCount = 0;
beforeAll(async () => {
  personal = await FakeDropbox.start();
  team = await FakeDropbox.start({ team: { teamName: TEAM_NAME, memberName: 'Ada Lovelace' } });
  scratch = await mkdtemp(path.join(tmpdir(), 'authorize-flow-'));
});
afterEach(() => {
  personal.faults.clear();
  team.faults.clear();
});
afterAll(async () => {
  await personal.close();
  await team.close();
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh app in the fake App Console of `server`. */
function newApp(server: FakeDropbox, options: FakeAppOptions = {}): { key: string; secret: string } {
  appCount += 1;
  const app = { key: `flowkey${appCount}`, secret: `flowsecret${appCount}x` };
  server.registerApp({ ...app, name: `Flow App ${appCount}`, ...options });
  return app;
}

/** What a browser does with the printed URL: the fake's authorize page clicks Allow and shows the code. */
async function allowInBrowser(server: FakeDropbox, authorizeUrl: string): Promise<string> {
  const url = new URL(authorizeUrl);
  const page = await (await fetch(`${server.url}${url.pathname}${url.search}`)).text();
  const code = /finish the process:\n\n(\S+)\n/.exec(page)?.[1];
  if (code === undefined) throw new Error(`no access code on the page: ${page}`);
  return code;
}

/** What the user types; an answer left out ends the input there, as Ctrl-D does. */
interface Answers {
  appKey?: string;
  appSecret?: string;
  /** The access code to paste for the printed URL; by default the one the authorize page shows. */
  codeFor?: (authorizeUrl: string) => Promise<string> | string;
}

interface Run {
  exitCode?: number;
  thrown?: unknown;
  /** Each print call, one entry per line printed. */
  stdout: string[];
  stderr: string[];
  questions: { question: string; hidden: boolean }[];
  closed: number;
  authorizeUrl?: string;
  /** Routes the helper reached, in order (the browser's visit to the authorize page left out). */
  routes: string[];
}

/** Runs the helper with scripted answers. */
async function authorize(
  server: FakeDropbox,
  answers: Answers,
  options: AuthorizeOptions = {},
): Promise<Run> {
  routeDropboxTo(server);
  const since = server.requests.length;
  const run: Run = { stdout: [], stderr: [], questions: [], closed: 0, routes: [] };
  const typed = answers.appKey === undefined ? [] : [answers.appKey, answers.appSecret];
  const prompter: Prompter = {
    ask: async (question) => {
      run.questions.push({ question, hidden: false });
      const next = typed.shift();
      if (next !== undefined) return next;
      run.authorizeUrl = run.stdout.map((line) => line.trim()).find((line) => line.startsWith('https://'));
      if (run.authorizeUrl === undefined) throw new InputEnded(question);
      return (answers.codeFor ?? ((url) => allowInBrowser(server, url)))(run.authorizeUrl);
    },
    askHidden: async (question) => {
      run.questions.push({ question, hidden: true });
      const next = typed.shift();
      if (next === undefined) throw new InputEnded(question);
      return next;
    },
    close: () => {
      run.closed += 1;
    },
  };
  try {
    run.exitCode = await runAuthorize(
      {
        prompter,
        print: (line = '') => run.stdout.push(line),
        printError: (line) => run.stderr.push(line),
      },
      options,
    );
  } catch (error) {
    run.thrown = error;
  }
  run.routes = server.requests
    .slice(since)
    .map((entry) => entry.route)
    .filter((route) => route !== 'oauth2/authorize');
  return run;
}

function printedToken(run: Run): string {
  const token = run.stdout
    .map((line) => /gh secret set DROPBOX_REFRESH_TOKEN --body '([^']+)'/.exec(line)?.[1])
    .find((found) => found !== undefined);
  if (token === undefined) throw new Error(`no refresh token in:\n${run.stdout.join('\n')}`);
  return token;
}

/** Proof the token is a real refresh token of the app: the refresh grant the action makes succeeds. */
async function refreshes(server: FakeDropbox, refreshToken: string, appKey: string, appSecret?: string) {
  routeDropboxTo(server);
  const tokens = new TokenSource(
    {
      kind: 'refresh-token',
      refreshToken,
      appKey,
      ...(appSecret === undefined ? {} : { appSecret }),
      accessTokenIgnored: false,
    },
    { mask: () => undefined },
  );
  await tokens.ensureFresh(new AbortController().signal);
  return tokens.currentToken();
}

describe('a token, step by step', () => {
  test('with the app secret: the questions, the exchange, the check, and the token printed once', async () => {
    const app = newApp(personal);
    const run = await authorize(personal, { appKey: ` ${app.key} `, appSecret: `${app.secret}\t` });
    expect([run.exitCode, run.stderr]).toEqual([0, []]);
    expect(run.questions).toEqual([
      { question: 'App key: ', hidden: false },
      { question: 'App secret (leave empty to use PKCE instead): ', hidden: true },
      { question: '2. Paste the access code Dropbox shows: ', hidden: false },
    ]);
    expect(run.closed).toBeGreaterThanOrEqual(1);
    const url = new URL(run.authorizeUrl!);
    expect(url.searchParams.get('client_id')).toBe(app.key);
    expect(url.searchParams.get('token_access_type')).toBe('offline');
    expect(url.searchParams.get('code_challenge')).toBeNull();
    expect(run.routes).toEqual(['oauth2/token', 'users/get_current_account', 'files/list_folder']);

    expect(run.stdout).toContainEqual(
      'Account:      Fake Dropbox <fake-dropbox@example.com> (basic account)',
    );
    expect(run.stdout).toContainEqual(expect.stringMatching(/^Access type: {2}Full Dropbox\./));
    expect(run.stdout).toContainEqual(expect.stringMatching(/^Scopes: {7}.*files\.content\.write/));
    const token = printedToken(run);
    expect(run.stdout.filter((line) => line.includes(token))).toHaveLength(1);
    expect(run.stdout.join('\n')).not.toContain(app.secret);
    expect(run.stdout).toContainEqual('      app-secret: ${{ secrets.DROPBOX_APP_SECRET }}');
    expect(await refreshes(personal, token, app.key, app.secret)).toMatch(/^sl\./);
  });

  test('without a secret: PKCE, two secrets, and a token that refreshes with the app key alone', async () => {
    const app = newApp(personal);
    const run = await authorize(personal, { appKey: app.key, appSecret: '  ' });
    expect([run.exitCode, run.stderr]).toEqual([0, []]);
    const url = new URL(run.authorizeUrl!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(run.stdout).toContainEqual(
      '   (No secret: the code is bound to this session with PKCE, so finish here.)',
    );
    expect(run.stdout).toContainEqual('The token came from PKCE: leave "app-secret" out of the step.');
    expect(run.stdout.join('\n')).not.toContain('app-secret: ${{');
    expect(await refreshes(personal, printedToken(run), app.key)).toMatch(/^sl\./);
  });

  test('an App-folder app is told where its files land', async () => {
    const app = newApp(personal, { accessType: 'app_folder' });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContainEqual(
      expect.stringMatching(/^Access type: {2}App folder\. .*\/Apps\/<app name>/),
    );
  });

  test('a member of a team space: the team, its space, and outside text printed as one line each', async () => {
    const app = newApp(team);
    const run = await authorize(team, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContainEqual(
      'Account:      Ada Lovelace <fake-dropbox@example.com> (business account)',
    );
    // The helper hands each line to print whole; the command's print makes it inert (command.test.ts).
    expect(run.stdout).toContainEqual(`Team:         ${TEAM_NAME}`);
    expect(run.stdout).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Team space: {3}your own folder is /Ada Lovelace; .*namespace ${team.rootNamespaceId}\\)\\.$`,
        ),
      ),
    );
  });

  test('a team-linked app: no account to check, and the step needs select-user', async () => {
    const app = newApp(personal, { linkedTo: 'team' });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.routes).toEqual(['oauth2/token']);
    expect(run.stdout).toContainEqual(expect.stringMatching(/^Team app: .*"select-user"/));
    expect(run.stdout).toContainEqual('      select-user: dbmid:<member id>');
    printedToken(run);
  });

  test('scopes the action needs that were not granted: a warning, and notes', async () => {
    const app = newApp(personal, { scopes: ['account_info.read', 'files.metadata.read'] });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContainEqual('Scopes:       account_info.read files.metadata.read');
    expect(run.stdout).toContainEqual(
      expect.stringMatching(/^WARNING: files\.content\.write was not granted/),
    );
    expect(run.stdout).toContainEqual(expect.stringMatching(/^Note: sharing\.write was not granted/));
  });
});

describe('answers the helper refuses before any request, without echoing them', () => {
  const app = { key: 'shapekey', secret: 'shapesecret' };
  beforeAll(() => personal.registerApp({ ...app, name: 'Shape App' }));

  // Each row: the app key, the secret and the code typed; the answer refused; how the refusal starts.
  test.each([
    ['an empty app key', '  ', app.secret, 'ok', '', 'The app key is empty.'],
    ['an app key with a space', 'abc def', app.secret, 'ok', 'abc def', 'The app key has a space'],
    [
      'an app key with a workflow command',
      'k\n::error::forged',
      app.secret,
      'ok',
      'k\n::error::forged',
      'The app key has',
    ],
    ['an app key with a pipe', 'k|k', app.secret, 'ok', 'k|k', 'The app key has'],
    ['a unicode app key', 'ключ名', app.secret, 'ok', 'ключ名', 'The app key has'],
    ['an app secret with a quote', app.key, "s'; rm -rf /", 'ok', "s'; rm -rf /", 'The app secret has'],
    ['an access code with a space', app.key, app.secret, 'abc def', 'abc def', 'The access code has a space'],
    [
      'an access code with a workflow command',
      app.key,
      app.secret,
      '::error::forged',
      '::error::forged',
      'The access code has',
    ],
    ['an empty access code', app.key, app.secret, ' ', '', 'The access code is empty.'],
  ])('%s', async (_what, appKey, appSecret, code, refused, start) => {
    const run = await authorize(personal, { appKey, appSecret, codeFor: () => code });
    expect(run.exitCode).toBe(1);
    expect(run.stderr[0]).toBe('');
    expect(run.stderr[1]?.startsWith(start)).toBe(true);
    expect(run.routes).toEqual([]);
    const printed = [...run.stdout, ...run.stderr].join('\n');
    if (refused !== '') expect(printed).not.toContain(refused);
    expect(printed).not.toContain(app.secret);
  });

  test('input that ends before an answer', async () => {
    const run = await authorize(personal, {});
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toEqual(['', 'The input ended before an answer to "App key:".']);
    expect(run.closed).toBeGreaterThanOrEqual(1);
  });
});

describe('Dropbox failures get the action’s explanations', () => {
  test('a code exchange that fails is not retried: an access code works once', async () => {
    const app = newApp(personal);
    personal.faults.add({ route: 'oauth2/token', action: { kind: 'status', status: 503 } });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(1);
    expect(run.routes).toEqual(['oauth2/token']);
    expect(run.stderr[1]).toBe('Dropbox is failing (5XX)');
  });

  test('an expired access code', async () => {
    const app = newApp(personal);
    const run = await authorize(personal, {
      appKey: app.key,
      appSecret: app.secret,
      codeFor: () => personal.issueAuthorizationCode({ appKey: app.key, expiresInSeconds: 0 }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr[1]).toBe('Dropbox access code expired');
  });

  test('an app without account_info.read cannot have its token checked', async () => {
    const app = newApp(personal, { scopes: ['files.content.write', 'files.metadata.read'] });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBe(1);
    expect(run.stderr[1]).toBe('Dropbox app is missing a permission');
    expect(run.stderr.join('\n')).toContain('"account_info.read"');
    expect(run.stdout.join('\n')).not.toContain('gh secret set DROPBOX_REFRESH_TOKEN');
  });

  test('an authorization without offline access gives no refresh token, and the helper says so', async () => {
    const app = newApp(personal);
    const run = await authorize(personal, {
      appKey: app.key,
      appSecret: app.secret,
      codeFor: (url) =>
        allowInBrowser(personal, url.replace('token_access_type=offline', 'token_access_type=online')),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr[1]).toMatch(/^Dropbox answered without a refresh token\. .*create a new scoped app\.$/);
  });

  test('an answer the helper cannot read is not its to explain: it is thrown, and the input still closed', async () => {
    const app = newApp(personal);
    personal.faults.add({
      route: 'users/get_current_account',
      action: { kind: 'status', status: 200, body: { account_id: 'dbid:x' } },
    });
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret });
    expect(run.exitCode).toBeUndefined();
    expect(run.thrown).toBeInstanceOf(TypeError);
    expect(run.closed).toBeGreaterThanOrEqual(1);
  });
});

describe('--secrets-file', () => {
  test('the secrets go to a new private file, and the token is not printed', async () => {
    const app = newApp(personal);
    const file = path.join(scratch, 'with secret.env');
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret }, { secretsFile: file });
    expect([run.exitCode, run.stderr]).toEqual([0, []]);
    const written = await readFile(file, 'utf8');
    const token = /^DROPBOX_REFRESH_TOKEN=(\S+)$/m.exec(written)?.[1];
    expect(written).toBe(
      `DROPBOX_REFRESH_TOKEN=${token}\nDROPBOX_APP_KEY=${app.key}\nDROPBOX_APP_SECRET=${app.secret}\n`,
    );
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(run.stdout.join('\n')).not.toContain(token!);
    expect(run.stdout).toContainEqual(`Wrote the three secrets to ${file} (readable only by you).`);
  });

  test('PKCE: two secrets', async () => {
    const app = newApp(personal);
    const file = path.join(scratch, 'pkce.env');
    const run = await authorize(personal, { appKey: app.key, appSecret: '' }, { secretsFile: file });
    expect(run.exitCode).toBe(0);
    expect(await readFile(file, 'utf8')).not.toContain('DROPBOX_APP_SECRET');
    expect(run.stdout).toContainEqual(`Wrote the two secrets to ${file} (readable only by you).`);
  });

  test.each([
    [
      'a file that exists is never overwritten',
      'exists.env',
      'already exists; give --secrets-file a new file name',
    ],
    ['a folder that does not exist', path.join('no-such-folder', 'x.env'), '(ENOENT).'],
  ])('%s', async (_what, name, says) => {
    const file = path.join(scratch, name);
    if (name === 'exists.env') await writeFile(file, 'keep');
    const app = newApp(personal);
    const run = await authorize(personal, { appKey: app.key, appSecret: app.secret }, { secretsFile: file });
    expect(run.exitCode).toBe(1);
    expect(run.stderr[1]).toContain(file);
    expect(run.stderr[1]).toContain(says);
    expect(run.stdout.join('\n')).not.toContain('gh secret set DROPBOX_REFRESH_TOKEN');
  });
});
