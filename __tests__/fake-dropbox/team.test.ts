/** The team-space model (docs §7): members, namespaces, Path-Root and Select-User, and App-folder apps. */
import { Dropbox } from 'dropbox';
import { createRedirectFetch, FakeDropbox } from '../../fake-dropbox/index.ts';
import { content, errorOf, rpc, sdkError, startFake, type Harness } from './helpers.ts';

const pathRoot = (value: object): Record<string, string> => ({
  'Dropbox-API-Path-Root': JSON.stringify(value),
});

describe('a personal account', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startFake();
  });
  afterEach(() => h.fake.close());

  test('Path-Root root with its own namespace id is the same as no header; another id is 422 invalid_root', async () => {
    const root = h.fake.rootNamespaceId;
    const up = await content(
      h.fake,
      'files/upload',
      { path: '/a.txt' },
      'a',
      h.token,
      pathRoot({ '.tag': 'root', root }),
    );
    expect(up.status).toBe(200);
    expect(h.fake.readFile('/a.txt').toString()).toBe('a');

    const wrong = await rpc(
      h.fake,
      'files/list_folder',
      { path: '' },
      h.token,
      pathRoot({ '.tag': 'root', root: '1' }),
    );
    expect(wrong.status).toBe(422);
    expect(wrong.json).toEqual({
      error_summary: 'invalid_root/..',
      error: {
        '.tag': 'invalid_root',
        invalid_root: { '.tag': 'user', root_namespace_id: root, home_namespace_id: root, home_path: '' },
      },
    });
  });

  test('a namespace id without access is 422 no_permission; a malformed header is a 400', async () => {
    const denied = await rpc(
      h.fake,
      'files/list_folder',
      { path: '' },
      h.token,
      pathRoot({ '.tag': 'namespace_id', namespace_id: '42' }),
    );
    expect(denied.status).toBe(422);
    expect(errorOf(denied)).toEqual({ '.tag': 'no_permission' });

    const garbled = await rpc(h.fake, 'files/list_folder', { path: '' }, h.token, {
      'Dropbox-API-Path-Root': '{',
    });
    expect(garbled.status).toBe(400);
    expect(garbled.text).toContain('HTTP header "Dropbox-API-Path-Root": could not decode input as JSON');
  });
});

