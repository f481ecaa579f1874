import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../fake-dropbox/cli.ts', import.meta.url));

test('the CLI prints a URL and working credentials, and stops on SIGINT', async () => {
  const child = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Ctrl+C')) resolve();
      });
      child.once('exit', () => reject(new Error(`cli exited early:\n${output}`)));
    });
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1] ?? '';
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(url).not.toBe('');

    const account = await fetch(`${url}/2/users/get_current_account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${field('access token')}` },
    });
    expect(account.status).toBe(200);

    const refreshed = await fetch(
      `${url}/oauth2/token?${new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: field('refresh token'),
        client_id: field('app key'),
        client_secret: field('app secret'),
      }).toString()}`,
      { method: 'POST' },
    );
    expect(refreshed.status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('the CLI takes the realism knobs, and over IPC reports ready and its request log', async () => {
  const child = fork(
    CLI,
    [
      '--port',
      '0',
      '--latency-ms',
      '50',
      '--commit-lock-ms',
      '100',
      '--connection-bytes-per-second',
      '524288',
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  try {
    // Listen before anything can answer: messages are not queued for late listeners.
    const next = (type: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        child.on('message', (message: { type: string }) => {
          if (message.type === type) resolve(message);
        });
        child.once('exit', () => reject(new Error('cli exited early')));
      });
    const ready = (await next('ready')) as { url: string; accessToken: string };

    const began = Date.now();
    const response = await fetch(`${ready.url}/2/files/upload`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ready.accessToken}`,
        'Content-Type': 'application/octet-stream',
        'Dropbox-API-Arg': JSON.stringify({ path: '/knobs.bin' }),
      },
      body: new Uint8Array(1024 * 1024),
    });
    expect(response.status).toBe(200);
    // 1 MiB at 512 KiB/s: about 2 s.
    expect(Date.now() - began).toBeGreaterThanOrEqual(1500);

    const answered = next('requests');
    child.send({ type: 'requests', since: 0 });
    const { requests } = (await answered) as { requests: { route: string; bodyBytes: number }[] };
    expect(requests).toEqual([expect.objectContaining({ route: 'files/upload', bodyBytes: 1024 * 1024 })]);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
