import { randomInt } from 'node:crypto';
import type { JsonObject } from './errors.ts';
import { randomToken } from './metadata.ts';

/**
 * A Dropbox Business team with a team space: the account is a member whose own folder (the home
 * namespace) is mounted at `homePath` inside the team's root namespace, next to a team folder with
 * its own namespace. The store holds the root namespace; the member's and the folder's namespaces are
 * views of it (namespaces.ts). Docs §7.
 */
export interface TeamSpace {
  teamId: string;
  teamName: string;
  /** `dbmid:…`, what a team token selects with Dropbox-API-Select-User. */
  memberId: string;
  memberName: string;
  rootNamespaceId: string;
  homeNamespaceId: string;
  /** Where the member's folder sits in the team space, e.g. `/Fake Member`. */
  homePath: string;
  teamFolderName: string;
  teamFolderNamespaceId: string;
}

export interface TeamOptions {
  teamName?: string;
  memberName?: string;
  teamFolderName?: string;
}

export function namespaceId(): string {
  return String(randomInt(1_000_000_000, 9_999_999_999));
}

export function createTeamSpace(
  options: TeamOptions,
  ids: { teamId: string; rootNamespaceId: string },
): TeamSpace {
  const memberName = options.memberName ?? 'Fake Member';
  return {
    teamId: ids.teamId,
    teamName: options.teamName ?? 'Fake Team',
    memberId: `dbmid:AA${randomToken(30)}`,
    memberName,
    rootNamespaceId: ids.rootNamespaceId,
    homeNamespaceId: namespaceId(),
    homePath: `/${memberName}`,
    teamFolderName: options.teamFolderName ?? 'Team Folder',
    teamFolderNamespaceId: namespaceId(),
  };
}

/** FullAccount.root_info: `user` for a personal account (one namespace), `team` for a team member. */
export function rootInfo(team: TeamSpace | undefined, personalNamespaceId: string): JsonObject {
  if (team === undefined) {
    return {
      '.tag': 'user',
      root_namespace_id: personalNamespaceId,
      home_namespace_id: personalNamespaceId,
      home_path: '',
    };
  }
  return {
    '.tag': 'team',
    root_namespace_id: team.rootNamespaceId,
    home_namespace_id: team.homeNamespaceId,
    home_path: team.homePath,
  };
}

/** The plain-text 400 a team token gets on a user route without Dropbox-API-Select-User (docs §7, verbatim). */
export function teamTokenText(): string {
  return (
    'This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is ' +
    'for an entire Dropbox Business team.  Since your API app key has team member file access permissions, ' +
    'you can operate on a team member\'s Dropbox by providing the "Dropbox-API-Select-User" HTTP header or ' +
    '"select_user" URL parameter to specify the exact user <https://www.dropbox.com/developers/documentation/http/teams>.'
  );
}
