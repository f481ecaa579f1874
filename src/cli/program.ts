/**
 * What every command-line program does around its pipeline: read the flags against its input table, mask
 * the credentials, warn about secrets given as flags, check the inputs before any request (exit 2), run the
 * same pipeline as the action with a terminal host, print --json, and exit 0 or 1 by how the run ended.
 * A program (upload.ts, and restore next) is only its definition: its table, its checks and its pipeline.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installProxyFromEnvironment } from '../dropbox/proxy.ts';
import { redactSecrets, unexpectedFailure } from '../dropbox/redact.ts';
import { readCiContext } from '../inputs/ci-context.ts';
import { InputError } from '../inputs/inputs.ts';
import { inert } from '../report/inert.ts';
import { TEXT_ROW_LIMIT } from '../report/text.ts';
import { ArgumentError, commandLineInput, parseArguments } from './arguments.ts';
import { helpText } from './help.ts';
import type { CommandLineProgram } from './program-definition.ts';
import { TerminalHost, terminalOptions, type TerminalStream } from './terminal-host.ts';
import { version } from './version.ts';

export interface ProgramIo {
  argv: readonly string[];
  environment: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: TerminalStream;
  stderr: TerminalStream;
}

/** The exit codes: every file arrived; something failed; the command line or an input was bad. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Runs `program` and returns its exit code. */
export async function runProgram(program: CommandLineProgram, io: ProgramIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArguments(io.argv, program.inputs);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    // An argument in the wrong place may be a secret: anything that looks like one is hidden.
    io.stderr.write(
      `${program.name}: ${inert(redactSecrets(error.message))}\nRun "${program.name} --help" for the flags.\n`,
    );
    return EXIT_BAD_INPUT;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(`${helpText(program)}\n`);
    return EXIT_OK;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`${program.name} ${version}\n`);
    return EXIT_OK;
  }

  const host = new TerminalHost(io.stderr, {
    ...terminalOptions(io.stderr, io.environment, parsed.verbose),
    summary: { maxRows: TEXT_ROW_LIMIT, everyRowIn: `--json lists them all` },
  });
  const input = commandLineInput(parsed.values, program.inputs, io.environment);
  // Before anything is printed, so not even a warning can show a credential.
  for (const spec of program.inputs) if (spec.secret !== undefined) host.setSecret(input(spec.name).trim());
  for (const name of parsed.secretFlags) {
    const variable = program.inputs.find((spec) => spec.name === name)?.secret?.environment ?? '';
    host.annotate({
      level: 'warning',
      title: 'Secret on the command line',
      message:
        `--${name} puts the secret in your shell history and in the process list, where other users of ` +
        `this machine can read it. Set ${variable} in the environment instead.`,
    });
  }

  const context = readCiContext(io.environment);
  try {
    program.check(input, context);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    host.fail(error.message);
    return EXIT_BAD_INPUT;
  }

  const proxy = installProxyFromEnvironment(io.environment);
  if (proxy !== undefined) host.info(proxy);
  const tempDir = parsed.json ? await mkdtemp(path.join(tmpdir(), `${program.name}-`)) : undefined;
  try {
    await program.run(host, {
      input,
      workspace: io.cwd,
      context,
      ...(tempDir === undefined ? {} : { tempDir }),
    });
    host.close();
    if (parsed.json) {
      const complete = host.outputs[program.json.complete];
      const json =
        complete === undefined
          ? (host.outputs[program.json.output] ?? '[]')
          : await readFile(complete, 'utf8');
      io.stdout.write(`${host.mask(json)}\n`);
    }
  } catch (error) {
    // Not an uncaught rejection: Node would print the whole error object, request and secrets included.
    host.close();
    host.fail(unexpectedFailure(error));
  } finally {
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
  return host.failures.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** The entry files' one call: runs `program` on this process's arguments, streams and environment. */
export async function runMain(program: CommandLineProgram): Promise<void> {
  process.exitCode = await runProgram(program, {
    argv: process.argv.slice(2),
    environment: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
