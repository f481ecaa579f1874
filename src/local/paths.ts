/**
 * Local paths as every stage names them: inside a folder or not, relative to the workspace, and sorted
 * the same on every runner. Pure: the path module is a parameter, so Windows rules are tested on any OS.
 */
import path from 'node:path';

export type PathApi = typeof path.posix | typeof path.win32;

/** `localPath` relative to `root` with `/` separators, or undefined when it is not strictly inside `root`. */
export function pathInside(root: string, localPath: string, pathApi: PathApi = path): string | undefined {
  const relative = pathApi.relative(root, localPath);
  const outside =
    relative === '' ||
    relative === '..' ||
    relative.startsWith('..' + pathApi.sep) ||
    pathApi.isAbsolute(relative);
  return outside ? undefined : relative.split(pathApi.sep).join('/');
}

/** The local path relative to the workspace with `/` separators; the absolute path when outside it. */
export function workspacePath(localPath: string, workspace: string, pathApi: PathApi = path): string {
  return pathInside(workspace, localPath, pathApi) ?? localPath.split(pathApi.sep).join('/');
}

/** Code-point order, so the order does not depend on UTF-16 surrogates or the runner's locale. */
export function compareCodePoints(a: string, b: string): number {
  const aPoints = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const bPoints = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const length = Math.min(aPoints.length, bPoints.length);
  for (let i = 0; i < length; i++) {
    const difference = (aPoints[i] ?? 0) - (bPoints[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return aPoints.length - bPoints.length;
}
