/** sharing/create_shared_link_with_settings and list_shared_links (docs §2, §3, §6). */
import { content, errorOf, rpc, startFake, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
  await content(h.fake, 'files/upload', { path: '/Docs/Résumé 2026.pdf' }, 'pdf', h.token);
});
afterEach(() => h.fake.close());

const create = (path: string, token = h.token): ReturnType<typeof rpc> =>
  rpc(h.fake, 'sharing/create_shared_link_with_settings', { path }, token);

test('creates a link: tagged FileLinkMetadata with a www.dropbox.com URL', async () => {
  const response = await create('/docs/résumé 2026.pdf');
  expect(response.status).toBe(200);
  expect(response.json).toMatchObject({
    '.tag': 'file',
    name: 'Résumé 2026.pdf',
    path_lower: '/docs/résumé 2026.pdf',
    size: 3,
    link_permissions: { resolved_visibility: { '.tag': 'public' } },
  });
  const url = (response.json as { url: string }).url;
  expect(url).toMatch(
    /^https:\/\/www\.dropbox\.com\/scl\/fi\/[a-z0-9_-]+\/R%C3%A9sum%C3%A9%202026\.pdf\?rlkey=[a-z0-9_-]+&dl=0$/,
  );
  expect(h.fake.sharedLinks()).toEqual([{ path: '/Docs/Résumé 2026.pdf', url }]);
});

test('a second request gets 409 shared_link_already_exists carrying the existing link', async () => {
  const url = (await create('/Docs/Résumé 2026.pdf')).json as { url: string };
  const again = await create('/Docs/Résumé 2026.pdf');
  expect(again.status).toBe(409);
  expect(again.json).toMatchObject({
    error: {
      '.tag': 'shared_link_already_exists',
      shared_link_already_exists: { '.tag': 'metadata', metadata: { '.tag': 'file', url: url.url } },
    },
  });
});

test('the bare form names no link; list_shared_links finds it', async () => {
  const url = h.fake.createSharedLink('/Docs/Résumé 2026.pdf');
  h.fake.setSharedLinkConflictForm('bare');
  const again = await create('/Docs/Résumé 2026.pdf');
  expect(again.json).toEqual({
    error_summary: 'shared_link_already_exists/.',
    error: { '.tag': 'shared_link_already_exists' },
  });
  const listed = await rpc(
    h.fake,
    'sharing/list_shared_links',
    { path: '/Docs/Résumé 2026.pdf', direct_only: true },
    h.token,
  );
  expect(listed.json).toMatchObject({ links: [{ url, '.tag': 'file' }], has_more: false });
  const all = await rpc(h.fake, 'sharing/list_shared_links', {}, h.token);
  expect((all.json as { links: unknown[] }).links).toHaveLength(1);
});

test('errors: a missing path is a path lookup error; sharing.write is a scope of its own', async () => {
  const missing = await create('/nope.txt');
  expect([missing.status, errorOf(missing)]).toEqual([
    409,
    { '.tag': 'path', path: { '.tag': 'not_found' } },
  ]);

  const noShare = h.fake.issueAccessToken({ scopes: ['files.content.write', 'files.metadata.read'] });
  const refused = await create('/Docs/Résumé 2026.pdf', noShare);
  expect(refused.status).toBe(401);
  expect(refused.json).toEqual({
    error_summary: 'missing_scope/',
    error: { '.tag': 'missing_scope', required_scope: 'sharing.write' },
  });

  const listRefused = await rpc(h.fake, 'sharing/list_shared_links', {}, noShare);
  expect(errorOf(listRefused)).toEqual({ '.tag': 'missing_scope', required_scope: 'sharing.read' });
});
