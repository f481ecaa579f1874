/**
 * What a command-line program is: its name and words for --help, its input table, the checks its run makes
 * before any request, and its pipeline. program.ts does the rest, the same for every program.
 */
import type { WorkflowContext } from '../backups/placeholders.ts';
import type { InputSpec } from '../inputs/input-spec.ts';
import type { RunHost } from '../report/host.ts';

/** What a program's pipeline is given: the same shape the action's front door gives it. */
export interface ProgramEnvironment {
  input: (name: string) => string;
  workspace: string;
  tempDir?: string;
  context: WorkflowContext;
}

export interface CommandLineProgram {
  /** The command, as package.json's `bin` names it. */
  name: string;
  /** After the name on the usage line. */
  usage: string;
  /** What the program does, for --help. */
  purpose: string;
  inputs: readonly InputSpec[];
  /**
   * Everything the run itself checks before its first request, with the pipeline's own functions; throws
   * InputError. The pipeline checks again, so this only decides the exit code and stops a bad run early.
   */
  check(input: (name: string) => string, context: WorkflowContext): void;
  run(host: RunHost, environment: ProgramEnvironment): Promise<void>;
  /** --json prints the output `complete` names (a file with every entry) when set, else `output`. */
  json: { output: string; complete: string };
}
