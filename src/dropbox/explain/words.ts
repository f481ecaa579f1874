/** What every explanation says the same way: where to fix things, which file, and the three scopes. */
import type { Explanation, IfExists } from '../../model.ts';
import type { ExplanationTitle } from './titles.ts';

export const README_CREDENTIALS = `See the README's "Credentials" section.`;
export const APP_CONSOLE = 'the Dropbox App Console (https://www.dropbox.com/developers/apps)';
export const STATUS_PAGE = 'https://status.dropbox.com';

export interface ExplainContext {
  /** The Dropbox path being written, for file-scope messages. */
  dropboxPath?: string;
  /** The if-exists mode in force, to explain a conflict in its terms. */
  ifExists?: IfExists;
  /**
   * The token request being made: refreshing an access token (the action, the default) or exchanging
   * an access code for tokens (`npm run authorize`), whose invalid_grant means the code, not a token.
   */
  grant?: 'refresh_token' | 'authorization_code';
  /**
   * What the failed request was doing, for messages that say so: uploading the file at `dropboxPath`
   * (the default), listing the folder at `dropboxPath`, making a shared link for the file at
   * `dropboxPath`, looking up the team space (`namespace: team`), downloading the file at `dropboxPath`,
   * or reading the account a new token belongs to (`npm run authorize`).
   */
  action?:
    'upload' | 'list' | 'share' | 'team-space-lookup' | 'download' | 'create-folder' | 'account-lookup';
}

export function quotePath(p: string): string {
  return `"${p}"`;
}

/** The file a message is about: its quoted Dropbox path, or "the file". */
export function where(context: ExplainContext): string {
  return context.dropboxPath === undefined ? 'the file' : quotePath(context.dropboxPath);
}

/** What the failed request was doing, as in "failed while …". */
export function doing(context: ExplainContext): string {
  switch (context.action) {
    case 'list':
      return `listing ${context.dropboxPath ? quotePath(context.dropboxPath) : 'the Dropbox folder'}`;
    case 'share':
      return `creating a shared link for ${where(context)}`;
    case 'team-space-lookup':
      return "looking up the account's team space";
    case 'account-lookup':
      return 'reading the account the new token belongs to';
    case 'download':
      return `downloading ${where(context)}`;
    case 'create-folder':
      return `creating the folder ${where(context)}`;
    default:
      return `uploading ${where(context)}`;
  }
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** This file failed; the others go on. */
export function file(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'file' };
}

/** The token or app is unusable: the whole run stops with one annotation. */
export function credentials(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'credentials' };
}

/** Nothing else can arrive either (a full Dropbox): the whole run stops with one annotation. */
export function run(title: ExplanationTitle, message: string): Explanation {
  return { title, message, scope: 'run' };
}
