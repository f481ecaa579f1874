/** The authorize helper run as a child process: typed answers, the printed URL opened as a browser would. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.ts';

const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');
const AUTHORIZE_URL = /(https:\/\/(?:www\.)?dropbox\.com\/oauth2\/authorize\?\S+)\n/;

export interface AuthorizeRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface AuthorizeAnswers {
  appKey: string;
  appSecret: string;
  /** The fake Dropbox whose authorize page clicks Allow and shows the code. */
  dropboxUrl: string;
}

/** What a browser does with the printed URL: the fake's authorize page, then the access code it shows. */
async function allowInBrowser(dropboxUrl: string, authorizeUrl: string): Promise<string> {
  const url = new URL(authorizeUrl);
  const page = await (await fetch(`${dropboxUrl}${url.pathname}${url.search}`)).text();
  const code = /finish the process:\n\n(\S+)\n/.exec(page)?.[1];
  if (code === undefined) throw new Error(`no access code on the page: ${page}`);
  return code;
}

/**
 * Runs `entry` (src/authorize.ts or dist/authorize.js) with `args`, its fetch sent to the fake Dropbox
 * that `env.FAKE_DROPBOX_URL` names, and no proxy but the one `env` sets. With `answers`, types the app
 * key and secret and pastes the code for the URL it prints; without, the input ends at once.
 */
export async function runAuthorize(
  entry: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; answers?: AuthorizeAnswers },
): Promise<AuthorizeRun> {
  const child = spawn(process.execPath, ['--import', redirectModule, entry, ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      HTTPS_PROXY: '',
      https_proxy: '',
      HTTP_PROXY: '',
      http_proxy: '',
      NO_PROXY: '',
      no_proxy: '',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  const urlShown = new Promise<string | undefined>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (piece: string) => {
      stdout += piece;
      const match = AUTHORIZE_URL.exec(stdout);
      if (match) resolve(match[1]);
    });
    void closed.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), 20_000).unref();
  });
  const { answers } = options;
  if (answers !== undefined) {
    child.stdin.write(`${answers.appKey}\n${answers.appSecret}\n`);
    const url = await urlShown;
    if (url !== undefined) child.stdin.write(`${await allowInBrowser(answers.dropboxUrl, url)}\n`);
  }
  child.stdin.end();
  return { exitCode: await closed, stdout, stderr };
}
