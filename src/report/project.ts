/** Where the action is published: the one place src/ names its repository (package.json says the same). */

/** The GitHub repository, `owner/name`. */
export const repository = 'transferkit/dropbox-action';

/** The moving tag of the current major version, which users pin (see the README's versioning note). */
export const majorVersionTag = 'v1';

/** What a workflow step writes after `uses:` to run this action. */
export const actionReference = `${repository}@${majorVersionTag}`;
