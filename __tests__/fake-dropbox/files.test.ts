import { errorOf, rpc, sdkError, startFake, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake({ listPageSize: 3 });
});
afterEach(() => h.fake.close());

describe('files/get_metadata', () => {
  test('tagged file and folder metadata; not_found; root unsupported', async () => {
    const seeded = h.fake.putFile('/Docs/Readme.md', '# hi');
    const file = await h.dbx.filesGetMetadata({ path: '/docs/README.md' });
    expect(file.result).toMatchObject({
      '.tag': 'file',
      name: 'Readme.md',
      path_display: '/Docs/Readme.md',
      size: 4,
      rev: seeded.rev,
      content_hash: seeded.contentHash,
    });
    expect((await h.dbx.filesGetMetadata({ path: '/docs' })).result).toMatchObject({
      '.tag': 'folder',
      name: 'Docs',
      path_lower: '/docs',
    });
    const byId = await h.dbx.filesGetMetadata({ path: seeded.id });
    expect(byId.result.path_display).toBe('/Docs/Readme.md');

    const missing = await sdkError(h.dbx.filesGetMetadata({ path: '/nope.txt' }));
    expect(missing.status).toBe(409);
    expect(missing.error).toEqual({
      error_summary: 'path/not_found/..',
      error: { '.tag': 'path', path: { '.tag': 'not_found' } },
    });

    const root = await rpc(h.fake, 'files/get_metadata', { path: '' }, h.token);
    expect(root.status).toBe(400);
    expect(root.text).toBe(
      'Error in call to API function "files/get_metadata": request body: path: The root folder is unsupported.',
    );
  });
});

describe('files/list_folder', () => {
  test('"/" for the root is a 400 with the exact message', async () => {
    const response = await rpc(h.fake, 'files/list_folder', { path: '/' }, h.token);
    expect(response.status).toBe(400);
    expect(response.text).toBe(
      'Error in call to API function "files/list_folder": request body: path: Specify the root folder as an empty string rather than as "/".',
    );
  });

  test('pages with has_more/cursor; recursive lists folders and files, parents first', async () => {
    for (const name of ['a', 'b', 'c', 'd']) h.fake.putFile(`/top/${name}.txt`, name);
    h.fake.putFile('/top/sub/e.txt', 'e');
    const seen: string[] = [];
    let page = (await h.dbx.filesListFolder({ path: '', recursive: true })).result;
    seen.push(...page.entries.map((entry) => `${entry['.tag']}:${entry.path_lower}`));
    let pages = 1;
    while (page.has_more) {
      page = (await h.dbx.filesListFolderContinue({ cursor: page.cursor })).result;
      seen.push(...page.entries.map((entry) => `${entry['.tag']}:${entry.path_lower}`));
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'folder:/top',
      'file:/top/a.txt',
      'file:/top/b.txt',
      'file:/top/c.txt',
      'file:/top/d.txt',
      'folder:/top/sub',
      'file:/top/sub/e.txt',
    ]);

    const flat = (await h.dbx.filesListFolder({ path: '/TOP', limit: 2 })).result;
    expect(flat.entries.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt']);
    expect(flat.has_more).toBe(true);
  });

  test('a drained cursor reports later changes, deletions included', async () => {
    h.fake.putFile('/w/keep.txt', 'k');
    h.fake.putFile('/w/gone.txt', 'g');
    const first = (await h.dbx.filesListFolder({ path: '/w' })).result;
    expect(first.has_more).toBe(false);
    await h.dbx.filesDeleteV2({ path: '/w/gone.txt' });
    await h.dbx.filesUpload({ path: '/w/new.txt', contents: 'n' });
    const changes = (await h.dbx.filesListFolderContinue({ cursor: first.cursor })).result;
    expect(changes.entries.map((entry) => `${entry['.tag']}:${entry.name}`)).toEqual([
      'deleted:gone.txt',
      'file:new.txt',
    ]);
  });

  test('not_found, not_folder and a bad cursor (reset)', async () => {
    h.fake.putFile('/f.txt', 'f');
    expect(errorOf(await rpc(h.fake, 'files/list_folder', { path: '/missing' }, h.token))).toEqual({
      '.tag': 'path',
      path: { '.tag': 'not_found' },
    });
    expect(errorOf(await rpc(h.fake, 'files/list_folder', { path: '/f.txt' }, h.token))).toEqual({
      '.tag': 'path',
      path: { '.tag': 'not_folder' },
    });
    const reset = await rpc(h.fake, 'files/list_folder/continue', { cursor: 'garbage' }, h.token);
    expect(reset.status).toBe(409);
    expect(errorOf(reset)).toEqual({ '.tag': 'reset' });
  });
});

