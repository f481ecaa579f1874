/** The empty folders of an upload, created in the fake Dropbox: new, already there, or a file in the way. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { MappedPath } from '../../../src/model.ts';
import { createFolders, folderLine, planFolders } from '../../../src/transfer/create-folders.ts';
import { RemoteIndex } from '../../../src/transfer/decide.ts';
import { listRemoteFolder } from '../../../src/dropbox/listing.ts';
import { connect, refreshCredentials, startFakeDropbox } from '../../support/dropbox.ts';

let server: FakeDropbox;
beforeAll(async () => {
  server = await startFakeDropbox();
});
afterAll(() => server.close());

const folder = (relativePath: string): MappedPath => ({
  localPath: `/w/out/${relativePath}`,
  shownPath: `out/${relativePath}`,
  relativePath,
  dropboxPath: `/folders/${relativePath}`,
});

describe('createFolders', () => {
  test('creates new folders (parents along), accepts existing ones, fails a folder a file is in the way of', async () => {
    server.createFolder('/folders/there');
    server.putFile('/folders/blocked', 'a file');
    const { api } = connect(refreshCredentials(server));
    const lines: string[] = [];
    const results = await createFolders(
      [folder('new/deep/résumé ü'), folder('there'), folder('blocked')],
      api,
      { concurrency: 4, log: (line) => lines.push(line) },
    );
    expect(results.map((result) => [result.relativePath, result.status, result.error?.title])).toEqual([
      ['new/deep/résumé ü', 'created', undefined],
      ['there', 'exists', undefined],
      ['blocked', 'failed', 'File in the way in Dropbox'],
    ]);
    expect(results[2]?.error?.message).toMatch(
      /A file exists in Dropbox at "\/folders\/blocked", where the upload would create an empty folder/,
    );
    const listed = await listRemoteFolder(api, '/folders/new/deep', { recursive: false });
    expect(listed.map((entry) => [entry.kind, entry.name])).toEqual([['folder', 'résumé ü']]);
    expect(lines).toEqual([
      'created folder /folders/new/deep/résumé ü',
      'folder /folders/there is already in Dropbox',
      'FAILED folder /folders/blocked: File in the way in Dropbox',
    ]);
  });
});

describe('planFolders: what a dry run says', () => {
  test('from the listing: to create, already there, or refused; without one, to create', () => {
    const index = new RemoteIndex([
      { kind: 'folder', name: 'there', pathLower: '/folders/there', pathDisplay: '/folders/there' },
      {
        kind: 'file',
        name: 'blocked',
        pathLower: '/folders/blocked',
        pathDisplay: '/folders/blocked',
        contentHash: 'h',
      },
    ]);
    const planned = planFolders(
      [folder('new'), folder('there'), folder('blocked'), folder('blocked/inner')],
      (path) => index.stateAt(path),
    );
    expect(planned.map((result) => [result.status, result.error?.title])).toEqual([
      ['created', undefined],
      ['exists', undefined],
      ['failed', 'File in the way in Dropbox'],
      ['failed', 'File in the way in Dropbox'],
    ]);
    expect(folderLine(planned[0]!, true)).toBe('would create folder /folders/new');
    expect(planFolders([folder('new')], undefined).map((result) => result.status)).toEqual(['created']);
  });
});
