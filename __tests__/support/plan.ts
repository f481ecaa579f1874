import path from 'node:path';
import type { PlannedFile } from '../../src/model.ts';
import { planUploads } from '../../src/plan/plan.ts';
import { findFiles } from '../../src/plan/search.ts';
import type { Tree } from './tree.ts';

/** The files a run would plan for `pattern` (relative to the tree) going to `destination`. */
export async function planTree(tree: Tree, destination: string, pattern = '**'): Promise<PlannedFile[]> {
  const found = await findFiles([path.join(tree.root, pattern)], {
    includeHiddenFiles: false,
    followSymbolicLinks: true,
  });
  return planUploads({
    files: found.files,
    searchPaths: found.searchPaths,
    destination,
    workspace: tree.root,
  }).files;
}
