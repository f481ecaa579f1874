/**
 * The restore pipeline in process, against the fake Dropbox, with a host that records what the run hands
 * it: one outcome, one report, whatever happened (bad input, nothing matching, a missing permission).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { WorkflowContext } from '../../../src/backups/placeholders.ts';
import { runRestore } from '../../../src/pipeline/restore.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { APP, startFakeDropbox } from '../../support/dropbox.ts';
import { RecordingHost } from '../../support/host.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';

let server: FakeDropbox;
const folders: string[] = [];
const context: WorkflowContext = { owner: 'acme', repo: 'shop', ref: 'refs/heads/main', runNumber: 12 };

beforeAll(async () => {
  server = await startFakeDropbox();
  server.putFile('/backups/shop/2026-11-21T02-00-00Z/db.sql', 'old');
  server.putFile('/backups/shop/2026-11-23T02-00-00Z/db.sql', 'newest dump');
  server.putFile('/backups/shop/2026-11-23T02-00-00Z/web/index.html', '<h1>shop</h1>');
  server.createFolder('/backups/shop/2026-11-23T02-00-00Z/uploads');
  server.putFile('/backups/shop/2026-11-22T02-00-00Z/db.sql', 'middle');
  server.createFolder('/backups/shop/manual');
});
afterAll(async () => {
  await server.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function workspace(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'dbx-restore-run-'));
  folders.push(folder);
  return folder;
}

function credentials(scopes?: string[]): Record<string, string> {
  return {
    'refresh-token': server.issueRefreshToken({ appKey: APP.key, ...(scopes ? { scopes } : {}) }),
    'app-key': APP.key,
    'app-secret': APP.secret,
  };
}

async function run(
  inputs: Record<string, string>,
  root?: string,
): Promise<{ host: RecordingHost; root: string }> {
  const where = root ?? (await workspace());
  const host = new RecordingHost();
  await runRestore(host, { input: (name) => inputs[name] ?? '', workspace: where, tempDir: where, context });
  return { host, root: where };
}

describe('runRestore', () => {
  test('the newest backup of the series, into path, reported once', async () => {
    const { host, root } = await run({
      source: '/backups/{repo}/{datetime}',
      path: 'restored',
      ...credentials(),
    });
    expect(host.failures).toEqual([]);
    expect(await readFile(path.join(root, 'restored', 'db.sql'), 'utf8')).toBe('newest dump');
    expect(await readFile(path.join(root, 'restored', 'web', 'index.html'), 'utf8')).toBe('<h1>shop</h1>');
    expect(await readdir(path.join(root, 'restored', 'uploads'))).toEqual([]);
    expect(host.outputs).toMatchObject({
      'downloaded-count': '2',
      'skipped-count': '0',
      'failed-count': '0',
      'downloaded-bytes': String('newest dump'.length + '<h1>shop</h1>'.length),
      source: '/backups/shop/2026-11-23T02-00-00Z',
      path: path.join(root, 'restored'),
    });
    expect(JSON.parse(host.outputs['files'] ?? '[]')).toEqual([
      {
        dropboxPath: '/backups/shop/2026-11-23T02-00-00Z/db.sql',
        path: 'restored/db.sql',
        size: 11,
        contentHash: expect.any(String),
        status: 'downloaded',
      },
      {
        dropboxPath: '/backups/shop/2026-11-23T02-00-00Z/web/index.html',
        path: 'restored/web/index.html',
        size: 13,
        contentHash: expect.any(String),
        status: 'downloaded',
      },
    ]);
    expect(JSON.parse(await readFile(host.outputs['files-json'] ?? '', 'utf8'))).toEqual(
      JSON.parse(host.outputs['files'] ?? ''),
    );
    expect(host.groups).toEqual(['Inputs', 'Find the source', 'Plan', 'Download', 'Report']);
    expect(host.lines).toContain(
      'Source /backups/{repo}/{datetime} resolved to /backups/shop/2026-11-23T02-00-00Z.',
    );
    expect(host.summaries).toHaveLength(1);
    const markdown = renderMarkdown(host.summaries[0]!);
    expect(markdown).toContain('## Dropbox restore');
    expect(markdown).toMatch(/\| Dropbox path \| Local path \| Size \| Status \|/);
    expect(markdown).toContain('uploads/ (created)');
    expect(host.lines.at(-1)).toMatch(/^Downloaded 2, skipped 0, failed 0: 24 B in /);
  });

  test('a bad input fails before any request, naming the input and the value', async () => {
    const since = lastSeq(server);
    const { host } = await run({ source: '/backups', 'chunk-size': '10', ...credentials() });
    expect(host.failures).toEqual([
      'Input "chunk-size" is "10"; it must be a multiple of 4 from 4 to 148 (MiB).',
    ]);
    expect(routesSince(server, since)).toEqual([]);
    expect(host.outputs['failed-count']).toBe('0');
  });

  test('a placeholder without its value is an input error, before any request', async () => {
    const since = lastSeq(server);
    const host = new RecordingHost();
    const where = await workspace();
    const inputs: Record<string, string> = { source: '/backups/{repo}/{datetime}', ...credentials() };
    await runRestore(host, { input: (name) => inputs[name] ?? '', workspace: where, context: {} });
    expect(host.failures[0]).toMatch(
      /^Input "source" is "\/backups\/\{repo\}\/\{datetime\}"; \{repo\} needs GITHUB_REPOSITORY/,
    );
    expect(routesSince(server, since)).toEqual([]);
  });

  test('nothing matching: one annotation names the pattern and what was found; the step fails', async () => {
    const { host } = await run({ source: '/backups/{repo}/nightly-{date}', ...credentials() });
    const errors = host.annotations.filter((annotation) => annotation.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ title: restoreTitles.noMatchingSource })]);
    expect(errors[0]?.message).toContain('"/backups/shop" matches "nightly-{date}"');
    expect(errors[0]?.message).toContain('"manual"');
    expect(host.failures).toEqual(['Nothing was restored: No matching backup in Dropbox.']);
  });

  test('a token without files.content.read: one annotation names that permission', async () => {
    const { host } = await run({
      source: '/backups/shop/2026-11-22T02-00-00Z',
      ...credentials(['files.metadata.read', 'account_info.read']),
    });
    const errors = host.annotations.filter((annotation) => annotation.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.title).toBe('Dropbox app is missing a permission');
    expect(errors[0]?.message).toContain('"files.content.read"');
    expect(host.failures[0]).toBe('1 of 1 file(s) were not restored: Dropbox app is missing a permission.');
  });

  test('a long download says its overall progress through the host, and stops saying it after', async () => {
    server.faults.add({ route: 'files/download', action: { kind: 'stall-body', afterBytes: 2, ms: 200 } });
    const host = new RecordingHost();
    host.progressIntervalMs = 20;
    const inputs: Record<string, string> = { source: '/backups/shop/2026-11-23T02-00-00Z', ...credentials() };
    try {
      await runRestore(host, { input: (name) => inputs[name] ?? '', workspace: await workspace(), context });
    } finally {
      server.faults.clear();
    }
    expect(host.failures).toEqual([]);
    expect(host.progressLines.length).toBeGreaterThan(0);
    expect(host.progressLines[0]).toMatch(/^Progress: [0-2] of 2 files, .* of 24 B/);
    const said = host.progressLines.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(host.progressLines).toHaveLength(said);
  });

  test('a dry run reports what would be written and writes nothing', async () => {
    const since = lastSeq(server);
    const { host, root } = await run({
      source: '/backups/shop/2026-11-23T02-00-00Z',
      path: 'out',
      'dry-run': 'true',
      ...credentials(),
    });
    expect(host.failures).toEqual([]);
    expect(host.outputs['downloaded-count']).toBe('2');
    expect(host.groups).toContain('Dry run');
    expect(host.lines).toContain(
      'would download /backups/shop/2026-11-23T02-00-00Z/db.sql → out/db.sql (11 B)',
    );
    expect(host.lines.at(-1)).toBe('Dry run: would download 2 (24 B), skip 0, fail 0.');
    expect(renderMarkdown(host.summaries[0]!)).toContain('## Dropbox restore (dry run)');
    // Only the files-json file the report writes is new.
    expect((await readdir(root)).filter((name) => !name.startsWith('dropbox-files-'))).toEqual([]);
    expect(routesSince(server, since).filter((route) => route === 'files/download')).toEqual([]);
  });
});
