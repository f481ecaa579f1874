/**
 * `dropbox-restore` (dist/restore-cli.js) as a user runs it, a child process against the fake Dropbox: the
 * newest backup of a series comes back byte-exact into a local folder, --json on stdout, a readable log on
 * stderr with no runner protocol and no secret, and the exit codes 0, 1 and 2 (the last before any request).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { repoRoot } from '../../../scripts/action-runner.ts';
import { commandLines, runCommand, type ProgramRun } from '../../support/cli.ts';
import { makeTree, patternBytes, type Tree } from '../../support/tree.ts';

const APP = { key: 'cli-restore-key', secret: 'cli-restore-secret-value' };
const program = path.join(repoRoot, 'dist', 'restore-cli.js');
const big = patternBytes(9 * 1024 * 1024 + 321, 7);

let server: FakeDropbox;
let tree: Tree;
let refreshToken: string;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  refreshToken = server.issueRefreshToken({ appKey: APP.key });
  tree = await makeTree({ 'keep.txt': 'workspace' });
  server.putFile('/backups/site/2026-11-22T02-00-00Z/db.sql', 'older');
  server.putFile('/backups/site/2026-11-23T02-00-00Z/db.sql', 'newest');
  server.putFile('/backups/site/2026-11-23T02-00-00Z/docs/résumé ü.txt', 'unicode and spaces');
  server.putFile('/backups/site/2026-11-23T02-00-00Z/archive.bin', big);
  server.putFile('/backups/site/2026-11-23T02-00-00Z/x\n::error::forged.txt', 'hostile');
});

afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

const credentials = (): Record<string, string> => ({
  DROPBOX_REFRESH_TOKEN: refreshToken,
  DROPBOX_APP_KEY: APP.key,
  DROPBOX_APP_SECRET: APP.secret,
});

function restore(args: string[], env: Record<string, string> = credentials()): Promise<ProgramRun> {
  return runCommand(args, { cwd: tree.root, env, fakeDropboxUrl: server.url, program });
}

describe('dropbox-restore', () => {
  test('the newest backup of the series comes back byte-exact; --json on stdout; a readable log', async () => {
    const run = await restore([
      '--source',
      '/backups/site/{datetime}',
      '--path',
      'restored',
      '--chunk-size',
      '4',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const files = JSON.parse(run.stdout) as { dropboxPath: string; status: string }[];
    expect(files.map((file) => file.status)).toEqual([
      'downloaded',
      'downloaded',
      'downloaded',
      'downloaded',
    ]);
    expect(await readFile(tree.file('restored/db.sql'), 'utf8')).toBe('newest');
    expect(await readFile(tree.file('restored/docs/résumé ü.txt'), 'utf8')).toBe('unicode and spaces');
    expect((await readFile(tree.file('restored/archive.bin'))).equals(big)).toBe(true);
    expect((await stat(tree.file('restored/x\n::error::forged.txt'))).size).toBe(7);
    expect(commandLines(`${run.stdout}\n${run.stderr}`)).toEqual([]);
    expect(run.stderr).toContain('x\\n::error::forged.txt');
    const printed = `${run.stdout}\n${run.stderr}`;
    for (const secret of [refreshToken, APP.secret]) expect(printed).not.toContain(secret);
    expect(printed).not.toMatch(/sl\.[A-Za-z0-9_-]{20,}/);
  });

  test('a source that does not exist: exit 1, explained', async () => {
    const run = await restore(['--source', '/backups/nowhere', '--path', 'nothing']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/Restore source not found in Dropbox/);
  });

  test.each([
    [['--path', 'x'], /Input "source" is required/],
    [
      ['--source', '/backups/site', '--if-exists', 'rename'],
      /Input "if-exists" is "rename"; it must be one of overwrite, skip, fail\./,
    ],
    [['--source', '/backups/{repo}/{datetime}'], /\{repo\}/],
  ])('bad input %j: exit 2 before any request', async (args, message) => {
    const before = server.requests.length;
    const run = await restore(args, { DROPBOX_ACCESS_TOKEN: 'never-sent-anywhere' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.requests.length).toBe(before);
  });
});
