/**
 * The bundled dist/index.js, run as the Actions runner runs it: a child process with INPUT_*
 * variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and Dropbox traffic sent to the fake server.
 */
import { readFile, symlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun, type Annotation } from '../../../scripts/action-runner.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const APP = { key: 'e2e-app-key', secret: 'e2e-app-secret-value' };
let server: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  tree = await makeTree({
    'dist/index.html': '<h1>release</h1>',
    'dist/index.js.map': '{"version":3}',
    'dist/assets/app.js': 'console.log(1)',
    'dist/docs/résumé 2026 – final.txt': 'unicode and spaces',
    'dist/docs/日本語/メモ.txt': 'nested unicode',
    'dist/empty.txt': '',
    'dist/.secret-config': 'hidden',
    'dist/big/archive.bin': 10 * MiB + 4321,
  });
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

function refreshInputs(): Record<string, string> {
  return {
    'refresh-token': server.issueRefreshToken({ appKey: APP.key }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
}

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ inputs, workspace: tree.root, fakeDropboxUrl: server.url });
}

const annotations = (result: ActionRun, level: 'error' | 'warning' | 'notice'): Annotation[] =>
  annotationsIn(result.stdout, level);

/** Everything the process printed or wrote, less the add-mask commands that hand secrets to the runner. */
function everythingShown(result: ActionRun): string {
  const printed = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return `${printed}\n${JSON.stringify(result.outputs)}\n${result.summary}`;
}

function expectNoSecrets(result: ActionRun, secrets: string[]): void {
  const shown = everythingShown(result);
  for (const secret of secrets) expect(shown).not.toContain(secret);
  expect(shown).not.toMatch(/sl\.[A-Za-z0-9_-]{12,}/);
}

