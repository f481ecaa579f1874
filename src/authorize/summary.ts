/** What the helper prints once it has a token: pure text builders, so each is tested on its own. */
import { actionReference } from '../report/project.ts';
import type { AccessTypeFinding } from './access-type.ts';

/** The scopes the action uses, and what lacking each one means. */
const SCOPE_NEEDS: readonly { scope: string; level: 'warning' | 'note'; without: string }[] = [
  {
    scope: 'files.content.write',
    level: 'warning',
    without: 'the action cannot upload with this token',
  },
  {
    scope: 'files.metadata.read',
    level: 'note',
    without:
      'the action cannot verify a commit whose answer was lost, use if-exists: skip on big files, or skip unchanged files',
  },
  { scope: 'sharing.write', level: 'note', without: 'needed only for shared-links: true' },
];

export interface Notice {
  level: 'warning' | 'note';
  text: string;
}

/** The granted scopes (the code exchange's `scope`, space-separated) checked against what the action uses. */
export function scopeNotices(granted: readonly string[]): Notice[] {
  const notices: Notice[] = [];
  for (const need of SCOPE_NEEDS) {
    if (granted.includes(need.scope)) continue;
    const fix =
      need.level === 'warning'
        ? " Tick it on the app's Permissions tab in the App Console, click Submit, and run this helper again: a token keeps the scopes it was issued with."
        : '';
    notices.push({ level: need.level, text: `${need.scope} was not granted: ${need.without}.${fix}` });
  }
  return notices;
}

/** Where files land, in the words of the `destination` input. */
export function accessTypeText(finding: AccessTypeFinding): string {
  switch (finding.accessType) {
    case 'app_folder':
      return (
        "App folder. The app sees only its own folder, /Apps/<app name> in your Dropbox: the action's " +
        '"destination: /" is that folder, and "/builds" lands in /Apps/<app name>/builds.'
      );
    case 'full_dropbox':
      return 'Full Dropbox. "destination" is a path from the root of your Dropbox: "/builds" is /builds.';
    case 'unknown':
      return (
        `Could not tell (${finding.reason ?? 'no answer'}). The app's Settings tab in the App Console shows ` +
        'it under "Permission type" (App folder, or Full Dropbox).'
      );
  }
}

export interface AccountFacts {
  displayName: string;
  email: string;
  accountType: string;
  teamName?: string;
  /** A team member's root info, when the account is in a team space. */
  teamSpace?: { rootNamespaceId: string; homePath: string };
}

export function accountLines(account: AccountFacts): string[] {
  const lines = [`Account:      ${account.displayName} <${account.email}> (${account.accountType})`];
  if (account.teamName !== undefined) lines.push(`Team:         ${account.teamName}`);
  if (account.teamSpace !== undefined) {
    lines.push(
      `Team space:   your own folder is ${account.teamSpace.homePath}; to upload into team folders, add ` +
        `"namespace: team" to the step (paths then start at the team space root, namespace ${account.teamSpace.rootNamespaceId}).`,
    );
  }
  return lines;
}

/** POSIX-shell single quoting; tokens and keys are URL-safe, so this never needs an escape in practice. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `gh secret set` commands, with the refresh token in them: the only place it is ever printed. */
export function secretCommands(values: {
  refreshToken: string;
  appKey: string;
  withSecret: boolean;
}): string[] {
  const lines = [
    `  gh secret set DROPBOX_REFRESH_TOKEN --body ${shellQuote(values.refreshToken)}`,
    `  gh secret set DROPBOX_APP_KEY --body ${shellQuote(values.appKey)}`,
  ];
  if (values.withSecret)
    lines.push('  gh secret set DROPBOX_APP_SECRET   # gh asks for the value: paste the app secret');
  return lines;
}

/** The env file `gh secret set --env-file` reads (dotenv). */
export function envFileText(values: { refreshToken: string; appKey: string; appSecret?: string }): string {
  const lines = [`DROPBOX_REFRESH_TOKEN=${values.refreshToken}`, `DROPBOX_APP_KEY=${values.appKey}`];
  if (values.appSecret !== undefined) lines.push(`DROPBOX_APP_SECRET=${values.appSecret}`);
  return `${lines.join('\n')}\n`;
}

export function stepLines(values: { withSecret: boolean; selectUser?: string }): string[] {
  const lines = [
    `  - uses: ${actionReference}`,
    '    with:',
    '      path: dist/**',
    '      destination: /builds',
    '      refresh-token: ${{ secrets.DROPBOX_REFRESH_TOKEN }}',
    '      app-key: ${{ secrets.DROPBOX_APP_KEY }}',
  ];
  if (values.withSecret) lines.push('      app-secret: ${{ secrets.DROPBOX_APP_SECRET }}');
  if (values.selectUser !== undefined) lines.push(`      select-user: ${values.selectUser}`);
  return lines;
}
