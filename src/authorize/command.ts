/**
 * `npm run authorize` / `node dist/authorize.js` / `dropbox-authorize`: gets a Dropbox refresh token,
 * interactively (see flow.ts).
 *
 *   node dist/authorize.js [--secrets-file FILE]
 *
 * Dropbox traffic goes through Node's global fetch, so FAKE_DROPBOX_URL with the redirect-fetch preload
 * points it at the fake server, as for the action; HTTPS_PROXY and NO_PROXY are honoured as there.
 */
import { parseArgs } from 'node:util';
import { installProxyFromEnvironment } from '../dropbox/proxy.ts';
import { unexpectedFailure } from '../dropbox/redact.ts';
import { inert } from '../report/inert.ts';
import { runAuthorize } from './flow.ts';
import { createPrompter } from './prompt.ts';

const USAGE = `Usage: node dist/authorize.js [--secrets-file FILE]

Asks for your Dropbox app's key and secret (leave the secret empty for PKCE), prints the URL to
authorize the app, reads the access code Dropbox shows, and prints the refresh token with the
"gh secret set" commands for the action's secrets.

  --secrets-file FILE  write the secrets to FILE (a new file, readable only by you) for
                       "gh secret set --env-file FILE", instead of printing the refresh token
  -h, --help           show this help`;

// Not --env-file: Node itself reads that flag wherever it appears on the command line.

function parse(): { secretsFile?: string } | 'help' | 'bad' {
  try {
    const { values } = parseArgs({
      options: { 'secrets-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help === true) return 'help';
    return values['secrets-file'] === undefined ? {} : { secretsFile: values['secrets-file'] };
  } catch {
    return 'bad';
  }
}

export async function run(): Promise<void> {
  const args = parse();
  if (args === 'help' || args === 'bad') {
    (args === 'help' ? console.log : console.error)(USAGE);
    process.exitCode = args === 'help' ? 0 : 2;
    return;
  }
  try {
    const proxy = installProxyFromEnvironment();
    if (proxy !== undefined) process.stdout.write(`${inert(proxy)}\n`);
    process.exitCode = await runAuthorize(
      {
        prompter: createPrompter(process.stdin, process.stdout),
        print: (line = '') => process.stdout.write(`${inert(line)}\n`),
        printError: (line) => process.stderr.write(`${inert(line)}\n`),
      },
      args,
    );
  } catch (error) {
    // Not an uncaught rejection: Node would print the whole error object, request and secrets included.
    process.stderr.write(`${inert(unexpectedFailure(error))}\n`);
    process.exitCode = 1;
  }
}
