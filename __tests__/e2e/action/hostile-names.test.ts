/**
 * File names are chosen by whoever wrote the files (in a pull request, its author). Through the bundled
 * action, as the runner runs it: names holding line breaks followed by workflow commands, percent
 * escapes, carriage returns and pipes never become a command, and the real failure annotation still
 * reaches the runner.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun } from '../../../scripts/action-runner.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const APP = { key: 'hostile-app-key', secret: 'hostile-app-secret-value' };

/** Each a file name (or folder name) an attacker could choose; Windows refuses most of them. */
const HOSTILE = {
  error: 'report\n::error title=Forged::all files uploaded.txt',
  mask: 'a\n::add-mask::uploaded.txt',
  stop: 'b\n::stop-commands::x.txt',
  percent: 'c%0A::warning::forged%0D.txt',
  carriage: 'd\r::notice::forged.txt',
  pipe: 'e | www.evil.test | [x](javascript:alert) `y`.txt',
  group: 'f\n::group::forged\n::endgroup::.txt',
};
/** A folder whose file Dropbox refuses (desktop.ini): its failure annotation carries the hostile path. */
const REFUSED = 'g\n::error title=Forged::dir/desktop.ini';

let server: FakeDropbox;
let tree: Tree;
let result: ActionRun;
let secrets: string[];

/** The workflow commands the runner would see: lines that start with `::` after leading white space. */
function commandsIn(stdout: string): string[] {
  return stdout
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trimStart().startsWith('::'))
    .map((line) => /^\s*::([a-z-]+)/.exec(line)?.[1] ?? line);
}

const POSIX = process.platform !== 'win32';

beforeAll(async () => {
  if (!POSIX) return;
  server = await FakeDropbox.start();
  server.registerApp(APP);
  tree = await makeTree({
    ...Object.fromEntries(Object.values(HOSTILE).map((name) => [`out/${name}`, name])),
    [`out/${REFUSED}`]: 'Dropbox refuses this name',
    'out/plain.txt': 'plain',
  });
  const refreshToken = server.issueRefreshToken({ appKey: APP.key });
  secrets = [refreshToken, APP.key, APP.secret];
  result = await runAction({
    inputs: {
      path: 'out',
      destination: '/hostile',
      'refresh-token': refreshToken,
      'app-key': APP.key,
      'app-secret': APP.secret,
      'if-no-files-found': 'error',
    },
    workspace: tree.root,
    fakeDropboxUrl: server.url,
  });
});

afterAll(async () => {
  if (!POSIX) return;
  await server.close();
  await tree.cleanup();
});

(POSIX ? describe : describe.skip)('hostile file names through dist/index.js', () => {
  test('the hostile files arrive under their real names; the one Dropbox refuses fails the step', () => {
    expect(result.exitCode).toBe(1);
    const stored = server.files().map((file) => file.path);
    for (const name of Object.values(HOSTILE)) expect(stored).toContain(`/hostile/${name}`);
    expect([result.outputs['uploaded-count'], result.outputs['failed-count']]).toEqual(['8', '1']);
  });

  test('no forged command: only the commands the action means reach the runner', () => {
    const commands = commandsIn(result.stdout);
    expect(
      commands.filter((command) => !['group', 'endgroup', 'error', 'debug', 'add-mask'].includes(command)),
    ).toEqual([]);
    expect(result.stdout).not.toMatch(/^\s*::(stop-commands|warning|notice)/m);
    // The masks are the credentials and the one token minted from them, nothing a file name wrote.
    const masked = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length));
    expect(masked.slice(0, 3).sort()).toEqual([...secrets].sort());
    expect(masked).toHaveLength(4);
    expect(masked).not.toContain('uploaded.txt');
    expect(result.stdout).not.toMatch(/^\s*::error title=Forged/m);
    // Groups are only the action's own phases.
    const groups = result.stdout.split('\n').filter((line) => line.startsWith('::group::'));
    expect(groups.map((line) => line.slice('::group::'.length))).toEqual([
      'Inputs',
      'Find files',
      'List Dropbox',
      'Upload',
      'Report',
    ]);
  });

  test('control characters are shown escaped in the log', () => {
    expect(result.stdout).toContain('uploaded /hostile/a\\n::add-mask::uploaded.txt');
    expect(result.stdout).toContain('uploaded /hostile/d\\r::notice::forged.txt');
    expect(result.stdout).toContain('uploaded /hostile/c%0A::warning::forged%0D.txt');
  });

  test('the real failure annotation still appears, with the hostile path escaped in it', () => {
    const errors = annotationsIn(result.stdout, 'error');
    const failure = errors.find((annotation) => annotation.title === 'Name not allowed by Dropbox');
    expect(failure?.message).toContain('/hostile/g\\n::error title=Forged::dir/desktop.ini');
    expect(
      errors.some((annotation) => /1 of 9 file\(s\) did not reach Dropbox/.test(annotation.message)),
    ).toBe(true);
  });

  test('the job summary keeps every name in its cell: no forged row, link or line break', () => {
    const rows = result.summary.split('\n').filter((line) => line.startsWith('| '));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    expect(result.summary).toContain('e \\| www\\.evil.test \\| \\[x\\]\\(javascript:alert\\) \\`y\\`.txt');
    expect(result.summary).not.toMatch(/(?<!\\)www\.evil/);
  });
});
