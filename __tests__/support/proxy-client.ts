/**
 * Run by the proxy and certificate tests as a child process (`node __tests__/support/proxy-client.ts`),
 * because only a real process shows what Node's own global fetch does with the dispatcher installed
 * (a Jest test's fetch belongs to another realm). It starts up as the entry points do, points Dropbox
 * traffic at FAKE_DROPBOX_URL, makes the three kinds of request the action makes (the token refresh,
 * an RPC, a streamed upload), and prints one JSON line: what arrived, or how it failed.
 *
 * Environment: FAKE_DROPBOX_URL, TEST_REFRESH_TOKEN, TEST_APP_KEY, TEST_APP_SECRET, TEST_MAX_ATTEMPTS,
 * plus the proxy variables under test.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRedirectFetch } from '../../fake-dropbox/fetch-rewrite.ts';
import { DropboxApi } from '../../src/dropbox/client.ts';
import { classifyConnectionFailure } from '../../src/dropbox/connection-failure.ts';
import { explainConnectionFailure } from '../../src/dropbox/explain/connection-errors.ts';
import { TokenSource } from '../../src/dropbox/credentials.ts';
import { installProxyFromEnvironment } from '../../src/dropbox/proxy.ts';

/** What the child prints; the tests parse it. */
export interface ProxyClientReport {
  proxyLine?: string;
  ok: boolean;
  /** Bytes Dropbox stored for the streamed upload. */
  uploadedSize?: number;
  accountId?: string;
  retries: string[];
  failure?: unknown;
  explanation?: { title: string; message: string; scope: string };
  /** `name`/`code` of the error and its causes, outermost first. */
  chain?: string[];
}

/** The streamed upload: two pieces, sent as a stream. */
export const STREAMED_SIZES = [300_000, 200_000];

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

export interface ProxyClientRun {
  /** Where Dropbox traffic goes (FAKE_DROPBOX_URL), e.g. `https://fake-dropbox.test:PORT`. */
  dropboxUrl: string;
  refreshToken: string;
  app: { key: string; secret: string };
  /** The proxy variables under test, NODE_EXTRA_CA_CERTS, …; none is inherited from the test's machine. */
  env?: Record<string, string>;
  maxAttempts?: number;
}

/** Runs this file as a child process and returns its report. */
export async function runProxyClient(run: ProxyClientRun): Promise<ProxyClientReport> {
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !PROXY_VARIABLES.includes(name) && name !== 'NODE_EXTRA_CA_CERTS') {
      childEnv[name] = value;
    }
  }
  Object.assign(childEnv, {
    FAKE_DROPBOX_URL: run.dropboxUrl,
    TEST_REFRESH_TOKEN: run.refreshToken,
    TEST_APP_KEY: run.app.key,
    TEST_APP_SECRET: run.app.secret,
    TEST_MAX_ATTEMPTS: String(run.maxAttempts ?? 1),
    ...run.env,
  });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
  child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (exitCode !== 0 || !line.startsWith('{')) {
    throw new Error(`proxy client failed (${exitCode}):\n${stdout}\n${stderr}`);
  }
  return JSON.parse(line) as ProxyClientReport;
}

function chainOf(error: unknown): string[] {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    chain.push(`${String(name)}${typeof code === 'string' ? ` ${code}` : ''}`);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

async function main(): Promise<void> {
  const env = process.env;
  const report: ProxyClientReport = { ok: false, retries: [] };
  const proxyLine = installProxyFromEnvironment(env);
  if (proxyLine !== undefined) report.proxyLine = proxyLine;
  globalThis.fetch = createRedirectFetch(env['FAKE_DROPBOX_URL'] ?? '', globalThis.fetch.bind(globalThis));

  const tokens = new TokenSource(
    {
      kind: 'refresh-token',
      refreshToken: env['TEST_REFRESH_TOKEN'] ?? '',
      appKey: env['TEST_APP_KEY'] ?? '',
      appSecret: env['TEST_APP_SECRET'] ?? '',
      accessTokenIgnored: false,
    },
    { mask: () => undefined },
  );
  const api = new DropboxApi(tokens, {
    maxAttempts: Number(env['TEST_MAX_ATTEMPTS'] ?? '1'),
    backoff: { baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 },
    requestTimeoutMs: 20_000,
    onRetry: (line) => report.retries.push(line),
  });

  try {
    const account = await api.call('get account', (context) =>
      api.sdk.usersGetCurrentAccount({ signal: context.signal }),
    );
    report.accountId = account.result.account_id;
    const uploaded = await api.call('upload', (context) =>
      api.sdk.filesUpload(
        {
          path: '/proxy/streamed.bin',
          mode: { '.tag': 'overwrite' },
          contents: context.watch(
            Readable.from(STREAMED_SIZES.map((size, index) => Buffer.alloc(size, index + 1))),
          ),
        },
        { signal: context.signal },
      ),
    );
    report.uploadedSize = uploaded.result.size;
    report.ok = true;
  } catch (error) {
    report.failure = classifyConnectionFailure(error);
    const explanation = explainConnectionFailure(error);
    if (explanation !== undefined) report.explanation = explanation;
    report.chain = chainOf(error);
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// Imported by the tests for its constants; it runs only as a program.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
