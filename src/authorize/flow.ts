/**
 * The refresh-token helper, step by step: ask for the app key and secret, print the authorize URL
 * (PKCE S256 when there is no secret), read the access code, exchange it, check the token, and print
 * what the user needs: the account, the access type, the scopes, and the `gh secret set` commands.
 *
 * Every Dropbox failure is explained by explain.ts, as the action explains it. The app secret is never
 * printed; the refresh token is printed once, inside the `gh secret set` command (or only written to
 * the file given with --secrets-file).
 */
import { writeFileSync } from 'node:fs';
import { DropboxAuth, type users } from 'dropbox';
import { DropboxApi, streamingFetch } from '../dropbox/client.ts';
import { TokenSource } from '../dropbox/credentials.ts';
import { explainDropboxError, type ExplainContext } from '../dropbox/explain/explain.ts';
import { probeAccessType, type AccessTypeFinding } from './access-type.ts';
import { InputEnded, type Prompter } from './prompt.ts';
import {
  accessTypeText,
  accountLines,
  envFileText,
  scopeNotices,
  secretCommands,
  stepLines,
  type AccountFacts,
} from './summary.ts';

export interface AuthorizeIo {
  prompter: Prompter;
  /** A line on stdout. */
  print(line?: string): void;
  /** A line on stderr. */
  printError(line: string): void;
}

export interface AuthorizeOptions {
  /** Write the secrets to this file (dotenv, for `gh secret set --env-file`) instead of printing the token. */
  secretsFile?: string;
}

/** A problem the helper explains itself (bad input, a file it may not write). */
class HelperError extends Error {}

/** The code exchange's answer (oauth2/token, authorization_code grant). */
interface TokenGrant {
  access_token: string;
  refresh_token?: string;
  scope?: string;
  account_id?: string;
  team_id?: string;
}

/** Keys, secrets and codes are URL-safe runs; the SDK puts them in URLs unescaped, so nothing else may pass. */
function checkShape(what: string, value: string): string {
  if (value === '') throw new HelperError(`The ${what} is empty.`);
  if (!/^[A-Za-z0-9._~-]+$/.test(value)) {
    throw new HelperError(
      `The ${what} has a space or a character Dropbox never uses in one: paste just the ${what}, as one line.`,
    );
  }
  return value;
}

function explained(error: unknown, context: ExplainContext): HelperError {
  const explanation = explainDropboxError(error, context);
  return new HelperError(`${explanation.title}\n${explanation.message}`);
}

async function exchangeCode(auth: DropboxAuth, code: string): Promise<TokenGrant> {
  try {
    // Not retried: an access code works once, so a second try after a lost answer could only fail.
    const response = (await auth.getAccessTokenFromCode('', code)) as { result: TokenGrant };
    return response.result;
  } catch (error) {
    throw explained(error, { grant: 'authorization_code' });
  }
}

function accountFacts(account: users.FullAccount): AccountFacts {
  const facts: AccountFacts = {
    displayName: account.name.display_name,
    email: account.email,
    accountType: `${account.account_type['.tag']} account`,
  };
  if (account.team) facts.teamName = account.team.name;
  const root = account.root_info as { '.tag'?: string; root_namespace_id: string; home_path?: string };
  if (root['.tag'] === 'team' && root.home_path !== undefined) {
    facts.teamSpace = { rootNamespaceId: root.root_namespace_id, homePath: root.home_path };
  }
  return facts;
}

async function currentAccount(accessToken: string): Promise<users.FullAccount> {
  const api = new DropboxApi(
    new TokenSource({ kind: 'access-token', accessToken }, { mask: () => undefined }),
    {
      maxAttempts: 3,
    },
  );
  try {
    const response = await api.call('check the token', (context) =>
      api.sdk.usersGetCurrentAccount({ signal: context.signal }),
    );
    return response.result;
  } catch (error) {
    throw explained(error, { action: 'account-lookup' });
  }
}

export async function runAuthorize(io: AuthorizeIo, options: AuthorizeOptions = {}): Promise<number> {
  try {
    await authorize(io, options);
    return 0;
  } catch (error) {
    if (error instanceof HelperError || error instanceof InputEnded) {
      io.printError('');
      for (const line of error.message.split('\n')) io.printError(line);
      return 1;
    }
    throw error;
  } finally {
    io.prompter.close();
  }
}

