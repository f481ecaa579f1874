/**
 * Memory stays bounded by the requests in flight, never by file size. Node's fetch would keep each
 * streamed request body in memory (nodejs/undici#4058); this guards the fix through the bundle.
 */
import { open } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { runAction } from '../../../scripts/action-runner.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const linux = process.platform === 'linux';
let server: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp({ key: 'mem-key', secret: 'mem-secret' });
  tree = await makeTree({});
  // Sparse: 400 MiB of zeros costs no disk to create, and reads as fast as memory.
  const file = await open(tree.file('dump.bin'), 'w');
  await file.truncate(400 * MiB);
  await file.close();
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

(linux ? test : test.skip)(
  'a 400 MiB file in 148 MiB requests stays within 100 MiB + one request',
  async () => {
    const run = await runAction({
      inputs: {
        path: 'dump.bin',
        destination: '/memory',
        'chunk-size': '148',
        concurrency: '1',
        'refresh-token': server.issueRefreshToken({ appKey: 'mem-key' }),
        'app-key': 'mem-key',
        'app-secret': 'mem-secret',
      },
      workspace: tree.root,
      fakeDropboxUrl: server.url,
      measureRss: true,
    });
    expect(run.exitCode).toBe(0);
    expect(server.files().find((file) => file.path === '/memory/dump.bin')?.size).toBe(400 * MiB);
    expect(run.peakRssBytes).toBeGreaterThan(0);
    expect(run.peakRssBytes).toBeLessThan((100 + 148) * MiB);
  },
);
