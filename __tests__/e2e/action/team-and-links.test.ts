/**
 * Team spaces (`namespace`, `select-user`) and `shared-links` through the bundled dist/index.js, run
 * as the runner runs it, against a fake Dropbox whose account is a member of a team with a team space.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { annotationsIn, runAction, type ActionRun, type Annotation } from '../../../scripts/action-runner.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const APP = { key: 'team-e2e-key', secret: 'team-e2e-secret-value' };
let server: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await FakeDropbox.start({ team: { memberName: 'Ada Lovelace', teamFolderName: 'Engineering' } });
  server.registerApp(APP);
  tree = await makeTree({ 'out/report.txt': 'report', 'out/data/x.bin': 'x' });
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

function credentials(options: { team?: boolean; scopes?: string[] } = {}): Record<string, string> {
  return {
    'refresh-token': server.issueRefreshToken({ appKey: APP.key, ...options }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
}

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ inputs: { path: 'out', ...inputs }, workspace: tree.root, fakeDropboxUrl: server.url });
}

/** The titled error annotations (core.setFailed's closing line has no title). */
function errors(result: ActionRun): Annotation[] {
  return annotationsIn(result.stdout, 'error').filter((annotation) => annotation.title !== '');
}

const stored = (prefix: string): string[] =>
  server
    .files()
    .map((file) => file.path)
    .filter((file) => file.startsWith(`${prefix}/`));

interface FileOutput {
  dropboxPath: string;
  status: string;
  sharedLink?: string;
}
const filesOf = (result: ActionRun): FileOutput[] =>
  JSON.parse(result.outputs['files'] ?? '[]') as FileOutput[];

describe('namespace and select-user through dist/index.js', () => {
  test('home (the default) lands in the member folder', async () => {
    const result = await run({ destination: '/home-run', ...credentials() });
    expect([result.exitCode, errors(result)]).toEqual([0, []]);
    expect(stored('/Ada Lovelace/home-run')).toEqual([
      '/Ada Lovelace/home-run/data/x.bin',
      '/Ada Lovelace/home-run/report.txt',
    ]);
  });

  test('team: paths start at the team space root, so the team folder is reachable', async () => {
    const result = await run({ destination: '/Engineering/builds', namespace: 'team', ...credentials() });
    expect([result.exitCode, errors(result)]).toEqual([0, []]);
    expect(result.outputs['uploaded-count']).toBe('2');
    expect(result.stdout).toContain(`namespace ${server.team!.rootNamespaceId}`);
    expect(stored('/Engineering/builds')).toEqual([
      '/Engineering/builds/data/x.bin',
      '/Engineering/builds/report.txt',
    ]);
  });

  test('a namespace id: the team folder by its own id', async () => {
    const result = await run({
      destination: '/by-id',
      namespace: server.team!.teamFolderNamespaceId,
      ...credentials(),
    });
    expect([result.exitCode, errors(result)]).toEqual([0, []]);
    expect(stored('/Engineering/by-id')).toHaveLength(2);
  });

  test('a namespace the member may not use: one annotation, nothing uploaded', async () => {
    const result = await run({ destination: '/nope', namespace: '99', ...credentials() });
    expect(result.exitCode).toBe(1);
    expect(errors(result).map((error) => error.title)).toEqual(['Dropbox namespace not accessible']);
    expect(result.outputs['uploaded-count'] ?? '0').toBe('0');
  });

  test('a team token without select-user is told to set it; with it, the upload works', async () => {
    const without = await run({
      destination: '/Engineering/t',
      namespace: 'team',
      ...credentials({ team: true }),
    });
    expect(without.exitCode).toBe(1);
    const [error] = errors(without);
    expect(error?.title).toBe('Dropbox team token needs a member');
    expect(error?.message).toContain('select-user');

    const withMember = await run({
      destination: '/Engineering/as-member',
      namespace: 'team',
      'select-user': server.team!.memberId,
      ...credentials({ team: true }),
    });
    expect([withMember.exitCode, errors(withMember)]).toEqual([0, []]);
    expect(stored('/Engineering/as-member')).toHaveLength(2);
  });

  test('bad values fail before any request, naming the input', async () => {
    const before = server.requests.length;
    const badNamespace = await run({ namespace: 'teams', ...credentials() });
    expect(badNamespace.exitCode).toBe(1);
    expect(badNamespace.stdout).toContain('Input "namespace" is "teams"');
    const badMember = await run({ 'select-user': 'ada@example.com', ...credentials() });
    expect(badMember.exitCode).toBe(1);
    expect(badMember.stdout).toContain('Input "select-user"');
    expect(server.requests.length).toBe(before);
  });
});

describe('shared-links through dist/index.js', () => {
  test('a link per uploaded file in the files output and the summary', async () => {
    const result = await run({ destination: '/links/run', 'shared-links': 'true', ...credentials() });
    expect([result.exitCode, errors(result)]).toEqual([0, []]);
    const files = filesOf(result);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.status).toBe('uploaded');
      expect(file.sharedLink).toMatch(/^https:\/\//);
      expect(server.sharedLinks().find((link) => link.url === file.sharedLink)?.path).toBe(
        `/Ada Lovelace${file.dropboxPath}`,
      );
      expect(result.summary).toContain(file.sharedLink!);
    }

    // A second run finds the links already there (shared_link_already_exists) and reports the same ones.
    const again = await run({
      destination: '/links/run',
      'shared-links': 'true',
      'skip-unchanged': 'false',
      ...credentials(),
    });
    expect([again.exitCode, errors(again)]).toEqual([0, []]);
    expect(filesOf(again).map((file) => file.sharedLink)).toEqual(files.map((file) => file.sharedLink));
  });

  test('off by default: no link, no sharing request', async () => {
    const before = server.requests.length;
    const result = await run({ destination: '/links/off', ...credentials() });
    expect(result.exitCode).toBe(0);
    expect(filesOf(result).some((file) => file.sharedLink !== undefined)).toBe(false);
    expect(server.requests.slice(before).some((request) => request.route.startsWith('sharing/'))).toBe(false);
  });

  test('without sharing.write: one annotation naming the scope; the uploads still count', async () => {
    const result = await run({
      destination: '/links/noscope',
      'shared-links': 'true',
      ...credentials({ scopes: ['files.content.write', 'files.metadata.read'] }),
    });
    expect(result.exitCode).toBe(1);
    const found = errors(result);
    expect(found).toHaveLength(1);
    expect(found[0]?.title).toBe('Dropbox app is missing a permission');
    expect(found[0]?.message).toContain('sharing.write');
    expect(result.outputs['uploaded-count']).toBe('2');
    expect(result.outputs['failed-count']).toBe('0');
    expect(filesOf(result).map((file) => file.status)).toEqual(['uploaded', 'uploaded']);
    expect(stored('/Ada Lovelace/links/noscope')).toHaveLength(2);
    expect(result.stdout).toContain('The files themselves were uploaded.');
  });
});
