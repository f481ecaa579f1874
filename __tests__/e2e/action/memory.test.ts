/**
 * Memory stays bounded by the requests in flight, never by file size: Node's fetch would keep each
 * streamed request body in memory (nodejs/undici#4058). Nor does it grow with the number of files at
 * more than what each file's result costs: 20,000 empty files stay far under what they took before the
 * transfer released each file's state and the heap was bounded (404 MiB; `npm run bench` scenario E
 * measures 100,000). Both through the bundle.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { runAction } from '../../../scripts/action-runner.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const linux = process.platform === 'linux';
let server: FakeDropbox;
let tree: Tree;

/** The many-files guard: a size that runs in well under 30 s, and its bound. */
const MANY_FILES = 20_000;
const MANY_FILES_RSS_BOUND = 256 * MiB;

beforeAll(async () => {
  server = await FakeDropbox.start();
  server.registerApp({ key: 'mem-key', secret: 'mem-secret' });
  tree = await makeTree({});
  // Sparse: 400 MiB of zeros costs no disk to create, and reads as fast as memory.
  const file = await open(tree.file('dump.bin'), 'w');
  await file.truncate(400 * MiB);
  await file.close();
  for (let folder = 0; folder < MANY_FILES / 1000; folder += 1) {
    const dir = tree.file(path.join('many', `folder ${folder}`));
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: 1000 }, (_, index) => writeFile(path.join(dir, `file ${index}.txt`), '')),
    );
  }
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

(linux ? test : test.skip)(
  `${MANY_FILES.toLocaleString('en-US')} empty files stay under ${MANY_FILES_RSS_BOUND / MiB} MiB`,
  async () => {
    const run = await runAction({
      inputs: {
        path: 'many',
        destination: '/memory-many',
        'refresh-token': server.issueRefreshToken({ appKey: 'mem-key' }),
        'app-key': 'mem-key',
        'app-secret': 'mem-secret',
      },
      workspace: tree.root,
      fakeDropboxUrl: server.url,
      measureRss: true,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['uploaded-count']).toBe(String(MANY_FILES));
    expect(server.files().filter((file) => file.path.startsWith('/memory-many/'))).toHaveLength(MANY_FILES);
    expect(run.peakRssBytes).toBeGreaterThan(0);
    expect(run.peakRssBytes).toBeLessThan(MANY_FILES_RSS_BOUND);
  },
);
