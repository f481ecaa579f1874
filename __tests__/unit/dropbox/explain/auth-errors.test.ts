import { describe, expect, test } from '@jest/globals';
import {
  ACCESS_RULES,
  accessDenied,
  AUTH_RULES,
  explainTextBody,
  invalidToken,
  PATH_ROOT_RULES,
} from '../../../../src/dropbox/explain/auth-errors.ts';
import { explainByRules } from '../../../../src/dropbox/explain/route-errors.ts';
import { titles } from '../../../../src/dropbox/explain/titles.ts';

describe('401, 403 and 422 rows', () => {
  test.each([
    [AUTH_RULES, 401, ['expired_access_token'], titles.accessTokenExpired],
    [AUTH_RULES, 401, ['missing_scope'], titles.missingScope],
    [AUTH_RULES, 401, ['user_suspended'], titles.accountSuspended],
    [AUTH_RULES, 401, ['invalid_select_admin'], titles.teamMemberInvalid],
    [AUTH_RULES, 401, ['route_access_denied'], titles.routeAccessDenied],
    [ACCESS_RULES, 403, ['invalid_account_type', 'endpoint'], titles.accountTypeNotSupported],
    [PATH_ROOT_RULES, 422, ['invalid_root'], titles.rootNamespaceChanged],
    [PATH_ROOT_RULES, 422, ['no_permission'], titles.namespaceNotAccessible],
  ] as const)('%#: HTTP %i %j → %s', (rules, status, tags, title) => {
    const explanation = explainByRules(rules, { status, tags: [...tags], body: {} }, {});
    expect(explanation).toMatchObject({ title, scope: 'credentials' });
  });

  test('the missing scope is named when it is identifier-like, and only then', () => {
    const named = explainByRules(
      AUTH_RULES,
      { status: 401, tags: ['missing_scope'], body: { required_scope: 'files.content.read' } },
      {},
    );
    expect(named?.message).toContain('the "files.content.read" permission');
    const odd = explainByRules(
      AUTH_RULES,
      { status: 401, tags: ['missing_scope'], body: { required_scope: 'x y <b>' } },
      {},
    );
    expect(odd?.message).toContain('a permission (scope)');
  });

  test('a 401 no row names is an invalid token; a 403 no row names is an access denial', () => {
    expect(invalidToken({ status: 401, tags: ['invalid_access_token'], body: {} }).title).toBe(
      titles.accessTokenInvalid,
    );
    expect(accessDenied({ status: 403, tags: [], body: {} }).message).toMatch(
      /^Dropbox denied access \(HTTP 403\)/,
    );
  });
});

describe('plain-text 400s, classified by their words', () => {
  test.each([
    [
      'Error in call to API function "files/upload": The given OAuth 2 access token is malformed.',
      titles.accessTokenInvalid,
    ],
    [
      'This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team.',
      titles.teamTokenNeedsMember,
    ],
    [
      'Error in call to API function "files/upload": request body: path: \'x\' did not match pattern',
      titles.malformedPath,
    ],
  ])('%s → %s', (text, title) => {
    expect(explainTextBody(text, 400, { dropboxPath: '/d/x' })?.title).toBe(title);
  });

  test('other text is left to the generic explanation', () => {
    expect(explainTextBody('something else', 400, {})).toBeUndefined();
  });
});