describe('a team space', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startFake({ team: { memberName: 'Ada Lovelace', teamFolderName: 'Engineering' } });
  });
  afterEach(() => h.fake.close());

  test('get_current_account describes a business member with team root info', async () => {
    const team = h.fake.team!;
    const account = await rpc(h.fake, 'users/get_current_account', undefined, h.token);
    expect(account.json).toMatchObject({
      account_type: { '.tag': 'business' },
      name: { display_name: 'Ada Lovelace' },
      team: { id: team.teamId },
      team_member_id: team.memberId,
      root_info: {
        '.tag': 'team',
        root_namespace_id: team.rootNamespaceId,
        home_namespace_id: team.homeNamespaceId,
        home_path: '/Ada Lovelace',
      },
    });
    expect(team.rootNamespaceId).toBe(h.fake.rootNamespaceId);
    expect(team.teamFolderPath).toBe('/Engineering');
  });

  test('without Path-Root, paths are in the member folder; with the root they are in the team space', async () => {
    const team = h.fake.team!;
    const home = await content(h.fake, 'files/upload', { path: '/mine.txt' }, 'home', h.token);
    expect(home.status).toBe(200);
    expect(home.json).toMatchObject({ path_display: '/mine.txt' });

    const rooted = pathRoot({ '.tag': 'root', root: team.rootNamespaceId });
    const shared = await content(
      h.fake,
      'files/upload',
      { path: '/Engineering/team.txt' },
      'team',
      h.token,
      rooted,
    );
    expect(shared.status).toBe(200);
    expect(shared.json).toMatchObject({ path_display: '/Engineering/team.txt' });

    expect(h.fake.files().map((file) => file.path)).toEqual([
      '/Ada Lovelace/mine.txt',
      '/Engineering/team.txt',
    ]);

    const listed = await rpc(h.fake, 'files/list_folder', { path: '' }, h.token, rooted);
    expect(
      (listed.json as { entries: { path_display: string }[] }).entries.map((e) => e.path_display),
    ).toEqual(['/Ada Lovelace', '/Engineering']);
    const meta = await rpc(h.fake, 'files/get_metadata', { path: '/Engineering/team.txt' }, h.token);
    expect(meta.status).toBe(409);
  });

  test('namespace_id selects the team folder or the home namespace; anything else is no_permission', async () => {
    const team = h.fake.team!;
    const inFolder = pathRoot({ '.tag': 'namespace_id', namespace_id: team.teamFolderNamespaceId });
    const up = await content(h.fake, 'files/upload', { path: '/x.txt' }, 'x', h.token, inFolder);
    expect(up.json).toMatchObject({ path_lower: '/x.txt' });
    expect(h.fake.readFile('/Engineering/x.txt').toString()).toBe('x');

    const inHome = pathRoot({ '.tag': 'namespace_id', namespace_id: team.homeNamespaceId });
    await content(h.fake, 'files/upload', { path: '/y.txt' }, 'y', h.token, inHome);
    expect(h.fake.readFile('/Ada Lovelace/y.txt').toString()).toBe('y');

    const other = await rpc(
      h.fake,
      'files/list_folder',
      { path: '' },
      h.token,
      pathRoot({ '.tag': 'namespace_id', namespace_id: '123' }),
    );
    expect(other.status).toBe(422);
    expect(errorOf(other)).toEqual({ '.tag': 'no_permission' });

    const stale = await rpc(
      h.fake,
      'files/list_folder',
      { path: '' },
      h.token,
      pathRoot({ '.tag': 'root', root: team.homeNamespaceId }),
    );
    expect(stale.status).toBe(422);
    expect(errorOf(stale)).toEqual({
      '.tag': 'invalid_root',
      invalid_root: {
        '.tag': 'team',
        root_namespace_id: team.rootNamespaceId,
        home_namespace_id: team.homeNamespaceId,
        home_path: '/Ada Lovelace',
      },
    });
  });

  test('a team token needs Dropbox-API-Select-User: 400 text without, 401 for an unknown member', async () => {
    const teamToken = h.fake.issueAccessToken({ team: true });
    const without = await rpc(h.fake, 'files/list_folder', { path: '' }, teamToken);
    expect(without.status).toBe(400);
    expect(without.text).toBe(
      'Error in call to API function "files/list_folder": This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team.  Since your API app key has team member file access permissions, you can operate on a team member\'s Dropbox by providing the "Dropbox-API-Select-User" HTTP header or "select_user" URL parameter to specify the exact user <https://www.dropbox.com/developers/documentation/http/teams>.',
    );

    const unknown = await rpc(h.fake, 'files/list_folder', { path: '' }, teamToken, {
      'Dropbox-API-Select-User': 'dbmid:AAnobody',
    });
    expect(unknown.status).toBe(401);
    expect(errorOf(unknown)).toEqual({ '.tag': 'invalid_select_user' });

    const member = await content(h.fake, 'files/upload', { path: '/as-member.txt' }, 'm', teamToken, {
      'Dropbox-API-Select-User': h.fake.team!.memberId,
    });
    expect(member.status).toBe(200);
    expect(h.fake.readFile('/Ada Lovelace/as-member.txt').toString()).toBe('m');
  });

  test('the SDK sends pathRoot and selectUser as these headers', async () => {
    const team = h.fake.team!;
    const dbx = new Dropbox({
      accessToken: h.fake.issueAccessToken({ team: true }),
      selectUser: team.memberId,
      pathRoot: JSON.stringify({ '.tag': 'root', root: team.rootNamespaceId }),
      fetch: createRedirectFetch(h.fake.url),
    });
    await dbx.filesUpload({ path: '/Engineering/sdk.txt', contents: 'sdk' });
    expect(h.fake.readFile('/Engineering/sdk.txt').toString()).toBe('sdk');
  });
});

