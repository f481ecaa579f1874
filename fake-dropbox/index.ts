/**
 * The fake Dropbox server: a real HTTP server on 127.0.0.1 speaking the Dropbox API v2 subset the action
 * uses (OAuth token endpoint, uploads and upload sessions, metadata/listing/delete, account), following
 * /work/shared/docs/dropbox-api.md for shapes, errors and limits.
 *
 *   const fake = await FakeDropbox.start();
 *   const dbx = new Dropbox({ accessToken: fake.issueAccessToken(), fetch: createRedirectFetch(fake.url) });
 *
 * Modules: fake-dropbox.ts (public class) · types.ts (public shapes) · server.ts (HTTP, faults, log) ·
 * context.ts (server state and route types) · routes.ts / routes-*.ts (route table and handlers) ·
 * store.ts (file tree and write rules) · paths.ts (path rules) · metadata.ts (entries and their wire
 * shapes) · namespaces.ts (where a request's paths point: Path-Root, app folders) · team.ts (team space)
 * · sessions.ts (upload sessions) · auth.ts / oauth.ts / bearer.ts (apps, tokens, token endpoint, bearer
 * checks) · authorize-page.ts (the OAuth authorize page) · shared-links.ts · faults.ts · commit-lock.ts ·
 * bandwidth.ts (bandwidth caps on request and download bodies) · byte-range.ts (download Range headers) · listing.ts · jobs.ts · sleep.ts · spool.ts (bodies to
 * disk) · content-hash.ts · errors.ts (wire error shapes) · args.ts / http-io.ts (argument parsing) ·
 * fetch-rewrite.ts / redirect-fetch.ts (sending SDK traffic here) · cli.ts.
 */
export { FakeDropbox } from './fake-dropbox.ts';
export { dropboxContentHash, ContentHasher } from './content-hash.ts';
export { createRedirectFetch, rewriteDropboxUrl, DROPBOX_HOSTS } from './fetch-rewrite.ts';
export type {
  FakeAppOptions,
  FakeDropboxOptions,
  FakeTeamInfo,
  FaultAction,
  FaultInjector,
  FaultRule,
  FiredFault,
  RequestLogEntry,
  StoredFileInfo,
  UploadSessionInfo,
} from './types.ts';
