/**
 * Failures of the token, the app or the account (401, 403, 422, and 400s Dropbox words in plain text),
 * as data: each row classifies a failure by its tags and says what is wrong and how to fix it.
 */
import type { Explanation } from '../../model.ts';
import { findField } from '../error-body.ts';
import { safeIdentifier } from '../redact.ts';
import { type ExplanationRule, type Failure } from './route-errors.ts';
import { titles } from './titles.ts';
import {
  APP_CONSOLE,
  credentials,
  doing,
  type ExplainContext,
  file,
  README_CREDENTIALS,
  where,
} from './words.ts';

/** 401 AuthError, by tag; a 401 no row names is an invalid token. */
export const AUTH_RULES: readonly ExplanationRule[] = [
  {
    tags: ['expired_access_token'],
    title: titles.accessTokenExpired,
    scope: 'credentials',
    message: () =>
      'Dropbox says the access token has expired. Short-lived access tokens (the ones starting with "sl.") ' +
      'stop working 4 hours after they are created, so one stored in a secret fails on later runs. Use a ' +
      'refresh token instead: set "refresh-token", "app-key" and "app-secret", and the action gets a fresh ' +
      `access token on every run. ${README_CREDENTIALS}`,
  },
  {
    tags: ['missing_scope'],
    title: titles.missingScope,
    scope: 'credentials',
    message: (_at, failure) => {
      const scope = safeIdentifier(findField(failure.body, 'required_scope'));
      const named = scope === undefined ? 'a permission (scope)' : `the "${scope}" permission (scope)`;
      return (
        `The Dropbox app behind the token lacks ${named} that this run needs. In ${APP_CONSOLE}, open the ` +
        `app, tick ${scope === undefined ? 'the missing scope' : `"${scope}"`} on its Permissions tab and ` +
        'click Submit. Then get a NEW token: existing access and refresh tokens keep the scopes they were ' +
        'issued with, so generate a new access token, or authorize the app again to get a new refresh ' +
        `token, and update the secret. ${README_CREDENTIALS}`
      );
    },
  },
  {
    tags: ['user_suspended'],
    title: titles.accountSuspended,
    scope: 'credentials',
    message: () =>
      'The Dropbox account the token belongs to is suspended (user_suspended). Sign in at dropbox.com to ' +
      'see why (or ask the team admin to restore the member), or use a token of another account.',
  },
  {
    tags: ['invalid_select_user', 'invalid_select_admin'],
    title: titles.teamMemberInvalid,
    scope: 'credentials',
    message: () =>
      'The team member the token acts as is not valid (invalid_select_user): the member may have left the ' +
      'team or been suspended. Use a token authorized by a current member of the team.',
  },
  {
    tags: ['route_access_denied'],
    title: titles.routeAccessDenied,
    scope: 'credentials',
    message: (_at, _failure, context) =>
      `Dropbox does not let this app and token use the endpoint for ${doing(context)} (route_access_denied). ` +
      `Check the app's access type and Permissions tab in ${APP_CONSOLE}, then generate a new token. ` +
      README_CREDENTIALS,
  },
];

export function invalidToken(failure: Failure): Explanation {
  const tag = failure.tags[0] === undefined ? '' : `, ${failure.tags[0]}`;
  return credentials(
    titles.accessTokenInvalid,
    `Dropbox does not accept the access token (HTTP 401${tag}): it was revoked, copied wrongly, or belongs ` +
      `to another app. Generate a new one in ${APP_CONSOLE} (your app → Settings → Generated access token), ` +
      'update the secret, and check it was copied whole, without spaces or line breaks. Better: use ' +
      `"refresh-token" with "app-key" and "app-secret". ${README_CREDENTIALS}`,
  );
}

/** 403 AccessError; one no row names is a plain access denial. */
export const ACCESS_RULES: readonly ExplanationRule[] = [
  {
    tags: ['invalid_account_type'],
    title: titles.accountTypeNotSupported,
    scope: 'credentials',
    message: (_at, failure) =>
      `Dropbox refused the request because the account's plan does not allow it (${failure.tags.join('/')}). ` +
      'Use a token of an account or team whose plan includes this feature.',
  },
];

