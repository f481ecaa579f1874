/** Deleting the folders retention chose: delete_batch in groups of 1,000, each entry checked. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import { deleteEntries } from '../../../src/backups/prune.ts';
import { LIST_PAGE_LIMIT, listRemoteFolder } from '../../../src/dropbox/listing.ts';
import { connect, refreshCredentials, routeDropboxTo, startFakeDropbox } from '../../support/dropbox.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';
import { type Tree } from '../../support/tree.ts';

let server: FakeDropbox;
const trees: Tree[] = [];
const extraServers: FakeDropbox[] = [];

beforeAll(async () => {
  // Dropbox pages list_folder by the `limit` asked for, up to 2000 entries.
  server = await startFakeDropbox({ listPageSize: LIST_PAGE_LIMIT });
});
afterEach(() => {
  server.faults.clear();
  routeDropboxTo(server);
});
afterAll(async () => {
  await server.close();
  await Promise.all(extraServers.map((extra) => extra.close()));
  await Promise.all(trees.map((tree) => tree.cleanup()));
});

describe('deleteEntries', () => {
  test('more than 1,000 folders: one delete_batch per 1,000', async () => {
    for (let index = 0; index < 1001; index += 1) server.createFolder(`/many-old/f${index}`);
    const entries = await listRemoteFolder(connect(refreshCredentials(server)).api, '/many-old', {
      recursive: false,
    });
    const { api } = connect(refreshCredentials(server));
    const since = lastSeq(server);
    const outcome = await deleteEntries(api, entries, { log: () => undefined, pollDelayMs: () => 1 });
    expect(outcome.failures).toEqual([]);
    expect(outcome.deleted).toHaveLength(1001);
    expect(routesSince(server, since).filter((route) => route === 'files/delete_batch')).toHaveLength(2);
    expect(await listRemoteFolder(api, '/many-old', { recursive: false })).toEqual([]);
  });
});
