/**
 * Decides where each matched local file goes in Dropbox. Pure: the path module is a parameter,
 * so the Windows layout is tested on any OS.
 *
 * The layout follows actions/upload-artifact: files keep their paths relative to the upload root,
 * which is the common folder of the glob search paths.
 */
import path from 'node:path';
import { compareCodePoints, pathInside, workspacePath, type PathApi } from '../local/paths.ts';
import type { MappedPath, PlannedFile, UploadPlan } from '../model.ts';

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

function sameSegment(a: string, b: string, pathApi: PathApi): boolean {
  // Windows file systems ignore letter case; posix ones do not.
  return pathApi === path.win32 ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Splits a normalised absolute path into segments; the first is the root without its separator. */
function segmentsOf(p: string, pathApi: PathApi): string[] {
  const normalised = pathApi.normalize(p);
  const root = pathApi.parse(normalised).root;
  const rest = normalised.slice(root.length).split(pathApi.sep);
  return [root, ...rest.filter((segment) => segment !== '')];
}

/**
 * The deepest folder that contains every path, compared segment by segment (like upload-artifact's
 * getMultiPathLCA). The casing of the first path is kept.
 */
export function leastCommonAncestor(paths: string[], pathApi: PathApi): string {
  const [first, ...others] = paths.map((p) => segmentsOf(p, pathApi));
  if (first === undefined) throw new PlanError('No search paths to find a common folder of.');
  let commonLength = first.length;
  for (const segments of others) {
    let i = 0;
    while (
      i < commonLength &&
      i < segments.length &&
      sameSegment(first[i] ?? '', segments[i] ?? '', pathApi)
    ) {
      i++;
    }
    commonLength = i;
  }
  if (commonLength === 0) {
    // Only possible on Windows: different drives (C:\ and D:\) share no folder.
    throw new PlanError(
      `The search paths share no common folder (${paths.map((p) => `"${p}"`).join(', ')}); ` +
        'upload files from one drive per step.',
    );
  }
  const [root = '', ...rest] = first.slice(0, commonLength);
  return root + rest.join(pathApi.sep);
}

/**
 * The folder that matched files are made relative to: the common folder of several search paths;
 * with one search path, that path, or its folder when the only match is the search path itself
 * (a pattern naming one file).
 */
export function uploadRoot(searchPaths: string[], files: string[], pathApi: PathApi): string {
  const [only, ...more] = searchPaths;
  if (only === undefined) throw new PlanError('No search paths: the path input matched nothing to search.');
  if (more.length > 0) return leastCommonAncestor(searchPaths, pathApi);
  const [onlyFile, ...moreFiles] = files;
  const searchPath = pathApi.normalize(only);
  if (
    onlyFile !== undefined &&
    moreFiles.length === 0 &&
    sameSegment(pathApi.normalize(onlyFile), searchPath, pathApi)
  ) {
    return pathApi.dirname(searchPath);
  }
  return searchPath;
}

/** Joins a Dropbox folder (`''`, `/` or `/a/b`) and a `/`-separated relative path. */
export function dropboxJoin(folder: string, relative: string): string {
  const base = folder.replace(/\/+$/, '');
  const tail = relative.replace(/^\/+/, '');
  if (tail === '') return base === '' ? '/' : base;
  return `${base}/${tail}`;
}

function relativeToRoot(root: string, localPath: string, pathApi: PathApi): string {
  const relative = pathInside(root, localPath, pathApi);
  if (relative === undefined) throw new PlanError(`"${localPath}" is not inside the upload root "${root}".`);
  return relative;
}

/** Every folder above each `/`-separated relative path: `a/b/c.txt` → `a`, `a/b`. */
function foldersAbove(relativePaths: readonly string[]): Set<string> {
  const above = new Set<string>();
  for (const relative of relativePaths) {
    const segments = relative.split('/');
    for (let end = 1; end < segments.length; end += 1) above.add(segments.slice(0, end).join('/'));
  }
  return above;
}

/**
 * The folders under the root that hold nothing the upload sends and no other such folder: creating them
 * in Dropbox (their parents come along) gives back the tree's empty folders.
 */
function emptyFolders(
  root: string,
  folders: readonly string[],
  files: readonly string[],
  pathApi: PathApi,
): string[] {
  const inside = [...new Set(folders.map((folder) => pathInside(root, folder, pathApi)))].filter(
    (relative): relative is string => relative !== undefined,
  );
  const holding = foldersAbove(files);
  const aboveOthers = foldersAbove(inside);
  return inside.filter((relative) => !holding.has(relative) && !aboveOthers.has(relative));
}

export function planUploads(args: {
  files: { localPath: string; size: number; modifiedMs?: number }[];
  /** Folders the patterns matched; the empty ones under the upload root are planned. */
  folders?: readonly string[];
  searchPaths: string[];
  /** Normalised destination: `''` for the root, otherwise `/a/b`. */
  destination: string;
  /** Local paths are shown relative to this folder (GITHUB_WORKSPACE, or the current folder). */
  workspace: string;
  pathApi?: PathApi;
}): UploadPlan {
  const pathApi = args.pathApi ?? path;
  const destination = args.destination === '' ? '/' : args.destination;

  // The same file matched twice (e.g. by two patterns) is uploaded once.
  const byLocalPath = new Map<string, { localPath: string; size: number; modifiedMs?: number }>();
  for (const file of args.files) {
    if (!byLocalPath.has(file.localPath)) byLocalPath.set(file.localPath, file);
  }
  const files = [...byLocalPath.values()];

  // A single file goes straight into the destination, under its own name (and so nothing else does).
  const root =
    files.length < 2
      ? undefined
      : uploadRoot(
          args.searchPaths,
          files.map((f) => f.localPath),
          pathApi,
        );
  const relativePaths =
    root === undefined
      ? files.map((file) => pathApi.basename(file.localPath))
      : files.map((file) => relativeToRoot(root, file.localPath, pathApi));
  const folders = root === undefined ? [] : emptyFolders(root, args.folders ?? [], relativePaths, pathApi);
  const mapped = (localPath: string, relativePath: string): MappedPath => ({
    localPath,
    shownPath: workspacePath(localPath, args.workspace, pathApi),
    relativePath,
    dropboxPath: dropboxJoin(args.destination, relativePath),
  });

  const planned: PlannedFile[] = files.map((file, i) => ({
    ...mapped(file.localPath, relativePaths[i] ?? ''),
    size: file.size,
    ...(file.modifiedMs === undefined ? {} : { modifiedMs: file.modifiedMs }),
  }));
  planned.sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
  checkCollisions(planned);
  const plannedFolders = folders
    .map((relative) => mapped(pathApi.join(root ?? '', ...relative.split('/')), relative))
    .sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
  return { destination, files: planned, folders: plannedFolders };
}

/** Dropbox paths ignore letter case, so `README.md` and `readme.md` would overwrite each other. */
function checkCollisions(files: PlannedFile[]): void {
  const byPath = new Map<string, PlannedFile>();
  for (const file of files) {
    const key = file.dropboxPath.toLowerCase();
    const other = byPath.get(key);
    if (other !== undefined) {
      throw new PlanError(
        `"${other.localPath}" and "${file.localPath}" would both upload to the Dropbox path "${file.dropboxPath}" ` +
          '(Dropbox paths ignore letter case). Rename one of them, or leave one out with a "!" pattern in "path".',
      );
    }
    byPath.set(key, file);
  }
  // A file whose Dropbox path is also a folder another file needs (e.g. "A" next to "a/b.txt").
  for (const file of files) {
    const segments = file.dropboxPath.toLowerCase().split('/');
    for (let end = segments.length - 1; end > 1; end--) {
      const blocking = byPath.get(segments.slice(0, end).join('/'));
      if (blocking !== undefined) {
        throw new PlanError(
          `"${blocking.localPath}" would upload to the Dropbox path "${blocking.dropboxPath}", which must be a ` +
            `folder to hold "${file.dropboxPath}" from "${file.localPath}" (Dropbox paths ignore letter case). ` +
            'Rename one of them, or leave one out with a "!" pattern in "path".',
        );
      }
    }
  }
}
