import { spawn } from 'node:child_process';
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