describe('dist/index.js as the runner runs it', () => {
  test('uploads a mixed tree byte-exact and reports it', async () => {
    const credentials = refreshInputs();
    const result = await run({
      path: 'dist/**\n!dist/**/*.map',
      destination: 'builds/my-app',
      'chunk-size': '4',
      ...credentials,
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['uploaded-count']).toBe('6');
    expect(result.outputs['skipped-count']).toBe('0');
    expect(result.outputs['failed-count']).toBe('0');
    expect(result.outputs['destination']).toBe('/builds/my-app');
    const files = JSON.parse(result.outputs['files'] ?? '[]') as {
      path: string;
      dropboxPath: string;
      status: string;
    }[];
    expect(files.map((file) => file.dropboxPath)).toEqual([
      '/builds/my-app/assets/app.js',
      '/builds/my-app/big/archive.bin',
      '/builds/my-app/docs/résumé 2026 – final.txt',
      '/builds/my-app/docs/日本語/メモ.txt',
      '/builds/my-app/empty.txt',
      '/builds/my-app/index.html',
    ]);
    expect(files.every((file) => file.status === 'uploaded')).toBe(true);
    for (const file of files) {
      expect(server.readFile(file.dropboxPath).equals(await readFile(tree.file(file.path)))).toBe(true);
    }
    expect(Number(result.outputs['uploaded-bytes'])).toBe(
      10 * MiB + 4321 + 16 + 14 + 18 + 'nested unicode'.length,
    );
    expect(result.summary).toContain('résumé 2026 – final.txt');
    expect(result.summary).toMatch(/\| *Local path *\| *Dropbox path *\| *Size *\| *Status *\|/);
    for (const group of ['Inputs', 'Find files', 'Upload', 'Report'])
      expect(result.stdout).toContain(`::group::${group}`);
    expectNoSecrets(result, [credentials['refresh-token']!, APP.secret]);
  });

  test('an empty input means its documented default', async () => {
    const result = await run({
      path: 'dist/index.html',
      destination: '',
      'chunk-size': '',
      concurrency: '',
      'max-attempts': '',
      'if-exists': '',
      'if-no-files-found': '',
      'include-hidden-files': '',
      'follow-symbolic-links': '',
      'access-token': '',
      ...refreshInputs(),
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['destination']).toBe('/');
    expect(server.readFile('/index.html').toString()).toBe('<h1>release</h1>');
  });

  test.each([
    [{ 'chunk-size': '10' }, 'chunk-size', '"10"'],
    [{ concurrency: '0' }, 'concurrency', '"0"'],
    [{ 'if-exists': 'replace' }, 'if-exists', '"replace"'],
    [{ destination: '/a/../b' }, 'destination', '"/a/../b"'],
    [{ destination: '   ' }, 'destination', '"   "'],
    [{ 'chunk-size': ' ' }, 'chunk-size', '" "'],
    [{ 'max-attempts': '0' }, 'max-attempts', '"0"'],
    [{ 'request-timeout': '1.5' }, 'request-timeout', '"1.5"'],
    [{ 'if-no-files-found': 'fail' }, 'if-no-files-found', '"fail"'],
    [{ 'include-hidden-files': 'yes' }, 'include-hidden-files', '"yes"'],
    [{ 'follow-symbolic-links': 'no' }, 'follow-symbolic-links', '"no"'],
    [{ 'skip-unchanged': 'maybe' }, 'skip-unchanged', '"maybe"'],
    [{ 'shared-links': '1' }, 'shared-links', '"1"'],
    [{ 'dry-run': 'on' }, 'dry-run', '"on"'],
    [{ namespace: 'ns:1' }, 'namespace', '"ns:1"'],
    [{ 'select-user': 'bob' }, 'select-user', '"bob"'],
  ])(
    'bad input %j fails before any network call, naming the input and the value',
    async (bad, name, value) => {
      const before = server.requests.length;
      const result = await run({ path: 'dist/**', ...refreshInputs(), ...bad });
      expect(result.exitCode).toBe(1);
      const [error] = annotations(result, 'error');
      expect(error?.message).toContain(name);
      expect(error?.message).toContain(value);
      expect(server.requests.length).toBe(before);
    },
  );

  test('include-hidden-files: true sends hidden files too; the default leaves them out', async () => {
    const hidden = await run({
      path: 'dist/*',
      destination: '/hidden-on',
      'include-hidden-files': 'true',
      ...refreshInputs(),
    });
    expect(hidden.exitCode).toBe(0);
    expect(server.readFile('/hidden-on/.secret-config').toString()).toBe('hidden');
    const plain = await run({ path: 'dist/*', destination: '/hidden-off', ...refreshInputs() });
    expect(plain.exitCode).toBe(0);
    expect(server.files().map((file) => file.path)).not.toContain('/hidden-off/.secret-config');
  });

  test('follow-symbolic-links: false leaves a linked folder out; the default follows it', async () => {
    const linked = await makeTree({ 'site/index.html': 'home', 'shared/logo.svg': '<svg/>' });
    try {
      // A junction on Windows: it needs no privilege there, and it is an ordinary symlink elsewhere.
      await symlink(linked.file('shared'), linked.file('site/assets'), 'junction');
      const inputs = { path: 'site', ...refreshInputs() };
      const runIn = (more: Record<string, string>): Promise<ActionRun> =>
        runAction({ inputs: { ...inputs, ...more }, workspace: linked.root, fakeDropboxUrl: server.url });
      expect((await runIn({ destination: '/links-followed' })).exitCode).toBe(0);
      expect(server.readFile('/links-followed/assets/logo.svg').toString()).toBe('<svg/>');
      const notFollowed = await runIn({
        destination: '/links-not-followed',
        'follow-symbolic-links': 'false',
      });
      expect(notFollowed.exitCode).toBe(0);
      expect(
        server
          .files()
          .map((file) => file.path)
          .filter((name) => name.startsWith('/links-not-followed/')),
      ).toEqual(['/links-not-followed/index.html']);
    } finally {
      await linked.cleanup();
    }
  });

  test.each([
    ['skip', 0, 'skipped', 'already in Dropbox'],
    ['fail', 1, 'failed', 'already in Dropbox'],
    ['overwrite', 0, 'uploaded', '<h1>release</h1>'],
  ])('if-exists: %s with a file already at the path', async (mode, exitCode, status, content) => {
    const destination = `/exists-${mode}`;
    server.putFile(`${destination}/index.html`, 'already in Dropbox');
    const result = await run({ path: 'dist/index.html', destination, 'if-exists': mode, ...refreshInputs() });
    expect(result.exitCode).toBe(exitCode);
    const [file] = JSON.parse(result.outputs['files'] ?? '[]') as { status: string }[];
    expect(file?.status).toBe(status);
    expect(server.readFile(`${destination}/index.html`).toString()).toBe(content);
  });

  test('no credentials: a clear failure pointing to the README', async () => {
    const result = await run({ path: 'dist/**' });
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error')[0]?.message).toContain('Credentials');
  });

  test('a revoked refresh token: ONE annotation, every file failed, nothing uploaded', async () => {
    const credentials = refreshInputs();
    server.revokeRefreshToken(credentials['refresh-token']!);
    const result = await run({ path: 'dist/**', destination: '/revoked', ...credentials });
    expect(result.exitCode).toBe(1);
    const errors = annotations(result, 'error');
    expect(errors.filter((error) => error.title !== '')).toEqual([
      expect.objectContaining({ title: 'Dropbox refresh token rejected' }),
    ]);
    expect(result.outputs['failed-count']).toBe('7');
    expect(server.files().filter((file) => file.path.startsWith('/revoked'))).toEqual([]);
    expectNoSecrets(result, [credentials['refresh-token']!, APP.secret]);
  });

  test('an expired short-lived access token explains the 4-hour lifetime and refresh tokens', async () => {
    const token = server.issueAccessToken();
    server.expireAccessTokens();
    const result = await run({ path: 'dist/index.html', 'access-token': token });
    expect(result.exitCode).toBe(1);
    const [error] = annotations(result, 'error').filter((annotation) => annotation.title !== '');
    expect(error?.title).toBe('Dropbox access token expired');
    expect(error?.message).toMatch(/4 hours/);
    expectNoSecrets(result, [token]);
  });

  test('a per-file problem annotates that file; the others arrive; the step fails saying how many', async () => {
    const bad = await makeTree({ 'out/desktop.ini': 'x', 'out/ok-1.txt': '1', 'out/ok-2.txt': '2' });
    try {
      const result = await runAction({
        inputs: { path: 'out', destination: '/per-file', ...refreshInputs() },
        workspace: bad.root,
        fakeDropboxUrl: server.url,
      });
      expect(result.exitCode).toBe(1);
      const titled = annotations(result, 'error').filter((annotation) => annotation.title !== '');
      expect(titled).toEqual([expect.objectContaining({ title: 'Name not allowed by Dropbox' })]);
      expect(result.stdout).toMatch(/1 of 3 file\(s\) did not reach Dropbox/);
      expect(result.outputs['uploaded-count']).toBe('2');
    } finally {
      await bad.cleanup();
    }
  });

  test('both kinds of credentials: the refresh token wins and a notice says access-token was ignored', async () => {
    const result = await run({
      path: 'dist/index.html',
      'access-token': 'sl.ignored-token-000000000000',
      ...refreshInputs(),
    });
    expect(result.exitCode).toBe(0);
    expect(
      annotations(result, 'notice')
        .map((notice) => notice.message)
        .join('\n'),
    ).toMatch(/access-token/);
  });

  test.each([
    ['warn', 0, 'warning'],
    ['error', 1, 'error'],
    ['ignore', 0, undefined],
  ] as const)('if-no-files-found: %s', async (mode, exitCode, level) => {
    const result = await run({ path: 'nothing-here/**', 'if-no-files-found': mode, ...refreshInputs() });
    expect(result.exitCode).toBe(exitCode);
    if (level) expect(annotations(result, level)[0]?.message).toContain('No files were found');
    else expect(result.stdout).not.toMatch(/^::(warning|error)/m);
    if (exitCode === 0) expect(result.outputs['uploaded-count']).toBe('0');
  });
});

describe('what the patterns find, and deciding before sending (through dist/index.js)', () => {
  const POSIX = process.platform !== 'win32';

  (POSIX ? test : test.skip)(
    'a broken symbolic link among the matches: a warning naming it; the rest arrive',
    async () => {
      const linked = await makeTree({ 'nightly/manifest.txt': 'ok' });
      await symlink(linked.file('nowhere/dump.sql'), linked.file('nightly/dump.sql'));
      try {
        const result = await runAction({
          inputs: { path: 'nightly', destination: '/e2e-broken-link', ...refreshInputs() },
          workspace: linked.root,
          fakeDropboxUrl: server.url,
        });
        expect(result.exitCode).toBe(0);
        expect(result.outputs['uploaded-count']).toBe('1');
        expect(annotations(result, 'warning')).toEqual([
          expect.objectContaining({
            title: 'Broken symbolic link',
            message: expect.stringMatching(
              /^nightly\/dump\.sql matches "path" but is a symbolic link to something that does not exist/,
            ),
          }),
        ]);
      } finally {
        await linked.cleanup();
      }
    },
  );

  test('a pattern that names only hidden files: the no-files message says so and names the input', async () => {
    const hidden = await makeTree({ '.backup/dump.sql': 'x' });
    try {
      const result = await runAction({
        inputs: { path: '.backup', destination: '/e2e-hidden', ...refreshInputs() },
        workspace: hidden.root,
        fakeDropboxUrl: server.url,
      });
      expect(result.exitCode).toBe(0);
      expect(annotations(result, 'warning')[0]?.message).toMatch(
        /^No files were found with the provided path: .*\.backup\. Hidden files and folders \(names starting with "\."\) match it but were left out: set "include-hidden-files: true" to upload them\./,
      );
    } finally {
      await hidden.cleanup();
    }
  });

  test('if-exists: fail decides a big file with one lookup before any of its bytes are sent', async () => {
    server.putFile('/e2e-fail-big/archive.bin', 'already there');
    const since = server.requests.at(-1)?.seq ?? 0;
    const result = await run({
      path: 'dist/big',
      destination: '/e2e-fail-big',
      'if-exists': 'fail',
      'skip-unchanged': 'false',
      'chunk-size': '4',
      ...refreshInputs(),
    });
    expect(result.exitCode).toBe(1);
    expect(annotations(result, 'error')[0]).toMatchObject({ title: 'File already exists in Dropbox' });
    const sent = server.requests.filter(
      (entry) => entry.seq > since && entry.route.startsWith('files/upload'),
    );
    expect(sent).toEqual([]);
    expect(server.readFile('/e2e-fail-big/archive.bin').toString()).toBe('already there');
  });

  test('if-exists: skip with the destination listed: existing files are skipped before sending, small and big', async () => {
    server.putFile('/e2e-skip-listed/big/archive.bin', 'old big');
    server.putFile('/e2e-skip-listed/index.html', 'old small');
    const since = server.requests.at(-1)?.seq ?? 0;
    const result = await run({
      path: 'dist/big\ndist/index.html',
      destination: '/e2e-skip-listed',
      'if-exists': 'skip',
      ...refreshInputs(),
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['skipped-count']).toBe('2');
    const bodies = server.requests
      .filter((entry) => entry.seq > since)
      .reduce((sum, entry) => sum + entry.bodyBytes, 0);
    expect(bodies).toBeLessThan(4096);
  });
});