describe('delete and create folder', () => {
  test('delete_v2 returns tagged metadata; a folder goes with its contents', async () => {
    h.fake.putFile('/d/one.txt', '1');
    h.fake.putFile('/d/two.txt', '22');
    const file = await h.dbx.filesDeleteV2({ path: '/d/one.txt' });
    expect(file.result.metadata).toMatchObject({ '.tag': 'file', path_lower: '/d/one.txt' });
    const folder = await h.dbx.filesDeleteV2({ path: '/D' });
    expect(folder.result.metadata).toMatchObject({ '.tag': 'folder', path_display: '/d' });
    expect(h.fake.files()).toEqual([]);
    expect(h.fake.usedBytes).toBe(0);
    const missing = await sdkError(h.dbx.filesDeleteV2({ path: '/d' }));
    expect(missing.error).toEqual({
      error_summary: 'path_lookup/not_found/..',
      error: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } },
    });
  });

  test('delete_batch returns an async job; check reports each entry', async () => {
    h.fake.putFile('/x/1.txt', '1');
    h.fake.setReadOnly('/ro');
    h.fake.putFile('/ro/2.txt', '2');
    const launched = await rpc(
      h.fake,
      'files/delete_batch',
      { entries: [{ path: '/x/1.txt' }, { path: '/x/missing.txt' }, { path: '/ro/2.txt' }] },
      h.token,
    );
    const { async_job_id: jobId } = launched.json as { async_job_id: string };
    expect(launched.json).toMatchObject({ '.tag': 'async_job_id' });
    const checked = await h.dbx.filesDeleteBatchCheck({ async_job_id: jobId });
    expect(checked.result).toEqual({
      '.tag': 'complete',
      entries: [
        {
          '.tag': 'success',
          metadata: expect.objectContaining({ '.tag': 'file', path_lower: '/x/1.txt' }) as unknown,
        },
        { '.tag': 'failure', failure: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } } },
        {
          '.tag': 'failure',
          failure: { '.tag': 'path_write', path_write: { '.tag': 'no_write_permission' } },
        },
      ],
    });
  });

  test('create_folder_v2: FolderMetadata without .tag; conflicts; autorename', async () => {
    const made = await h.dbx.filesCreateFolderV2({ path: '/New Folder' });
    expect(made.result.metadata).toEqual({
      name: 'New Folder',
      id: expect.stringMatching(/^id:/) as unknown,
      path_lower: '/new folder',
      path_display: '/New Folder',
    });
    const again = await sdkError(h.dbx.filesCreateFolderV2({ path: '/new folder' }));
    expect(again.error).toEqual({
      error_summary: 'path/conflict/folder/..',
      error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } },
    });
    const renamed = await h.dbx.filesCreateFolderV2({ path: '/New Folder', autorename: true });
    expect(renamed.result.metadata.path_display).toBe('/New Folder (1)');
  });
});

test('files/download streams the bytes with Dropbox-API-Result', async () => {
  h.fake.putFile('/dl/é.bin', Buffer.from([0, 1, 2, 255]));
  const { result } = await h.dbx.filesDownload({ path: '/dl/é.bin' });
  const withBinary = result as typeof result & { fileBinary: Buffer };
  expect(withBinary.fileBinary.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
  expect(result.path_display).toBe('/dl/é.bin');
});
