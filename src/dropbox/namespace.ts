/**
 * Which Dropbox namespace the run's paths start in (the `namespace` input), and the SDK client that
 * sends the matching `Dropbox-API-Path-Root` (and `Dropbox-API-Select-User`) on every request.
 *
 * `home` sends no header: paths start in the account's own folder, as without this feature.
 * `team` asks `users/get_current_account` for `root_info.root_namespace_id` once per run and roots
 * paths there, where a team space keeps its team folders. A namespace id is sent as it is.
 */
import { DropboxApi, type DropboxApiOptions } from './client.ts';
import type { TokenSource } from './credentials.ts';
import { explainDropboxError } from './explain/explain.ts';
import type { Explanation, NamespaceChoice } from '../model.ts';

/** The part of FullAccount.root_info the choice needs (TeamRootInfo has `home_path`; UserRootInfo not). */
export interface RootInfo {
  '.tag'?: string;
  root_namespace_id: string;
  home_namespace_id?: string;
  home_path?: string;
}

export interface PathRoot {
  /** The header value, a JSON PathRoot; undefined for no header (home). */
  header: string | undefined;
  /** What the log says about where paths start; undefined when nothing needs saying. */
  line: string | undefined;
  /** Said as a notice: `team` on an account that has no team space. */
  notice?: string;
}

/** Pure: the Path-Root for a choice. `team` needs the account's root info; the others do not. */
export function pathRootFor(choice: NamespaceChoice, rootInfo?: RootInfo): PathRoot {
  switch (choice.kind) {
    case 'home':
      return { header: undefined, line: undefined };
    case 'id':
      return {
        header: JSON.stringify({ '.tag': 'namespace_id', namespace_id: choice.id }),
        line: `Paths start in namespace ${choice.id}.`,
      };
    case 'team': {
      if (rootInfo === undefined) throw new Error('namespace "team" needs the account\'s root info');
      const header = JSON.stringify({ '.tag': 'root', root: rootInfo.root_namespace_id });
      if (rootInfo['.tag'] !== 'team' || rootInfo.root_namespace_id === rootInfo.home_namespace_id) {
        return {
          header,
          line: `Paths start at the root of this account's Dropbox (namespace ${rootInfo.root_namespace_id}).`,
          notice:
            '"namespace: team" was set, but this account has no team space: its files go to its own Dropbox, ' +
            'as with "namespace: home".',
        };
      }
      const home = rootInfo.home_path ? ` Your own folder there is ${rootInfo.home_path}.` : '';
      return {
        header,
        line: `Paths start at the root of the team space (namespace ${rootInfo.root_namespace_id}), where the team folders are.${home}`,
      };
    }
  }
}

export interface NamespaceSettings {
  namespace: NamespaceChoice;
  selectUser?: string;
}

export type Connection = { api: DropboxApi; pathRoot: PathRoot } | { failure: Explanation };

/**
 * The client for the run. For `team` it first reads the account's root info (one request, retried like
 * any other); a failure there (a bad token, a missing `account_info.read`, a team token without
 * `select-user`) comes back as the explanation that stops the run.
 */
export async function connectToNamespace(
  tokens: TokenSource,
  settings: NamespaceSettings,
  apiOptions: DropboxApiOptions,
): Promise<Connection> {
  const member = settings.selectUser === undefined ? {} : { selectUser: settings.selectUser };
  let rootInfo: RootInfo | undefined;
  if (settings.namespace.kind === 'team') {
    const lookup = new DropboxApi(tokens, { ...apiOptions, ...member });
    try {
      const account = await lookup.call('look up the team space', (context) =>
        lookup.sdk.usersGetCurrentAccount({ signal: context.signal }),
      );
      rootInfo = account.result.root_info;
    } catch (error) {
      return { failure: explainDropboxError(error, { action: 'team-space-lookup' }) };
    }
  }
  const pathRoot = pathRootFor(settings.namespace, rootInfo);
  const api = new DropboxApi(tokens, {
    ...apiOptions,
    ...member,
    ...(pathRoot.header === undefined ? {} : { pathRoot: pathRoot.header }),
  });
  return { api, pathRoot };
}
