/**
 * `npm start` (scripts/local-run.ts): the demo through the command line's terminal renderer. No line the
 * runner would obey, no secret; arguments after `--` reach dropbox-upload; DROPBOX_* credentials send the
 * run elsewhere (here, to a fake Dropbox of the test's own).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { repoRoot } from '../../../scripts/action-runner.ts';
import { commandLines, runCommand, type ProgramRun } from '../../support/cli.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const localRun = path.join(repoRoot, 'scripts', 'local-run.ts');

function npmStart(args: string[], env: Record<string, string> = {}): Promise<ProgramRun> {
  return runCommand(args, { cwd: repoRoot, env, program: localRun });
}

function printed(run: ProgramRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

describe('npm start', () => {
  test('the sample folder to the embedded fake: a readable log, no runner protocol, no token', async () => {
    const run = await npmStart([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('using the embedded fake Dropbox');
    expect(run.stderr).toContain('== Upload ==');
    expect(run.stderr).toMatch(/^Local path +Dropbox path +Size +Status$/m);
    expect(run.stdout).toContain('The fake Dropbox now holds 6 file(s):');
    expect(run.stdout).toContain('/builds/demo/docs/résumé 2026 – final.txt');
    expect(commandLines(printed(run))).toEqual([]);
    expect(printed(run)).not.toMatch(/add-mask|sl\.[A-Za-z0-9_-]{20,}|demo-app-secret/);
  });

  describe('with DROPBOX_* credentials in the environment', () => {
    const app = { key: 'start-app-key', secret: 'start-app-secret-value' };
    let server: FakeDropbox;
    let refreshToken: string;
    let run: ProgramRun;
    beforeAll(async () => {
      server = await FakeDropbox.start();
      server.registerApp(app);
      refreshToken = server.issueRefreshToken({ appKey: app.key });
      run = await npmStart([], {
        FAKE_DROPBOX_URL: server.url,
        DROPBOX_REFRESH_TOKEN: refreshToken,
        DROPBOX_APP_KEY: app.key,
        DROPBOX_APP_SECRET: app.secret,
      });
    });
    afterAll(async () => server.close());

    test('it uploads there, into the demo folder', () => {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`uploading to the fake Dropbox at ${server.url}`);
      expect(server.files().map((file) => file.path)).toContain('/dropbox-upload-action-demo/index.html');
    });

    test('neither the credentials nor the access tokens minted from them are printed', () => {
      const output = printed(run);
      for (const secret of [refreshToken, app.secret]) expect(output.includes(secret)).toBe(false);
      expect(output).not.toMatch(/sl\.[A-Za-z0-9_-]{20,}/);
      expect(commandLines(output)).toEqual([]);
    });
  });

  describe('arguments after --', () => {
    let mine: Tree;
    beforeAll(async () => {
      mine = await makeTree({ 'my-folder/a.txt': 'a', 'my-folder/sub/b c.txt': 'b' });
    });
    afterAll(async () => mine.cleanup());

    test('--path and --destination upload your own files, from where npm was started', async () => {
      const run = await npmStart(['--path', './my-folder', '--destination', '/test', '--dry-run'], {
        INIT_CWD: mine.root,
      });
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toMatch(/^my-folder\/sub\/b c\.txt +\/test\/sub\/b c\.txt +1 B +🔍 Would upload$/m);
      expect(run.stdout).toContain('The fake Dropbox now holds 0 file(s):');
    });

    test('a bad flag is the program’s exit 2', async () => {
      const run = await npmStart(['--chunk-size', '3']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('error: Input "chunk-size" is "3"');
    });
  });
});
