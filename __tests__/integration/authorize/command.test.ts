/**
 * The helper's command (src/authorize.ts → command.ts), run from source against a fake Dropbox: its flags and
 * exit codes, the proxy line, every printed line made inert, and a failure nothing explains told without
 * its details. The helper's steps themselves: flow.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { repoRoot } from '../../../scripts/action-runner.ts';
import { runAuthorize, type AuthorizeRun } from '../../support/authorize-run.ts';

const command = path.join(repoRoot, 'src', 'authorize.ts');
const TEAM_NAME = 'Evil\n::error::forged | Ünïcødé 名';
const APP = { key: 'commandkey', secret: 'commandsecret' };

let server: FakeDropbox;
let scratch: string;
beforeAll(async () => {
  server = await FakeDropbox.start({ team: { teamName: TEAM_NAME, memberName: 'Ada Lovelace' } });
  server.registerApp({ ...APP, name: 'Command App' });
  scratch = await mkdtemp(path.join(tmpdir(), 'authorize-command-'));
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the command with `args`; with `answer`, types the app's key and secret and pastes the code. */
function runCommand(
  args: string[],
  options: { answer?: boolean; env?: Record<string, string> } = {},
): Promise<AuthorizeRun> {
  return runAuthorize(command, args, {
    cwd: scratch,
    env: { FAKE_DROPBOX_URL: server.url, ...options.env },
    ...(options.answer === true
      ? { answers: { appKey: APP.key, appSecret: APP.secret, dropboxUrl: server.url } }
      : {}),
  });
}

function expectInert(output: string): void {
  for (const line of output.split('\n')) expect(line).not.toMatch(/^\s*(::|##\[)/);
}

describe('the command line', () => {
  test.each([['--help'], ['-h']])('%s: the usage on stdout, exit 0', async (flag) => {
    const run = await runCommand([flag]);
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Usage: node dist\/authorize\.js \[--secrets-file FILE\]\n/);
    expect(run.stdout).toContain('--secrets-file FILE');
  });

  test.each([[['--bogus']], [['--secrets-file']], [['a-file.env']], [['--help=yes']]])(
    '%j: the usage on stderr, exit 2, nothing asked',
    async (args) => {
      const run = await runCommand(args);
      expect([run.exitCode, run.stdout]).toEqual([2, '']);
      expect(run.stderr).toMatch(/^Usage: node dist\/authorize\.js/);
    },
  );
});

describe('a run', () => {
  test('every line it prints is inert: outside text with a line break starts no workflow command', async () => {
    const run = await runCommand([], { answer: true });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('Team:         Evil\\n::error::forged | Ünïcødé 名\n');
    expectInert(run.stdout);
    expect(run.stdout).toContain('gh secret set DROPBOX_REFRESH_TOKEN');
  });

  test('--secrets-file reaches the helper, and a path it cannot write is shown inert on stderr', async () => {
    const file = path.join(scratch, 'secrets.env');
    const written = await runCommand(['--secrets-file', file], { answer: true });
    expect([written.exitCode, written.stderr]).toEqual([0, '']);
    expect(await readFile(file, 'utf8')).toMatch(/^DROPBOX_REFRESH_TOKEN=/);
    expect(written.stdout).not.toContain('gh secret set DROPBOX_REFRESH_TOKEN');

    const hostile = path.join(scratch, 'no-such-folder', 'a\n::error::forged.env');
    const refused = await runCommand(['--secrets-file', hostile], { answer: true });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^Could not write .*no-such-folder\/a/m);
    expect(refused.stderr).toContain('forged.env (ENOENT).');
    expectInert(refused.stderr);
  });

  test('a proxy from the environment is named first, without its password', async () => {
    const run = await runCommand([], {
      env: { HTTPS_PROXY: 'http://dev:s3cret-pw@proxy.invalid:3128', NO_PROXY: '' },
    });
    expect(run.exitCode).toBe(1);
    const [first] = run.stdout.split('\n');
    expect(first).toMatch(/proxy\.invalid:3128/);
    expect(run.stdout).not.toContain('s3cret-pw');
    expect(run.stderr).toBe('\nThe input ended before an answer to "App key:".\n');
  });

  test('a failure nothing explains: one line on stderr, exit 1, no details that could hold a secret', async () => {
    server.faults.add({
      route: 'users/get_current_account',
      action: { kind: 'status', status: 200, body: { account_id: 'dbid:x' } },
    });
    const run = await runCommand([], { answer: true });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^Unexpected failure: [^\n]+\n$/);
    expect(run.stderr).not.toContain(APP.secret);
    expect(run.stdout).not.toContain('gh secret set DROPBOX_REFRESH_TOKEN');
  });
});
