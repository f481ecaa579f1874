/**
 * `npm run authorize` / `node dist/authorize.js`: gets a Dropbox refresh token for the action,
 * interactively (see authorize/flow.ts).
 *
 *   node dist/authorize.js [--secrets-file FILE]
 *
 * Dropbox traffic goes through Node's global fetch, so FAKE_DROPBOX_URL with the redirect-fetch preload
 * points it at the fake server, as for the action.
 */
import { parseArgs } from 'node:util';
import { runAuthorize } from './authorize/flow.ts';
import { createPrompter } from './authorize/prompt.ts';
import { redactSecrets } from './dropbox/explain.ts';

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

const args = parse();
if (args === 'help' || args === 'bad') {
  (args === 'help' ? console.log : console.error)(USAGE);
  process.exitCode = args === 'help' ? 0 : 2;
} else {
  try {
    process.exitCode = await runAuthorize(
      {
        prompter: createPrompter(process.stdin, process.stdout),
        print: (line = '') => process.stdout.write(`${line}\n`),
        printError: (line) => process.stderr.write(`${line}\n`),
      },
      args,
    );
  } catch (error) {
    // Not an uncaught rejection: Node would print the whole error object, request and secrets included.
    process.stderr.write(
      `Unexpected failure: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exitCode = 1;
  }
}
