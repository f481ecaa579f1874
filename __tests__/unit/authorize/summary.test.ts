/** The refresh-token helper's pure parts: what a probe answer means, and the text it prints. */
import { describe, expect, test } from '@jest/globals';
import {
  accessTypeText,
  accountLines,
  envFileText,
  scopeNotices,
  secretCommands,
  stepLines,
} from '../../../src/authorize/summary.ts';

describe('accessTypeText', () => {
  test('says where files land for each type', () => {
    expect(accessTypeText({ accessType: 'app_folder' })).toMatch(
      /^App folder\. .*\/Apps\/<app name>\/builds/,
    );
    expect(accessTypeText({ accessType: 'full_dropbox' })).toMatch(
      /^Full Dropbox\. .*"\/builds" is \/builds/,
    );
    expect(accessTypeText({ accessType: 'unknown', reason: 'why' })).toMatch(
      /^Could not tell \(why\)\. .*Settings tab/,
    );
  });
});

describe('scopeNotices', () => {
  test.each<[string[], string[]]>([
    [['files.content.write', 'files.metadata.read', 'sharing.write'], []],
    [['files.content.write', 'files.metadata.read'], ['note sharing.write']],
    [['files.metadata.read'], ['warning files.content.write', 'note sharing.write']],
    [[], ['warning files.content.write', 'note files.metadata.read', 'note sharing.write']],
  ])('granted %j', (granted, expected) => {
    const notices = scopeNotices(granted);
    expect(notices.map((notice) => `${notice.level} ${notice.text.split(' ')[0]}`)).toEqual(expected);
  });

  test('the warning says how to fix it', () => {
    expect(scopeNotices([])[0]?.text).toMatch(/Permissions tab.*run this helper again/);
  });
});

describe('what the helper prints', () => {
  test('gh secret set: the token and key as arguments, the secret asked for by gh', () => {
    expect(secretCommands({ refreshToken: 'tok', appKey: 'key', withSecret: true })).toEqual([
      "  gh secret set DROPBOX_REFRESH_TOKEN --body 'tok'",
      "  gh secret set DROPBOX_APP_KEY --body 'key'",
      '  gh secret set DROPBOX_APP_SECRET   # gh asks for the value: paste the app secret',
    ]);
    expect(secretCommands({ refreshToken: "a'b", appKey: 'key', withSecret: false })).toEqual([
      `  gh secret set DROPBOX_REFRESH_TOKEN --body 'a'\\''b'`,
      "  gh secret set DROPBOX_APP_KEY --body 'key'",
    ]);
  });

  test('the env file for gh secret set --env-file', () => {
    expect(envFileText({ refreshToken: 'tok', appKey: 'key', appSecret: 'sec' })).toBe(
      'DROPBOX_REFRESH_TOKEN=tok\nDROPBOX_APP_KEY=key\nDROPBOX_APP_SECRET=sec\n',
    );
    expect(envFileText({ refreshToken: 'tok', appKey: 'key' })).toBe(
      'DROPBOX_REFRESH_TOKEN=tok\nDROPBOX_APP_KEY=key\n',
    );
  });

  test('the step uses the published action', () => {
    expect(stepLines({ withSecret: true })[0]).toBe('  - uses: transferkit/dropbox-action@v1');
  });

  test('the step: app-secret only with a secret, select-user for a team app', () => {
    expect(stepLines({ withSecret: true }).join('\n')).toContain(
      'app-secret: ${{ secrets.DROPBOX_APP_SECRET }}',
    );
    expect(stepLines({ withSecret: false }).join('\n')).not.toContain('app-secret');
    expect(stepLines({ withSecret: false, selectUser: 'dbmid:x' })).toContain('      select-user: dbmid:x');
  });

  test('the account, and the team space with "namespace: team"', () => {
    expect(
      accountLines({ displayName: 'Ada', email: 'ada@example.com', accountType: 'basic account' }),
    ).toEqual(['Account:      Ada <ada@example.com> (basic account)']);
    const team = accountLines({
      displayName: 'Ada',
      email: 'ada@example.com',
      accountType: 'business account',
      teamName: 'Acme',
      teamSpace: { rootNamespaceId: '42', homePath: '/Ada' },
    });
    expect(team[1]).toBe('Team:         Acme');
    expect(team[2]).toMatch(/\/Ada.*"namespace: team".*namespace 42/);
  });
});
