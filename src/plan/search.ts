/**
 * Finds the local files the `path` patterns match. The file-system edge of planning: plan.ts decides
 * where the files go, this module only finds them, their sizes, and what the search had to leave out.
 */
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import * as glob from '@actions/glob';

export interface SearchOptions {
  includeHiddenFiles: boolean;
  followSymbolicLinks: boolean;
  /** Lines worth a debug log: what the search skipped and why. */
  debug?: (line: string) => void;
}

export interface FoundFiles {
  /** Regular files only, absolute paths, each once, in the order the globber found them. */
  files: { localPath: string; size: number; modifiedMs: number }[];
  /** Folders the patterns match (search paths included), absolute: the plan keeps the empty ones. */
  folders: string[];
  /** The globber's search paths: the folders (or files) the patterns start from. */
  searchPaths: string[];
  /** Matches that are symbolic links to nothing: never uploaded, always reported. */
  brokenLinks: string[];
}

/**
 * @actions/glob leaves broken symbolic links out and says so only in a `::debug::` workflow command it
 * writes to stdout itself. While it searches, such commands are taken off stdout: the one about a broken
 * link becomes a finding, the others debug lines of ours, so a terminal never sees runner protocol.
 */
const libraryCommand = /^::debug::(.*)$/;
const brokenLinkLine = /^Broken symlink '(.*)'$/s;

/** Undoes @actions/core's escaping of command data (%25, %0D, %0A). */
function commandData(text: string): string {
  return text.replace(/%(25|0D|0A)/gi, (_match, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  );
}

async function withLibraryCommands<T>(
  onDebug: (message: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    const match = text === undefined ? null : libraryCommand.exec(text.replace(/\r?\n$/, ''));
    if (match) {
      onDebug(commandData(match[1] ?? ''));
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  } as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

async function globberFor(patterns: readonly string[], options: SearchOptions): Promise<glob.Globber> {
  return glob.create(patterns.join('\n'), {
    followSymbolicLinks: options.followSymbolicLinks,
    implicitDescendants: true,
    // Folders too, so that empty ones can be created in Dropbox; it changes no file the patterns match.
    matchDirectories: true,
    // @actions/glob 0.7 skips every file and folder whose name starts with '.', search paths included.
    excludeHiddenFiles: !options.includeHiddenFiles,
  });
}

export async function findFiles(patterns: readonly string[], options: SearchOptions): Promise<FoundFiles> {
  // Said once the search is over: while it runs, stdout belongs to the interception.
  const debugLines: string[] = [];
  const brokenLinks: string[] = [];
  const found = await withLibraryCommands(
    (message) => {
      const broken = brokenLinkLine.exec(message);
      if (broken) brokenLinks.push(broken[1] ?? '');
      else debugLines.push(message);
    },
    async () => {
      const globber = await globberFor(patterns, options);
      const files: FoundFiles['files'] = [];
      const folders: string[] = [];
      const seen = new Set<string>();
      for await (const localPath of globber.globGenerator()) {
        if (seen.has(localPath)) continue;
        seen.add(localPath);
        const stats = await statOrUndefined(localPath, options.followSymbolicLinks);
        if (stats === undefined) {
          debugLines.push(`Skipping "${localPath}": it no longer exists.`);
        } else if (stats.isDirectory()) {
          folders.push(localPath);
        } else if (!stats.isFile()) {
          // Sockets, FIFOs and devices cannot be uploaded; nor can a symbolic link when links are not followed.
          debugLines.push(`Skipping "${localPath}": not a regular file.`);
        } else {
          files.push({ localPath, size: stats.size, modifiedMs: stats.mtimeMs });
        }
      }
      return { files, folders, searchPaths: globber.getSearchPaths() };
    },
  );
  for (const line of debugLines) options.debug?.(line);
  return { ...found, brokenLinks };
}

/** Whether the patterns match a file once hidden files are included: asked only when nothing matched. */
export async function matchesHiddenFiles(
  patterns: readonly string[],
  followSymbolicLinks: boolean,
): Promise<boolean> {
  return withLibraryCommands(
    () => undefined,
    async () => {
      const globber = await globberFor(patterns, { includeHiddenFiles: true, followSymbolicLinks });
      for await (const localPath of globber.globGenerator()) {
        if ((await statOrUndefined(localPath, followSymbolicLinks))?.isFile()) return true;
      }
      return false;
    },
  );
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
