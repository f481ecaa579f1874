/**
 * Finds the local files the `path` patterns match. The file-system edge of planning: plan.ts decides
 * where the files go, this module only finds them and their sizes.
 */
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import * as core from '@actions/core';
import * as glob from '@actions/glob';

export interface FoundFiles {
  /** Regular files only, absolute paths, each once, in the order the globber found them. */
  files: { localPath: string; size: number }[];
  /** The globber's search paths: the folders (or files) the patterns start from. */
  searchPaths: string[];
}

export async function findFiles(
  patterns: string[],
  options: { includeHiddenFiles: boolean; followSymbolicLinks: boolean },
): Promise<FoundFiles> {
  const globber = await glob.create(patterns.join('\n'), {
    followSymbolicLinks: options.followSymbolicLinks,
    implicitDescendants: true,
    matchDirectories: false,
    // @actions/glob 0.7 skips every file and folder whose name starts with '.', at any depth below a search path.
    excludeHiddenFiles: !options.includeHiddenFiles,
  });
  const searchPaths = globber.getSearchPaths();

  const files: FoundFiles['files'] = [];
  const seen = new Set<string>();
  for await (const localPath of globber.globGenerator()) {
    if (seen.has(localPath)) continue;
    seen.add(localPath);
    const stats = await statOrUndefined(localPath, options.followSymbolicLinks);
    if (stats === undefined) {
      core.debug(`Skipping "${localPath}": it no longer exists.`);
    } else if (!stats.isFile()) {
      // Sockets, FIFOs and devices cannot be uploaded; nor can a symbolic link when links are not followed.
      core.debug(`Skipping "${localPath}": not a regular file.`);
    } else {
      files.push({ localPath, size: stats.size });
    }
  }
  return { files, searchPaths };
}

async function statOrUndefined(localPath: string, followSymbolicLinks: boolean): Promise<Stats | undefined> {
  try {
    return followSymbolicLinks ? await fs.stat(localPath) : await fs.lstat(localPath);
  } catch (error) {
    // Deleted between the glob and the stat (e.g. a temp file of a concurrent step).
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
