/**
 * Preload for running the bundled action against the fake server:
 *
 *   FAKE_DROPBOX_URL=http://127.0.0.1:PORT node --import <abs>/fake-dropbox/redirect-fetch.ts dist/index.js
 *
 * With FAKE_DROPBOX_URL set, the global fetch sends api.dropboxapi.com, content.dropboxapi.com and
 * api.dropbox.com requests to that server (same path and query); other hosts pass through.
 * Without it, importing this module changes nothing.
 */
import { createRedirectFetch } from './fetch-rewrite.ts';

export { createRedirectFetch, rewriteDropboxUrl, DROPBOX_HOSTS } from './fetch-rewrite.ts';

const target = process.env['FAKE_DROPBOX_URL'];
if (target) {
  globalThis.fetch = createRedirectFetch(target, globalThis.fetch.bind(globalThis));
}
