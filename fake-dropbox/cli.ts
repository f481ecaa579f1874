/**
 * Runs the fake Dropbox server for local demos and manual testing:
 *
 *   node fake-dropbox/cli.ts [--port N] [--latency-ms N] [--commit-lock-ms N] [--quota-bytes N] [--storage-dir DIR]
 *                            [--connection-bytes-per-second N] [--global-bytes-per-second N]
 *                            [--max-concurrent-requests N]
 *                            [--github-output FILE]
 *
 * The realism knobs (see FakeDropboxOptions): --latency-ms delays every response, --commit-lock-ms makes
 * overlapping single commits get 429 too_many_write_operations, and the bandwidth caps (bytes/s) hold
 * request bodies and download bodies (each direction on its own) to a per-connection and a whole-server rate;
 * --max-concurrent-requests answers 429 too_many_requests to a request that arrives while that many are in
 * progress.
 *
 * --github-output appends url, access-token, refresh-token, app-key and app-secret as step outputs,
 * so a workflow can start the server in the background and hand its credentials to `uses: ./`.
 *
 * Prints the URL and ready-to-use credentials (all fake), then serves until SIGINT/SIGTERM.
 *
 * Started with an IPC channel (child_process.fork, as `npm run bench` does, so that the server's work is
 * not counted in the action's memory and CPU), it also sends `{ type: 'ready', url, accessToken,
 * refreshToken, appKey, appSecret }` once listening, and answers `{ type: 'requests', since }` with
 * `{ type: 'requests', requests }`: the request log entries whose seq is above `since`.
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
    'max-concurrent-requests': { type: 'string' },
    'commit-lock-ms': { type: 'string' },
    'connection-bytes-per-second': { type: 'string' },
    'global-bytes-per-second': { type: 'string' },
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
const maxConcurrent = numberOption('max-concurrent-requests', values['max-concurrent-requests']);
if (maxConcurrent !== undefined) options.maxConcurrentRequests = maxConcurrent;
const lock = numberOption('commit-lock-ms', values['commit-lock-ms']);
if (lock !== undefined) options.commitLockMs = lock;
const connectionCap = numberOption('connection-bytes-per-second', values['connection-bytes-per-second']);
if (connectionCap !== undefined) options.connectionBytesPerSecond = connectionCap;
const globalCap = numberOption('global-bytes-per-second', values['global-bytes-per-second']);
if (globalCap !== undefined) options.globalBytesPerSecond = globalCap;
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

if (process.send !== undefined) {
  process.send({
    type: 'ready',
    url: server.url,
    accessToken,
    refreshToken,
    appKey: APP_KEY,
    appSecret: APP_SECRET,
  });
  process.on('message', (message: { type?: unknown; since?: unknown }) => {
    if (message.type !== 'requests') return;
    const since = typeof message.since === 'number' ? message.since : 0;
    process.send?.({ type: 'requests', requests: server.requests.filter((entry) => entry.seq > since) });
  });
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  const files = server.files();
  void server.close().then(() => {
    console.log(`Stopped after ${server.requests.length} requests; ${files.length} files were stored.`);
    // An open IPC channel would keep the process alive.
    if (process.connected) process.disconnect();
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
