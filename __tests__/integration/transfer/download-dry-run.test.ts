/**
 * The restore's dry run against real folders: it reports what a real run would do, from the same
 * decision (skip-unchanged, if-exists, something in the way), and writes nothing at all. The real run over
 * the same local states gives the same statuses, so the two cannot drift apart.
 */
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { listRemoteFolder } from '../../../src/dropbox/listing.ts';
import type { DownloadResult, RestoreIfExists, RestorePlan } from '../../../src/model.ts';
import { planRestore } from '../../../src/plan/restore-plan.ts';
import { dryRunRestore } from '../../../src/transfer/download-dry-run.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { restoreFiles } from '../../../src/transfer/download.ts';
import { connect, refreshCredentials, startFakeDropbox } from '../../support/dropbox.ts';
import { lastSeq } from '../../support/request-log.ts';

let server: FakeDropbox;
const folders: string[] = [];

const remote: Record<string, string> = {
  'new.txt': 'new',
  'same.txt': 'same content',
  'changed.txt': 'dropbox version',
  'in the way/file.txt': 'blocked by a file where its folder goes',
  'folder here.txt': 'a folder is where this file goes',
  'docs/日本語/メモ.txt': 'nested unicode',
  'empty.txt': '',
};

beforeAll(async () => {
  server = await startFakeDropbox();
  for (const [name, content] of Object.entries(remote)) server.putFile(`/src/${name}`, content);
  server.createFolder('/src/empty folder');
});
afterAll(async () => {
  await server.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A target folder with local files in every state a restore meets. */
async function localState(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'dbx-dry-'));
  folders.push(root);
  const target = path.join(root, 'out');
  await mkdir(target);
  await writeFile(path.join(target, 'same.txt'), 'same content');
  await writeFile(path.join(target, 'changed.txt'), 'local version');
  await writeFile(path.join(target, 'in the way'), 'a file where a folder goes');
  await mkdir(path.join(target, 'folder here.txt'));
  return target;
}

/** Every entry under `folder`, with its size and modification time: what "nothing written" compares. */
async function snapshot(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const described = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(entry.parentPath, entry.name);
      const stats = await stat(full);
      return `${path.relative(folder, full)} ${entry.isDirectory() ? 'dir' : stats.size} ${stats.mtimeMs}`;
    }),
  );
  return described.sort();
}

async function plan(target: string): Promise<RestorePlan> {
  const { api } = connect(refreshCredentials(server));
  return planRestore({
    source: '/src',
    sourceKind: 'folder',
    entries: await listRemoteFolder(api, '/src', { recursive: true }),
    target,
  });
}

function statuses(results: readonly DownloadResult[]): Record<string, string> {
  return Object.fromEntries(
    results.map((result) => [
      result.relativePath,
      result.status === 'failed'
        ? `failed: ${result.error?.title ?? ''}`
        : `${result.status}${result.reason === undefined ? '' : ` (${result.reason})`}`,
    ]),
  );
}

describe('dryRunRestore', () => {
  test.each<[RestoreIfExists, boolean, Record<string, string>]>([
    [
      'overwrite',
      true,
      {
        'changed.txt': 'downloaded',
        'docs/日本語/メモ.txt': 'downloaded',
        'empty.txt': 'downloaded',
        'folder here.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'in the way/file.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'new.txt': 'downloaded',
        'same.txt': 'skipped (unchanged)',
      },
    ],
    [
      'skip',
      false,
      {
        'changed.txt': 'skipped (already exists)',
        'docs/日本語/メモ.txt': 'downloaded',
        'empty.txt': 'downloaded',
        'folder here.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'in the way/file.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'new.txt': 'downloaded',
        'same.txt': 'skipped (already exists)',
      },
    ],
    [
      'fail',
      true,
      {
        'changed.txt': `failed: ${restoreTitles.localFileExists}`,
        'docs/日本語/メモ.txt': 'downloaded',
        'empty.txt': 'downloaded',
        'folder here.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'in the way/file.txt': `failed: ${restoreTitles.localPathBlocked}`,
        'new.txt': 'downloaded',
        'same.txt': 'skipped (unchanged)',
      },
    ],
  ])(
    'if-exists: %s, skip-unchanged: %s — what a real run does, and nothing written',
    async (ifExists, skipUnchanged, expected) => {
      const target = await localState();
      const before = await snapshot(path.dirname(target));
      const since = lastSeq(server);
      const lines: string[] = [];
      const planned = await plan(target);
      const dry = await dryRunRestore(planned, { ifExists, skipUnchanged, log: (line) => lines.push(line) });
      expect(statuses(dry.results)).toEqual(expected);
      expect(dry.folders.map((folder) => [folder.relativePath, folder.status])).toEqual([
        ['empty folder', 'created'],
      ]);
      expect(dry.stoppedBy).toBeUndefined();
      expect(lines).toContain('would download /src/new.txt → new.txt (3 B)');
      expect(lines).toContain('would create empty folder /src/empty folder → empty folder/');
      // Nothing written, and no request beyond the listing.
      expect(await snapshot(path.dirname(target))).toEqual(before);
      expect(server.requests.filter((entry) => entry.seq > since).map((entry) => entry.route)).toEqual([
        'oauth2/token',
        'files/list_folder',
      ]);

      // The real run decides the same way; what it downloads is what the dry run said it would.
      const { api } = connect(refreshCredentials(server));
      const real = await restoreFiles(planned, api, {
        chunkSizeBytes: 4 * 1024 * 1024,
        concurrency: 4,
        ifExists,
        skipUnchanged,
        log: () => undefined,
      });
      expect(statuses(real.results)).toEqual(expected);
    },
  );

  test('a target that is a file stops the dry run with one explanation; nothing is written', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'dbx-dry-'));
    folders.push(root);
    const target = path.join(root, 'out');
    await writeFile(target, 'not a folder');
    const before = await snapshot(root);
    const dry = await dryRunRestore(await plan(target), {
      ifExists: 'overwrite',
      skipUnchanged: true,
      log: () => undefined,
    });
    expect(dry.stoppedBy?.title).toBe(restoreTitles.localPathBlocked);
    expect(dry.results.every((result) => result.status === 'failed')).toBe(true);
    expect(await snapshot(root)).toEqual(before);
  });

  test('a missing target would be created: everything would download, and the target still does not exist', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'dbx-dry-'));
    folders.push(root);
    const target = path.join(root, 'not yet', 'out');
    const dry = await dryRunRestore(await plan(target), {
      ifExists: 'fail',
      skipUnchanged: true,
      log: () => undefined,
    });
    expect(dry.results.every((result) => result.status === 'downloaded')).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  test('a folder on the way that is a link fails the files under it, as the real run would', async () => {
    const target = await localState();
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'dbx-elsewhere-'));
    folders.push(elsewhere);
    await symlink(elsewhere, path.join(target, 'docs'), 'junction');
    const dry = await dryRunRestore(await plan(target), {
      ifExists: 'overwrite',
      skipUnchanged: true,
      log: () => undefined,
    });
    expect(statuses(dry.results)['docs/日本語/メモ.txt']).toBe(`failed: ${restoreTitles.localPathBlocked}`);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  test('cancelled: files not yet looked at are reported cancelled', async () => {
    const target = await localState();
    const cancelled = new AbortController();
    cancelled.abort(new Error('cancelled (SIGTERM)'));
    const dry = await dryRunRestore(await plan(target), {
      ifExists: 'overwrite',
      skipUnchanged: true,
      log: () => undefined,
      signal: cancelled.signal,
    });
    expect(dry.stoppedBy?.title).toBe(restoreTitles.cancelled);
  });
});
