/**
 * Decides where each file of a restore's listing goes locally, or why it cannot go there. Pure: the
 * listing, the target folder and the path module are parameters, so every case (Windows too) is a table
 * test. Which Dropbox entry the source means is backups/newest-backup.ts's question.
 */
import path from 'node:path';
import type { RemoteEntry } from '../dropbox/listing.ts';
import { compareCodePoints, pathInside, workspacePath, type PathApi } from '../local/paths.ts';
import type {
  PlannedDownload,
  PlannedFolder,
  RestorePlan,
  RestoreProblem,
  RestoreProblemReason,
} from '../model.ts';
import { isIncluded, type IncludeRule } from './include-patterns.ts';
import { collisionKey, localNameProblem } from './local-names.ts';

export interface RestorePlanInput {
  /** The Dropbox folder or file restored (`''` or `/` for the root, else `/a/b`). */
  source: string;
  sourceKind: 'file' | 'folder';
  /**
   * A folder source: its recursive listing (entries are placed by their depth below the source; the
   * source's own entry, if listed, is ignored). A file source: the file's own entry (from get_metadata).
   */
  entries: readonly RemoteEntry[];
  /** The absolute local folder files go into. */
  target: string;
  /** The `include` rules (parseIncludePatterns); none restores everything. */
  include?: readonly IncludeRule[];
  /** Local paths are shown relative to it (`shownPath`); by default, relative to the target. */
  workspace?: string;
  pathApi?: PathApi;
}

interface Mapped {
  entry: RemoteEntry;
  /** Local names, outermost first, in the case of Dropbox's names. */
  segments: string[];
  relativePath: string;
}

/**
 * Each entry's path relative to the source, named segment by segment from the listing's `name`s:
 * `path_display` may not have the right case for folders above an entry (only its last component is
 * sure to, files.stone `Metadata.path_display`), and a folder named once for all its files cannot come
 * out as two local folders that differ in case.
 */
function mapEntries(input: RestorePlanInput): Mapped[] {
  if (input.sourceKind === 'file') {
    return input.entries
      .filter((entry) => entry.kind === 'file')
      .slice(0, 1)
      .map((entry) => ({ entry, segments: [entry.name], relativePath: entry.name }));
  }
  // Segments of `/a/b` after the leading empty one: by depth, not by comparing lower-cased strings, so
  // that no case mapping of ours has to agree with Dropbox's `path_lower`.
  const sourceDepth = input.source === '' || input.source === '/' ? 0 : input.source.split('/').length - 1;
  const folderNames = new Map<string, string>();
  for (const entry of input.entries)
    if (entry.kind === 'folder') folderNames.set(entry.pathLower, entry.name);
  const mapped: Mapped[] = [];
  for (const entry of input.entries) {
    const lowerParts = entry.pathLower.split('/');
    const depth = lowerParts.length - 1 - sourceDepth;
    if (depth < 1) continue;
    const displayParts = entry.pathDisplay.split('/');
    const segments: string[] = [];
    for (let index = 0; index < depth; index += 1) {
      const at = 1 + sourceDepth + index;
      const folderName = folderNames.get(lowerParts.slice(0, at + 1).join('/'));
      segments.push(
        index === depth - 1 ? entry.name : (folderName ?? displayParts[at] ?? lowerParts[at] ?? ''),
      );
    }
    mapped.push({ entry, segments, relativePath: segments.join('/') });
  }
  return mapped;
}

/** Folders of the listing with nothing listed under them. */
function emptyFolders(mapped: readonly Mapped[]): Set<Mapped> {
  const parents = new Set<string>();
  for (const { entry } of mapped) parents.add(entry.pathLower.slice(0, entry.pathLower.lastIndexOf('/')));
  return new Set(mapped.filter(({ entry }) => entry.kind === 'folder' && !parents.has(entry.pathLower)));
}

/**
 * How a path below the target is shown, as the upload shows local paths: relative to the workspace with
 * `/`, or absolute when the target is outside it. Names a path that could not be formed, too.
 */
function shownUnder(input: RestorePlanInput, pathApi: PathApi): (relativePath: string) => string {
  const workspace = input.workspace ?? input.target;
  if (pathApi.resolve(workspace) === pathApi.resolve(input.target)) return (relativePath) => relativePath;
  const base = workspacePath(pathApi.resolve(input.target), pathApi.resolve(workspace), pathApi).replace(
    /\/$/,
    '',
  );
  return (relativePath) => `${base}/${relativePath}`;
}

function problemOf(
  item: Mapped,
  shown: (relativePath: string) => string,
  reason: RestoreProblemReason,
  localPath?: string,
): RestoreProblem {
  return {
    kind: item.entry.kind,
    dropboxPath: item.entry.pathDisplay,
    relativePath: item.relativePath,
    ...(localPath === undefined ? {} : { localPath }),
    shownPath: shown(item.relativePath),
    size: item.entry.size ?? 0,
    contentHash: item.entry.contentHash ?? '',
    reason,
  };
}

