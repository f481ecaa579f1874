/**
 * `dropbox-upload` (dist/upload-cli.js) as a user runs it, a child process against the fake Dropbox: the
 * files arrive byte-exact, --json on stdout, a readable log on stderr with no runner protocol and no
 * secret, credentials from the environment or flags (with a warning), placeholders without a workflow,
 * from GitLab's variables, and the exit codes 0, 1 and 2 (the last before any request).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { dropboxContentHash } from '../../../fake-dropbox/content-hash.ts';
import { commandLines, runCommand, type ProgramRun } from '../../support/cli.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const APP = { key: 'cli-app-key', secret: 'cli-app-secret-value' };
const SHA = '3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b';

let server: FakeDropbox;
let tree: Tree;
let refreshToken: string;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  refreshToken = server.issueRefreshToken({ appKey: APP.key });
  tree = await makeTree({
    'site/index.html': '<h1>hello</h1>\n',
    'site/empty.txt': '',
    'site/docs/résumé 2026 – final.txt': 'unicode and spaces\n',
    'site/docs/日本語/メモ.txt': 'nested unicode\n',
    'site/archive/backup.bin': 9 * MiB + 12345,
  });
});

afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

/** For runs that must stop before any request: the token is never sent. */
const UNUSED_TOKEN = { DROPBOX_ACCESS_TOKEN: 'never-sent-anywhere' };

const credentials = (): Record<string, string> => ({
  DROPBOX_REFRESH_TOKEN: refreshToken,
  DROPBOX_APP_KEY: APP.key,
  DROPBOX_APP_SECRET: APP.secret,
});

function upload(args: string[], env: Record<string, string> = credentials()): Promise<ProgramRun> {
  return runCommand(args, { cwd: tree.root, env, fakeDropboxUrl: server.url });
}

/** Everything the program printed: no secret may be in it, and no line the runner would obey. */
function printed(run: ProgramRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

function expectNoSecret(run: ProgramRun, secrets: string[]): void {
  const output = printed(run);
  for (const secret of secrets) expect(output.includes(secret)).toBe(false);
  // The fake's access tokens, minted from the refresh token during the run.
  expect(output).not.toMatch(/sl\.[A-Za-z0-9_-]{20,}/);
}

interface Entry {
  path: string;
  dropboxPath: string;
  size: number;
  contentHash: string;
  status: string;
  error?: string;
}

describe('dropbox-upload: a run that works', () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await upload(['--path', 'site/**', '--destination', '/cli/{date}', '--chunk-size', '4', '--json']);
  });

  test('exit 0; --json on stdout lists every file as uploaded, byte-exact in Dropbox', async () => {
    expect([run.exitCode, run.stderr.split('\n').filter((line) => line.startsWith('error'))]).toEqual([
      0,
      [],
    ]);
    const entries = JSON.parse(run.stdout) as Entry[];
    expect(entries.map((entry) => [entry.path, entry.status]).sort()).toEqual(
      [
        'site/archive/backup.bin',
        'site/docs/résumé 2026 – final.txt',
        'site/docs/日本語/メモ.txt',
        'site/empty.txt',
        'site/index.html',
      ].map((name) => [name, 'uploaded']),
    );
    const day = new Date().toISOString().slice(0, 10);
    for (const entry of entries) {
      const content = await readFile(tree.file(entry.path));
      expect(entry.dropboxPath.startsWith(`/cli/${day}/`)).toBe(true);
      expect(server.readFile(entry.dropboxPath).equals(content)).toBe(true);
      expect(entry.contentHash).toBe(dropboxContentHash(content));
    }
  });

  test('the log on stderr reads as a log: headings, the lines, the summary as a table', () => {
    expect(run.stderr).toContain('== Find files ==');
    expect(run.stderr).toContain('== Upload ==');
    expect(run.stderr).toMatch(/^Dropbox upload\n=+$/m);
    expect(run.stderr).toMatch(/^Local path +Dropbox path +Size +Status$/m);
    expect(run.stderr).toMatch(
      /^site\/archive\/backup\.bin +\/cli\/\S+\/archive\/backup\.bin +9\.0 MiB +✅ Uploaded$/m,
    );
    expect(run.stderr).toMatch(/^Uploaded 5, skipped 0, failed 0/m);
    expect(run.stderr).not.toContain('debug:');
  });

  test('no runner protocol and no secret anywhere in the output', () => {
    expect(commandLines(printed(run))).toEqual([]);
    expectNoSecret(run, [refreshToken, APP.secret]);
  });

  test('a second run skips what is unchanged; --verbose shows debug lines', async () => {
    const again = await upload(['--path', 'site/**', '--destination', '/cli/{date}', '--verbose', '--json']);
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as Entry[]).every((entry) => entry.status === 'skipped')).toBe(true);
    expect(again.stderr).toMatch(/^debug: /m);
    expect(commandLines(printed(again))).toEqual([]);
  });
});

