/**
 * Runs the fake Dropbox server for local demos and manual testing:
 *
 *   node fake-dropbox/cli.ts [--port N] [--latency-ms N] [--commit-lock-ms N] [--quota-bytes N] [--storage-dir DIR]
 *                            [--github-output FILE]
 *
 * --github-output appends url, access-token, refresh-token, app-key and app-secret as step outputs,
 * so a workflow can start the server in the background and hand its credentials to `uses: ./`.
 *
 * Prints the URL and ready-to-use credentials (all fake), then serves until SIGINT/SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeDropbox } from './fake-dropbox.ts';
import type { FakeDropboxOptions } from './types.ts';

const APP_KEY = 'fake-app-key';
const APP_SECRET = 'fake-app-secret';

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative number, got ${value}`);
  return parsed;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'latency-ms': { type: 'string' },
    'commit-lock-ms': { type: 'string' },
    'quota-bytes': { type: 'string' },
    'storage-dir': { type: 'string' },
    'github-output': { type: 'string' },
  },
});

const options: FakeDropboxOptions = {};
const port = numberOption('port', values.port);
if (port !== undefined) options.port = port;
const latency = numberOption('latency-ms', values['latency-ms']);
if (latency !== undefined) options.latencyMs = latency;
const lock = numberOption('commit-lock-ms', values['commit-lock-ms']);
if (lock !== undefined) options.commitLockMs = lock;
const quota = numberOption('quota-bytes', values['quota-bytes']);
if (quota !== undefined) options.quotaBytes = quota;
if (values['storage-dir'] !== undefined) options.storageDir = values['storage-dir'];

const server = await FakeDropbox.start(options);
server.registerApp({ key: APP_KEY, secret: APP_SECRET });
const accessToken = server.issueAccessToken({ appKey: APP_KEY });
const refreshToken = server.issueRefreshToken({ appKey: APP_KEY });

console.log(`Fake Dropbox listening on ${server.url}`);
console.log(`  FAKE_DROPBOX_URL=${server.url}`);
console.log(`  access token:  ${accessToken}`);
console.log(`  app key:       ${APP_KEY}`);
console.log(`  app secret:    ${APP_SECRET}`);
console.log(`  refresh token: ${refreshToken}`);
console.log('Press Ctrl+C to stop.');

const githubOutput = values['github-output'];
if (githubOutput !== undefined) {
  const outputs = {
    url: server.url,
    'access-token': accessToken,
    'refresh-token': refreshToken,
    'app-key': APP_KEY,
    'app-secret': APP_SECRET,
  };
  appendFileSync(
    githubOutput,
    Object.entries(outputs)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
  );
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  const files = server.files();
  void server.close().then(() => {
    console.log(`Stopped after ${server.requests.length} requests; ${files.length} files were stored.`);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
