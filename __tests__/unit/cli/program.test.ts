/**
 * What every command-line program gets from program.ts, shown with a made-up program (as the restore will
 * be one): exit codes 0, 1 and 2, --json from the outputs, secrets masked, the flag warning, help, version.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runProgram } from '../../../src/cli/program.ts';
import type { CommandLineProgram, ProgramEnvironment } from '../../../src/cli/program-definition.ts';
import { InputError } from '../../../src/inputs/inputs.ts';
import type { InputSpec } from '../../../src/inputs/input-spec.ts';
import type { RunHost } from '../../../src/report/host.ts';

class Stream {
  written = '';
  readonly isTTY = false;
  write(piece: string): boolean {
    this.written += piece;
    return true;
  }
}

const inputs: readonly InputSpec[] = [
  { name: 'what', description: 'What to do: ok, fail or bad.', required: true, value: '<what>' },
  { name: 'token', description: 'A token.', secret: { environment: 'EXAMPLE_TOKEN' }, value: '<token>' },
];

/** Where the last run's --json file was: it must be gone once the run is over. */
let lastTempDir: string | undefined;

/** Does what `what` says, and mentions the token, which must never be shown. */
const example: CommandLineProgram = {
  name: 'example',
  usage: '--what <what>',
  purpose: 'An example program.',
  inputs,
  check(input) {
    if (!['ok', 'fail', 'many'].includes(input('what')))
      throw new InputError(`Input "what" is "${input('what')}".`);
  },
  async run(host: RunHost, environment: ProgramEnvironment) {
    host.info(`working with ${environment.input('token')}`);
    host.setOutput('files', JSON.stringify([{ path: 'a', token: environment.input('token') }]));
    lastTempDir = environment.tempDir;
    if (environment.input('what') === 'many' && environment.tempDir !== undefined) {
      const every = path.join(environment.tempDir, 'every.json');
      await writeFile(every, '[{"path":"a"},{"path":"b"}]');
      host.setOutput('files-json', every);
    }
    if (environment.input('what') === 'fail') host.fail('a file failed');
  },
  json: { output: 'files', complete: 'files-json' },
};

async function run(argv: string[], environment: Record<string, string> = {}) {
  const stdout = new Stream();
  const stderr = new Stream();
  const exitCode = await runProgram(example, { argv, environment, cwd: process.cwd(), stdout, stderr });
  return { exitCode, stdout: stdout.written, stderr: stderr.written };
}

describe('runProgram', () => {
  test('0 when the run did not fail; the token from the environment, masked', async () => {
    const result = await run(['--what', 'ok'], { EXAMPLE_TOKEN: 'tok-123' });
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: 'working with ***\n' });
  });

  test('1 when the run failed; --json prints the output, masked', async () => {
    const result = await run(['--what', 'fail', '--json', '--token', 'tok-123']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('[{"path":"a","token":"***"}]\n');
    expect(result.stderr).toContain('warning: Secret on the command line: --token puts the secret');
    expect(result.stderr).toContain('Set EXAMPLE_TOKEN in the environment instead.');
    expect(result.stderr).toContain('error: a file failed\n');
    expect(result.stderr).not.toContain('tok-123');
  });

  test('--json prefers the file with every entry, and removes it afterwards', async () => {
    const result = await run(['--what', 'many', '--json']);
    expect(result.stdout).toBe('[{"path":"a"},{"path":"b"}]\n');
    expect(lastTempDir !== undefined && existsSync(lastTempDir)).toBe(false);
    expect(lastTempDir).toBeDefined();
  });

  test('2 for an input the checks refuse, or a command line that cannot be read; nothing runs', async () => {
    expect(await run(['--what', 'bad'], { EXAMPLE_TOKEN: 'tok-123' })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'error: Input "what" is "bad".\n',
    });
    expect(await run(['--wat', 'ok'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'example: Unknown option --wat. Did you mean --what?\nRun "example --help" for the flags.\n',
    });
  });

  test('--help and --version on stdout', async () => {
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: example --what <what>\n\nAn example program\.\n/);
    expect(help.stdout).toContain('  --token <token>\n      A token. Or set EXAMPLE_TOKEN.\n');
    const version = await run(['--version']);
    expect(version.stdout).toMatch(/^example \d+\.\d+\.\d+/);
  });
});