describe('dropbox-upload: credentials', () => {
  test('DROPBOX_ACCESS_TOKEN alone', async () => {
    const accessToken = server.issueAccessToken({ appKey: APP.key });
    const run = await upload(['--path', 'site/index.html', '--destination', '/cli/access'], {
      DROPBOX_ACCESS_TOKEN: accessToken,
    });
    expect(run.exitCode).toBe(0);
    expect(server.files().map((file) => file.path)).toContain('/cli/access/index.html');
    expectNoSecret(run, [accessToken]);
  });

  test('a secret given as a flag: a warning says where it shows; it is never printed', async () => {
    const run = await upload(
      [
        '--path',
        'site/index.html',
        '--destination',
        '/cli/flags',
        '--refresh-token',
        refreshToken,
        `--app-secret=${APP.secret}`,
      ],
      { DROPBOX_APP_KEY: APP.key },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(
      'warning: Secret on the command line: --refresh-token puts the secret in your shell history and in the ' +
        'process list, where other users of this machine can read it. Set DROPBOX_REFRESH_TOKEN in the environment instead.',
    );
    expect(run.stderr).toContain('--app-secret puts the secret in your shell history');
    expectNoSecret(run, [refreshToken, APP.secret]);
  });

  test('a rejected refresh token: exit 1 with the explanation, and no secret', async () => {
    const revoked = server.issueRefreshToken({ appKey: APP.key });
    server.revokeRefreshToken(revoked);
    const run = await upload(['--path', 'site/index.html', '--destination', '/cli/revoked', '--json'], {
      ...credentials(),
      DROPBOX_REFRESH_TOKEN: revoked,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error: Dropbox refresh token rejected: /m);
    expect((JSON.parse(run.stdout) as Entry[]).map((entry) => entry.status)).toEqual(['failed']);
    expectNoSecret(run, [revoked, APP.secret]);
  });
});

describe('dropbox-upload: exit 2 for bad input, before any request', () => {
  test.each([
    [
      'a bad chunk-size',
      ['--path', 'site/**', '--chunk-size', '10'],
      UNUSED_TOKEN,
      'error: Input "chunk-size" is "10"; it must be a multiple of 4 from 4 to 148 (MiB).',
    ],
    ['no --path', ['--destination', '/x'], UNUSED_TOKEN, 'error: Input "path" is required'],
    ['no credentials', ['--path', 'site/**'], {}, 'error: No Dropbox credentials'],
    [
      'an unknown flag',
      ['--path', 'site/**', '--destinaton', '/x'],
      UNUSED_TOKEN,
      'dropbox-upload: Unknown option --destinaton. Did you mean --destination?',
    ],
    ['a positional argument', ['site/**'], UNUSED_TOKEN, 'dropbox-upload: Unexpected argument "site/**".'],
    [
      'a keep-last without a time in the last folder',
      ['--path', 'site/**', '--destination', '/b', '--keep-last', '3'],
      UNUSED_TOKEN,
      'error: Input "keep-last" is "3"',
    ],
    [
      'a credential with a character no token has',
      ['--path', 'site/**'],
      { DROPBOX_ACCESS_TOKEN: 'abc\u200bdef' },
      'error: Input "access-token" (hidden) contains a character that cannot be in it: U+200B',
    ],
  ])('%s', async (_name, args, env, message) => {
    const before = server.requests.length;
    const run = await upload(args, env);
    expect([run.exitCode, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toContain(message);
    expect(server.requests.length).toBe(before);
    expect(commandLines(printed(run))).toEqual([]);
  });
});

test('a token where a flag should be is not echoed', async () => {
  const token = 'sl.u.AbCdEf0123456789GhIjKlMnOpQr';
  const run = await upload(['--path', 'site/**', token], UNUSED_TOKEN);
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('dropbox-upload: Unexpected argument "(hidden)".');
  expect(printed(run)).not.toContain(token);
});

describe('dropbox-upload: placeholders without a workflow', () => {
  test('{date}, {time} and {datetime} need nothing', async () => {
    const run = await upload([
      '--path',
      'site/index.html',
      '--destination',
      '/cli/{date}/{time}/{datetime}',
      '--dry-run',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /resolved to \/cli\/\d{4}-\d{2}-\d{2}\/\d{2}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\./,
    );
  });

  test("GitLab CI's variables give {owner}, {repo}, {ref}, {short-sha} and {run-number}", async () => {
    const run = await upload(
      [
        '--path',
        'site/index.html',
        '--destination',
        '/cli/{owner}/{repo}/{ref}/{short-sha}-{run-number}',
        '--json',
      ],
      {
        ...credentials(),
        CI_PROJECT_NAMESPACE: 'acme/web',
        CI_PROJECT_NAME: 'my-site',
        CI_COMMIT_REF_NAME: 'feature/login',
        CI_COMMIT_SHA: SHA,
        CI_PIPELINE_IID: '42',
      },
    );
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as Entry[]).map((entry) => entry.dropboxPath)).toEqual([
      '/cli/acme-web/my-site/feature-login/3f2a9c1-42/index.html',
    ]);
  });

  test("GitHub's variables work outside a runner too", async () => {
    const run = await upload(
      ['--path', 'site/index.html', '--destination', '/cli/{repo}-{run-number}', '--json'],
      {
        ...credentials(),
        GITHUB_REPOSITORY: 'acme/other',
        GITHUB_RUN_NUMBER: '7',
      },
    );
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as Entry[])[0]?.dropboxPath).toBe('/cli/other-7/index.html');
  });

  test('a context placeholder without its variable: exit 2, naming the variables, before any request', async () => {
    const before = server.requests.length;
    const run = await upload(['--path', 'site/**', '--destination', '/cli/{repo}/{sha}']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'error: Input "destination" is "/cli/{repo}/{sha}"; {repo} needs GITHUB_REPOSITORY',
    );
    expect(run.stderr).toContain(
      "{repo}: GITHUB_REPOSITORY or GitLab CI's CI_PROJECT_NAME; {sha}: GITHUB_SHA or GitLab CI's CI_COMMIT_SHA.",
    );
    expect(server.requests.length).toBe(before);
  });
});

const POSIX = process.platform !== 'win32';

(POSIX ? describe : describe.skip)('dropbox-upload: hostile file names', () => {
  const hostile = [
    'report\n::error title=Forged::all files uploaded.txt',
    'a\n::add-mask::uploaded.txt',
    'b\n::stop-commands::x.txt',
    'd\r::notice::forged.txt',
    'e\u001b[2J\u001b[31mred.txt',
  ];
  let names: Tree;
  let run: ProgramRun;
  beforeAll(async () => {
    names = await makeTree({
      ...Object.fromEntries(hostile.map((name) => [`out/${name}`, name])),
      'out/g\n::error::dir/desktop.ini': 'Dropbox refuses this name',
    });
    run = await runCommand(['--path', 'out', '--destination', '/hostile-cli', '--json'], {
      cwd: names.root,
      env: credentials(),
      fakeDropboxUrl: server.url,
    });
  });
  afterAll(async () => names.cleanup());

  test('the files arrive under their real names; the refused one makes the exit code 1', () => {
    expect(run.exitCode).toBe(1);
    const stored = server.files().map((file) => file.path);
    for (const name of hostile) expect(stored).toContain(`/hostile-cli/${name}`);
    expect(run.stderr).toMatch(/^error: Name not allowed by Dropbox: /m);
    expect(run.stderr).toMatch(/^error: 1 of 6 file\(s\) did not reach Dropbox\.$/m);
  });

  test('no line of the log starts a command, holds a control character, or moves the cursor', () => {
    expect(commandLines(run.stderr)).toEqual([]);
    // eslint-disable-next-line no-control-regex
    for (const line of run.stderr.split('\n')) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stderr).toContain('report\\n::error title=Forged::all files uploaded.txt');
    expect(run.stderr).toContain('e\\x1b[2J\\x1b[31mred.txt');
  });

  test('--json keeps the real names, as JSON escapes', () => {
    const entries = JSON.parse(run.stdout) as Entry[];
    expect(entries.map((entry) => entry.path).sort()).toEqual(
      [...hostile, 'g\n::error::dir/desktop.ini'].map((name) => `out/${name}`).sort(),
    );
    expect(commandLines(run.stdout)).toEqual([]);
  });
});

describe('dropbox-upload: --help and --version', () => {
  test('--help on stdout, exit 0, no request', async () => {
    const run = await upload(['--help']);
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Usage: dropbox-upload --path <pattern>/);
  });

  test('--version names the package version', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const run = await upload(['--version']);
    expect([run.exitCode, run.stdout]).toEqual([0, `dropbox-upload ${version}\n`]);
  });
});
