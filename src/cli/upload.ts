/** `dropbox-upload`: the upload action's inputs as flags, its pipeline, a terminal as host. */
// First: the heap's bound must be set before the rest of the bundle is loaded.
import '../transfer/upload-heap.ts';
import { contextHint } from '../inputs/ci-context.ts';
import { InputError, readInputs } from '../inputs/inputs.ts';
import { resolveRunDestination } from '../inputs/run-destination.ts';
import { uploadInputs } from '../inputs/upload-inputs.ts';
import { runUpload } from '../pipeline/upload.ts';
import { repository } from '../report/project.ts';
import type { CommandLineProgram } from './program-definition.ts';
import { runMain } from './program.ts';

export const uploadProgram: CommandLineProgram = {
  name: 'dropbox-upload',
  usage: '--path <pattern> [--path <pattern> ...] [options]',
  purpose:
    `Uploads files to Dropbox with the engine of the GitHub Action ${repository}: the same inputs, ` +
    'checks, retries and explanations, for cron, GitLab CI or any shell.',
  inputs: uploadInputs,
  check(input, context) {
    const inputs = readInputs(input);
    try {
      resolveRunDestination(inputs.destination, new Date(), context);
    } catch (error) {
      const hint = error instanceof InputError ? contextHint(inputs.destination, context) : undefined;
      throw hint === undefined ? error : new InputError(`${(error as InputError).message} ${hint}`);
    }
  },
  run: runUpload,
  json: { output: 'files', complete: 'files-json' },
};

export async function run(): Promise<void> {
  await runMain(uploadProgram);
}