export function accessDenied(failure: Failure): Explanation {
  const tags = failure.tags.length > 0 ? `, ${failure.tags.join('/')}` : '';
  return credentials(
    titles.accessDenied,
    `Dropbox denied access (HTTP 403${tags}): this account or app may not be used this way. Check that the ` +
      `token belongs to the intended account and that the app has the right access type in ${APP_CONSOLE}, ` +
      `then generate a new token. ${README_CREDENTIALS}`,
  );
}

/** 422 PathRootError: the `namespace` input (Dropbox-API-Path-Root) names a root the account cannot use. */
export const PATH_ROOT_RULES: readonly ExplanationRule[] = [
  {
    tags: ['invalid_root'],
    title: titles.rootNamespaceChanged,
    scope: 'credentials',
    message: (_at, failure) => {
      const root = findField(failure.body, 'root_namespace_id');
      const now = typeof root === 'string' && /^[0-9]+$/.test(root) ? ` (it is now ${root})` : '';
      return (
        `Dropbox refused the team space root the action asked for (invalid_root): the account's root ` +
        `namespace changed${now}, for example because the team moved to a team space while the job ran. ` +
        'Re-run the job: "namespace: team" looks the root up afresh on every run.'
      );
    },
  },
  {
    tags: ['no_permission'],
    title: titles.namespaceNotAccessible,
    scope: 'credentials',
    message: () =>
      'Dropbox does not let this account use the namespace the "namespace" input names (no_permission). ' +
      'Use "team" for the team space root, "home" for your own folder, or the id of a namespace (such as ' +
      'a team folder) that the account, or the member in "select-user", belongs to. An App-folder app ' +
      'cannot leave its folder: leave "namespace" at home for it.',
  },
];

/**
 * Dropbox answers some 400s in plain text; those may quote the Authorization header, so only summarise.
 * The rows classify by phrases of that text, not tags.
 */
const TEXT_RULES: readonly {
  phrase: RegExp;
  explain: (status: number, context: ExplainContext) => Explanation;
}[] = [
  {
    phrase: /access token is malformed|Invalid authorization value|Must provide HTTP header "Authorization"/,
    explain: (status) =>
      credentials(
        titles.accessTokenInvalid,
        `Dropbox could not read the access token (HTTP ${status}: the token is malformed or the Authorization ` +
          'header is invalid). The secret was most likely not copied whole, or contains extra characters. ' +
          `Generate a new access token in ${APP_CONSOLE} (your app → Settings → Generated access token), ` +
          'paste it as one line without spaces or quotes, or better, use "refresh-token" with "app-key" and ' +
          `"app-secret". ${README_CREDENTIALS}`,
      ),
  },
  {
    phrase: /entire Dropbox Business team/,
    explain: () =>
      credentials(
        titles.teamTokenNeedsMember,
        'The token belongs to a whole Dropbox team (a team-linked app), but files are read and written in one ' +
          'member\'s Dropbox, which Dropbox selects with the Dropbox-API-Select-User header. Set "select-user" ' +
          'to the team member id (dbmid:…) of the member whose Dropbox the run works in (a team admin finds ' +
          'it with the team/members/list API); add "namespace: team" to reach the team folders. Or use a ' +
          'token of a user-linked app instead, authorized while signed in as that member. ' +
          `See the README's "Team spaces" section.`,
      ),
  },
  {
    phrase: /did not match pattern|request body: (path|commit)/,
    explain: (status, context) =>
      file(
        titles.malformedPath,
        `Dropbox does not accept the path ${where(context)} (HTTP ${status}). Check the "destination" input ` +
          'and the file name for characters Dropbox refuses, rename the file or change "destination", and ' +
          're-run the job.',
      ),
  },
];

export function explainTextBody(
  text: string,
  status: number,
  context: ExplainContext,
): Explanation | undefined {
  return TEXT_RULES.find((rule) => rule.phrase.test(text))?.explain(status, context);
}