/**
 * Where each file of the source goes: `target/<path relative to the source>` for a folder source,
 * `target/<name>` for a file source; plus the empty folders to create. A file or folder whose name the
 * local OS cannot hold, that would land on the same local path as another on a case-insensitive file
 * system (all of them fail, each naming the others), that would land outside the target, or that
 * Dropbox can only export, becomes a problem instead. Everything comes out in code-point order.
 */
export function planRestore(input: RestorePlanInput): RestorePlan {
  const pathApi = input.pathApi ?? path;
  const shown = shownUnder(input, pathApi);
  const rules = input.include ?? [];
  const mapped = mapEntries(input);
  const empty = emptyFolders(mapped);
  const chosen = mapped.filter(
    (item) => (item.entry.kind === 'file' || empty.has(item)) && isIncluded(item.relativePath, rules),
  );

  const problems: RestoreProblem[] = [];
  const placed: { item: Mapped; localPath: string }[] = [];
  for (const item of chosen) {
    const nameProblem = item.segments
      .map((segment) => localNameProblem(segment, pathApi))
      .find((problem) => problem !== undefined);
    if (nameProblem !== undefined) {
      problems.push(problemOf(item, shown, nameProblem));
      continue;
    }
    const localPath = pathApi.join(input.target, ...item.segments);
    // Defence in depth: names such as "..", or ones the path module reads as separators or roots.
    if (
      item.segments.some((segment) => segment === '' || segment === '.' || segment === '..') ||
      pathInside(input.target, localPath, pathApi) !== item.relativePath
    ) {
      problems.push(problemOf(item, shown, { kind: 'outside-target' }));
      continue;
    }
    if (item.entry.kind === 'file' && item.entry.isDownloadable === false) {
      problems.push(problemOf(item, shown, { kind: 'not-downloadable' }, localPath));
      continue;
    }
    placed.push({ item, localPath });
  }

  const colliding = collisions(placed.map(({ item }) => item));
  const files: PlannedDownload[] = [];
  const folders: PlannedFolder[] = [];
  for (const { item, localPath } of placed) {
    const others = colliding.get(item);
    if (others !== undefined) {
      problems.push(problemOf(item, shown, { kind: 'case-collision', others }, localPath));
      continue;
    }
    const { entry } = item;
    if (entry.kind === 'folder') {
      folders.push({
        dropboxPath: entry.pathDisplay,
        localPath,
        relativePath: item.relativePath,
        shownPath: shown(item.relativePath),
      });
      continue;
    }
    files.push({
      dropboxPath: entry.pathDisplay,
      localPath,
      relativePath: item.relativePath,
      shownPath: shown(item.relativePath),
      size: entry.size ?? 0,
      contentHash: entry.contentHash ?? '',
      ...(entry.rev === undefined ? {} : { rev: entry.rev }),
      ...(entry.clientModified === undefined ? {} : { clientModified: entry.clientModified }),
    });
  }

  const byRelativePath = (a: { relativePath: string }, b: { relativePath: string }): number =>
    compareCodePoints(a.relativePath, b.relativePath);
  return {
    source: input.source === '' ? '/' : input.source,
    target: input.target,
    files: files.sort(byRelativePath),
    folders: folders.sort(byRelativePath),
    problems: problems.sort(byRelativePath),
  };
}

/**
 * The items that would share a local path with others, each with the Dropbox paths of those others:
 * two entries with one collision key, or a file whose key is that of a folder another entry needs.
 */
function collisions(items: readonly Mapped[]): Map<Mapped, string[]> {
  const byKey = new Map<string, Mapped[]>();
  const folderKeys = new Map<string, string>();
  for (const item of items) {
    const key = collisionKey(item.relativePath);
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
    const parts = item.relativePath.split('/');
    const dropboxParts = item.entry.pathDisplay.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const folderKey = collisionKey(parts.slice(0, depth).join('/'));
      const folderPath = dropboxParts.slice(0, dropboxParts.length - parts.length + depth).join('/');
      if (!folderKeys.has(folderKey)) folderKeys.set(folderKey, folderPath);
    }
  }
  const colliding = new Map<Mapped, string[]>();
  for (const [key, group] of byKey) {
    const folder = folderKeys.get(key);
    for (const item of group) {
      const others = group.filter((other) => other !== item).map((other) => other.entry.pathDisplay);
      if (item.entry.kind === 'file' && folder !== undefined) others.push(folder);
      if (others.length > 0) colliding.set(item, others);
    }
  }
  return colliding;
}
