/** Dropbox folder paths as the backup phases name them: `''` is the root. */

export function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export function display(path: string): string {
  return path === '' ? '/' : path;
}
