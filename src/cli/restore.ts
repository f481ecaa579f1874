/** `dropbox-restore`: the restore action's inputs as flags, its pipeline, a terminal as host. */
// First: the heap's bound must be set before the rest of the bundle is loaded.
import '../transfer/restore-heap.ts';
import { readRestoreInputs, resolveRestoreSource, restoreInputs } from '../inputs/restore-inputs.ts';
import { runRestore } from '../pipeline/restore.ts';
import { repository } from '../report/project.ts';
import type { CommandLineProgram } from './program-definition.ts';
import { runMain } from './program.ts';

export const restoreProgram: CommandLineProgram = {
  name: 'dropbox-restore',
  usage: '--source <dropbox path> [--path <folder>] [options]',
  purpose:
    `Restores files from Dropbox with the engine of the GitHub Action ${repository}/restore: streamed, ` +
    'verified against Dropbox content hashes, resumable, for cron, GitLab CI or any shell.',
  inputs: restoreInputs,
  check(input, context) {
    resolveRestoreSource(readRestoreInputs(input).source, context);
  },
  run: runRestore,
  json: { output: 'files', complete: 'files-json' },
};

export async function run(): Promise<void> {
  await runMain(restoreProgram);
}
