import type { FakeDropbox } from '../../fake-dropbox/index.ts';

/** The sequence number of the server's latest request; later requests have higher ones. */
export const lastSeq = (server: FakeDropbox): number => server.requests.at(-1)?.seq ?? 0;

export const routesSince = (server: FakeDropbox, since: number): string[] =>
  server.requests.filter((entry) => entry.seq > since).map((entry) => entry.route);

/** Requests that only read: the token grant, the account check and the listings. */
export const READ_ONLY_ROUTES: ReadonlySet<string> = new Set([
  'oauth2/token',
  'users/get_current_account',
  'files/list_folder',
  'files/list_folder/continue',
  'files/get_metadata',
]);
