/** Finding what a restore brings back, against the fake Dropbox: plain paths, files, and the newest match. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { TemplateError, type WorkflowContext } from '../../../src/backups/placeholders.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { restoreSourceSpec } from '../../../src/backups/newest-backup.ts';
import { findRestoreSource, RestoreSourceError } from '../../../src/backups/restore-source.ts';
import { connect, refreshCredentials, startFakeDropbox } from '../../support/dropbox.ts';

let server: FakeDropbox;
const context: WorkflowContext = { owner: 'acme', repo: 'shop' };

beforeAll(async () => {
  server = await startFakeDropbox();
  server.putFile('/backups/shop/2026-11-20T02-00-00Z/db.sql', 'old');
  server.putFile('/backups/shop/2026-11-22T02-00-00Z/db.sql', 'newest');
  server.putFile('/backups/shop/2026-11-22T02-00-00Z/web/index.html', 'html');
  server.putFile('/backups/shop/2026-11-21T02-00-00Z/db.sql', 'middle');
  server.createFolder('/backups/shop/manual');
  server.putFile('/Dumps/Latest DB.sql', 'a file');
});
afterAll(() => server.close());

const api = () => connect(refreshCredentials(server)).api;

/** The source as the restore reads it: the input's placeholders first, then Dropbox. */
async function find(source: string): ReturnType<typeof findRestoreSource> {
  return findRestoreSource(api(), restoreSourceSpec(source, context));
}

async function failure(source: string): Promise<unknown> {
  return find(source).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('findRestoreSource', () => {
  test('placeholders in the last segment resolve to the newest match, listed', async () => {
    const found = await find('/backups/{repo}/{datetime}');
    expect(found.path).toBe('/backups/shop/2026-11-22T02-00-00Z');
    expect(found.kind).toBe('folder');
    expect(found.entries.map((entry) => entry.pathDisplay).sort()).toEqual([
      '/backups/shop/2026-11-22T02-00-00Z/db.sql',
      '/backups/shop/2026-11-22T02-00-00Z/web',
      '/backups/shop/2026-11-22T02-00-00Z/web/index.html',
    ]);
    expect(found.entries.find((entry) => entry.name === 'db.sql')).toMatchObject({
      size: 6,
      rev: expect.any(String),
      clientModified: expect.any(String),
      contentHash: expect.any(String),
    });
  });

  test('a file source, in another letter case than Dropbox has it', async () => {
    const found = await find('/dumps/latest db.sql');
    expect(found).toMatchObject({ path: '/Dumps/Latest DB.sql', kind: 'file' });
    expect(found.entries.map((entry) => entry.name)).toEqual(['Latest DB.sql']);
  });

  test('the root', async () => {
    const found = await find('');
    expect(found.path).toBe('/');
    expect(found.entries.map((entry) => entry.pathLower)).toContain('/dumps/latest db.sql');
  });

  test('nothing matching: the explanation names the pattern and what was found', async () => {
    const error = await failure('/backups/{repo}/nightly-{date}');
    expect(error).toBeInstanceOf(RestoreSourceError);
    const { explanation } = error as RestoreSourceError;
    expect(explanation.title).toBe(restoreTitles.noMatchingSource);
    expect(explanation.message).toContain('"/backups/shop" matches "nightly-{date}"');
    expect(explanation.message).toContain('"2026-11-20T02-00-00Z"');
    expect(explanation.message).toContain('"manual"');
  });

  test('a parent that does not exist matches nothing', async () => {
    const error = (await failure('/nowhere/{datetime}')) as RestoreSourceError;
    expect(error.explanation.message).toContain('the folder is empty or does not exist');
  });

  test('a path with nothing there', async () => {
    const error = (await failure('/backups/none')) as RestoreSourceError;
    expect(error.explanation.title).toBe(restoreTitles.sourceNotFound);
    expect(error.explanation.message).toContain('"/backups/none"');
  });

  test('a clock placeholder above the last segment is a template error', async () => {
    expect(await failure('/backups/{date}/db')).toBeInstanceOf(TemplateError);
  });
});
