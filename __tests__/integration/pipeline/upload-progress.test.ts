/**
 * The upload pipeline says the run's overall progress through the host while the Upload phase lasts
 * longer than the host's progress interval, and nothing for a shorter one.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { runUpload } from '../../../src/pipeline/upload.ts';
import { APP, startFakeDropbox } from '../../support/dropbox.ts';
import { RecordingHost } from '../../support/host.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
let tree: Tree;

beforeAll(async () => {
  server = await startFakeDropbox({ latencyMs: 40 });
  const files: Record<string, string> = {};
  for (let index = 0; index < 60; index += 1) files[`pages/page ${index}.html`] = `<p>${index}</p>`;
  tree = await makeTree(files);
});
afterAll(async () => {
  await server.close();
  await tree.cleanup();
});

async function upload(destination: string, progressIntervalMs: number): Promise<RecordingHost> {
  const host = new RecordingHost();
  host.progressIntervalMs = progressIntervalMs;
  const inputs: Record<string, string> = {
    // Patterns are relative to the working directory, as on a runner whose cwd is the workspace.
    path: path.join(tree.root, '**'),
    destination,
    concurrency: '1',
    'refresh-token': server.issueRefreshToken({ appKey: APP.key }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
  await runUpload(host, {
    input: (name) => inputs[name] ?? '',
    workspace: tree.root,
    context: { owner: 'acme', repo: 'site', ref: 'refs/heads/main', runNumber: 1 },
  });
  expect(host.failures).toEqual([]);
  return host;
}

test('an upload longer than the interval says the overall progress every interval', async () => {
  const host = await upload('/progress-long', 50);
  expect(host.progressLines.length).toBeGreaterThanOrEqual(1);
  for (const line of host.progressLines)
    expect(line).toMatch(/^Progress: \d+ of 60 files, .* of .*, .* files\/s, .*\/s, ETA .+$/);
  // Said while the upload ran, not after it: the report's closing line comes last.
  expect(host.lines.at(-1)).toMatch(/^Uploaded 60, skipped 0, failed 0/);
});

test('an upload shorter than the interval says none', async () => {
  const host = await upload('/progress-short', 60_000);
  expect(host.progressLines).toEqual([]);
});