describe('an App-folder app', () => {
  let fake: FakeDropbox;
  beforeEach(async () => {
    fake = await FakeDropbox.start();
    fake.registerApp({
      key: 'folder-app',
      secret: 'folder-secret',
      name: 'My Backups',
      accessType: 'app_folder',
    });
  });
  afterEach(() => fake.close());

  test('is rooted at /Apps/<name> and cannot leave it through Path-Root', async () => {
    const token = fake.issueAccessToken({ appKey: 'folder-app' });
    const up = await content(fake, 'files/upload', { path: '/site/index.html' }, '<p>', token);
    expect(up.json).toMatchObject({ path_display: '/site/index.html' });
    expect(fake.files().map((file) => file.path)).toEqual(['/Apps/My Backups/site/index.html']);

    const listed = await rpc(fake, 'files/list_folder', { path: '', recursive: true }, token);
    expect((listed.json as { entries: { path_lower: string }[] }).entries.map((e) => e.path_lower)).toEqual([
      '/site',
      '/site/index.html',
    ]);

    for (const header of [
      { '.tag': 'namespace_id', namespace_id: fake.rootNamespaceId },
      { '.tag': 'root', root: fake.rootNamespaceId },
    ]) {
      const refused = await rpc(fake, 'files/list_folder', { path: '' }, token, pathRoot(header));
      expect([refused.status, errorOf(refused)]).toEqual([422, { '.tag': 'no_permission' }]);
    }
    const home = await rpc(fake, 'files/list_folder', { path: '' }, token, pathRoot({ '.tag': 'home' }));
    expect(home.status).toBe(200);
  });

  test('a Full Dropbox app next to it sees the whole Dropbox, app folder included', async () => {
    await content(
      fake,
      'files/upload',
      { path: '/a.txt' },
      'a',
      fake.issueAccessToken({ appKey: 'folder-app' }),
    );
    const full = fake.issueAccessToken();
    const meta = await rpc(fake, 'files/get_metadata', { path: '/Apps/My Backups/a.txt' }, full);
    expect(meta.status).toBe(200);
  });

  test('an id outside the view is not found', async () => {
    const full = fake.issueAccessToken();
    const outside = await content(fake, 'files/upload', { path: '/outside.txt' }, 'o', full);
    const id = (outside.json as { id: string }).id;
    const token = fake.issueAccessToken({ appKey: 'folder-app' });
    const error = await sdkError(
      new Dropbox({ accessToken: token, fetch: createRedirectFetch(fake.url) }).filesGetMetadata({
        path: id,
      }),
    );
    expect(error.status).toBe(409);
  });

  test('cannot write or delete outside its folder through an id; ids inside work', async () => {
    const full = fake.issueAccessToken();
    const outside = await content(fake, 'files/upload', { path: '/outside.txt' }, 'o', full);
    const outsideId = (outside.json as { id: string }).id;
    const token = fake.issueAccessToken({ appKey: 'folder-app' });

    const overwrite = { path: outsideId, mode: { '.tag': 'overwrite' } };
    const upload = await content(fake, 'files/upload', overwrite, 'overwritten', token);
    expect([upload.status, errorOf(upload)]).toEqual([
      409,
      {
        '.tag': 'path',
        reason: { '.tag': 'malformed_path' },
        upload_session_id: expect.any(String) as unknown,
      },
    ]);
    const folder = await rpc(fake, 'files/create_folder_v2', { path: outsideId }, token);
    expect([folder.status, errorOf(folder)]).toEqual([
      409,
      { '.tag': 'path', path: { '.tag': 'malformed_path' } },
    ]);
    const deleted = await rpc(fake, 'files/delete_v2', { path: outsideId }, token);
    expect([deleted.status, errorOf(deleted)]).toEqual([
      409,
      { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } },
    ]);
    expect(fake.readFile('/outside.txt').toString()).toBe('o');
    expect(fake.files().map((file) => file.path)).toEqual(['/outside.txt']);

    const inside = await content(fake, 'files/upload', { path: '/in.txt' }, 'i', token);
    const insideId = (inside.json as { id: string }).id;
    const replaced = await content(fake, 'files/upload', { ...overwrite, path: insideId }, 'i2', token);
    expect(replaced.json).toMatchObject({ path_display: '/in.txt', id: insideId });
    expect(fake.readFile('/Apps/My Backups/in.txt').toString()).toBe('i2');
  });
});
