/**
 * request-timeout and cancellation, through the bundled dist/index.js run as the runner runs it.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { runAction, type ActionRun } from '../../../scripts/action-runner.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const APP = { key: 'e2e-resilience-key', secret: 'e2e-resilience-secret' };
let server: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp(APP);
  tree = await makeTree({
    'site/index.html': '<h1>site</h1>',
    'site/app.js': 'console.log("app")',
    'site/style.css': 'body { margin: 0 }',
    'dump/archive.bin': 12 * MiB + 7,
  });
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});
afterEach(() => server.faults.clear());

function run(inputs: Record<string, string>, signalAfterMs?: number): Promise<ActionRun> {
  return runAction({
    inputs: {
      'refresh-token': server.issueRefreshToken({ appKey: APP.key }),
      'app-key': APP.key,
      'app-secret': APP.secret,
      'chunk-size': '4',
      ...inputs,
    },
    workspace: tree.root,
    fakeDropboxUrl: server.url,
    ...(signalAfterMs === undefined
      ? {}
      : { signalAfterMs: { signal: 'SIGTERM' as const, ms: signalAfterMs } }),
  });
}

interface ReportedFile {
  path: string;
  dropboxPath: string;
  status: string;
}

function reportedFiles(result: ActionRun): ReportedFile[] {
  return JSON.parse(result.outputs['files'] ?? '[]') as ReportedFile[];
}

describe('request-timeout', () => {
  test('a request that stalls longer than request-timeout is aborted and retried, and the run succeeds', async () => {
    server.faults.add({ route: 'files/upload_session/start', nth: 1, action: { kind: 'stall', ms: 30_000 } });
    const result = await run({ path: 'site/index.html', destination: '/timeout', 'request-timeout': '1' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/No progress for 1 s \(request-timeout\).*retry 1 of 4/);
    expect(result.elapsedMs).toBeLessThan(15_000);
    expect(server.readFile('/timeout/index.html').toString()).toBe('<h1>site</h1>');
    expect(server.commitCount('/timeout/index.html')).toBe(1);
  });

  test('a bad request-timeout fails before any request, naming the input', async () => {
    const before = server.requests.length;
    const result = await run({ path: 'site/**', 'request-timeout': '0' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(
      'Input "request-timeout" is "0"; it must be a whole number of seconds from 1 to 3600.',
    );
    expect(server.requests.length).toBe(before);
  });
});

describe('cancellation', () => {
  // Windows cannot deliver SIGTERM to a handler: kill() ends the process outright there.
  (process.platform === 'win32' ? test.skip : test)(
    'SIGTERM stops the run within 5 s: what arrived is reported uploaded, the rest failed, the step fails',
    async () => {
      // The big file's appends hang; the small files arrive and are committed in the meantime.
      server.faults.add({
        route: 'files/upload_session/append_v2',
        every: 1,
        action: { kind: 'stall', ms: 60_000 },
      });
      const signalAt = 5000;
      const result = await run({ path: 'site/**\ndump/**', destination: '/cancel' }, signalAt);
      expect(result.signal).toBeNull();
      expect(result.exitCode).not.toBe(0);
      expect(result.elapsedMs - signalAt).toBeLessThan(5000);
      expect(result.stdout).toContain('Received SIGTERM');

      const files = reportedFiles(result);
      const byName = Object.fromEntries(files.map((file) => [file.dropboxPath, file.status]));
      expect(byName).toEqual({
        '/cancel/site/index.html': 'uploaded',
        '/cancel/site/app.js': 'uploaded',
        '/cancel/site/style.css': 'uploaded',
        '/cancel/dump/archive.bin': 'failed',
      });
      for (const file of files.filter((entry) => entry.status === 'uploaded')) {
        expect(server.readFile(file.dropboxPath).equals(await readFile(tree.file(file.path)))).toBe(true);
      }
      expect(server.files().some((entry) => entry.pathLower === '/cancel/dump/archive.bin')).toBe(false);
      expect(result.outputs['failed-count']).toBe('1');
      expect(result.summary).toContain('Upload cancelled');
      expect(result.stdout).toMatch(/::error.*title=Upload cancelled/);
    },
  );
});

describe('insufficient_space partway', () => {
  test('the files that fit are reported uploaded, the rest failed with the explanation, and the step fails', async () => {
    const tight = await FakeDropbox.start({ quotaBytes: 4 * MiB });
    try {
      tight.registerApp(APP);
      const result = await runAction({
        inputs: {
          path: 'site/**\ndump/**',
          destination: '/full',
          'chunk-size': '4',
          'refresh-token': tight.issueRefreshToken({ appKey: APP.key }),
          'app-key': APP.key,
          'app-secret': APP.secret,
        },
        workspace: tree.root,
        fakeDropboxUrl: tight.url,
      });
      expect(result.exitCode).not.toBe(0);
      const files = reportedFiles(result);
      const big = files.find((file) => file.dropboxPath === '/full/dump/archive.bin');
      expect(big?.status).toBe('failed');
      const uploaded = files.filter((file) => file.status === 'uploaded');
      expect(uploaded.length).toBeGreaterThan(0);
      for (const file of uploaded) {
        expect(tight.readFile(file.dropboxPath).equals(await readFile(tree.file(file.path)))).toBe(true);
      }
      expect(result.outputs['failed-count']).toBe(String(files.length - uploaded.length));
      expect(result.stdout).toMatch(/::error.*title=Dropbox is out of space/);
      expect(result.stdout).toContain('did not reach Dropbox: Dropbox is out of space');
    } finally {
      await tight.close();
    }
  });
});