async function authorize(io: AuthorizeIo, options: AuthorizeOptions): Promise<void> {
  const { prompter, print } = io;
  print('Get a Dropbox refresh token for the Dropbox Upload action.');
  print("You need the app's key (and secret) from its Settings tab: https://www.dropbox.com/developers/apps");
  print();
  const appKey = checkShape('app key', (await prompter.ask('App key: ')).trim());
  const secretAnswer = (await prompter.askHidden('App secret (leave empty to use PKCE instead): ')).trim();
  const appSecret = secretAnswer === '' ? undefined : checkShape('app secret', secretAnswer);

  const auth = new DropboxAuth({
    clientId: appKey,
    ...(appSecret === undefined ? {} : { clientSecret: appSecret }),
    fetch: streamingFetch,
  });
  const usePkce = appSecret === undefined;
  const url = String(
    await auth.getAuthenticationUrl('', undefined, 'code', 'offline', undefined, 'none', usePkce),
  );
  print();
  print(
    '1. Open this URL in a browser, sign in as the Dropbox account the files should go to, and click Allow:',
  );
  print();
  print(`   ${url}`);
  print();
  if (usePkce) print('   (No secret: the code is bound to this session with PKCE, so finish here.)');
  const code = checkShape(
    'access code',
    (await prompter.ask('2. Paste the access code Dropbox shows: ')).trim(),
  );
  prompter.close();
  print();
  print();

  const grant = await exchangeCode(auth, code);
  const refreshToken = grant.refresh_token;
  if (refreshToken === undefined) {
    throw new HelperError(
      'Dropbox answered without a refresh token. Run the helper again; if it happens again, the app may be a ' +
        'legacy app that cannot issue refresh tokens: create a new scoped app.',
    );
  }
  const scopes = (grant.scope ?? '').split(' ').filter(Boolean);
  print();
  print('Dropbox issued a refresh token. Checking it…');
  print();

  let selectUser: string | undefined;
  if (grant.team_id !== undefined) {
    selectUser = 'dbmid:<member id>';
    print(
      'Team app:     this app is linked to a whole team, so the action must act as one member: set ' +
        '"select-user" to that member\'s team member id (dbmid:…). A team admin finds it with the ' +
        'team/members/list API.',
    );
  } else {
    const account = await currentAccount(grant.access_token);
    for (const line of accountLines(accountFacts(account))) print(line);
    const finding: AccessTypeFinding = await probeAccessType(
      grant.access_token,
      account.root_info.home_namespace_id,
    );
    print(`Access type:  ${accessTypeText(finding)}`);
  }
  print(`Scopes:       ${scopes.length > 0 ? scopes.join(' ') : '(none reported)'}`);
  for (const notice of scopeNotices(scopes))
    print(`${notice.level === 'warning' ? 'WARNING' : 'Note'}: ${notice.text}`);
  print();

  const withSecret = appSecret !== undefined;
  if (options.secretsFile !== undefined) {
    try {
      writeFileSync(
        options.secretsFile,
        envFileText({ refreshToken, appKey, ...(appSecret === undefined ? {} : { appSecret }) }),
        { mode: 0o600, flag: 'wx' },
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new HelperError(
        code === 'EEXIST'
          ? `${options.secretsFile} already exists; give --secrets-file a new file name (it is not overwritten).`
          : `Could not write ${options.secretsFile} (${typeof code === 'string' ? code : 'error'}).`,
      );
    }
    print(
      `Wrote the ${withSecret ? 'three' : 'two'} secrets to ${options.secretsFile} (readable only by you).`,
    );
    print('Add them to your repository (in a clone of it, with the GitHub CLI), then delete the file:');
    print();
    print(`  gh secret set --env-file ${options.secretsFile}`);
  } else {
    print(
      `Add the ${withSecret ? 'three' : 'two'} repository secrets (in a clone of your repository, with the GitHub CLI). ` +
        'This is the only time the refresh token is shown:',
    );
    print();
    for (const line of secretCommands({ refreshToken, appKey, withSecret })) print(line);
  }
  print();
  if (!withSecret) print('The token came from PKCE: leave "app-secret" out of the step.');
  print('Then add the step to a workflow:');
  print();
  for (const line of stepLines({ withSecret, ...(selectUser === undefined ? {} : { selectUser }) }))
    print(line);
}
