/**
 * Runs a bundled command-line program (dist/upload-cli.js) as a user's shell would: a child process with
 * its own arguments, environment and working folder, and Node's fetch redirected to a fake Dropbox.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.ts';

export const uploadProgram = path.join(repoRoot, 'dist', 'upload-cli.js');
const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');

export interface ProgramRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment the program sees: nothing of GitHub's or GitLab's (unless `env` adds it) and no
 * credentials, so that each test says what it gives.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(GITHUB_|RUNNER_|INPUT_|CI_|DROPBOX_|FAKE_DROPBOX)/.test(name) || name === 'CI') continue;
    env[name] = value;
  }
  return env;
}

export function runCommand(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; fakeDropboxUrl?: string; program?: string },
): Promise<ProgramRun> {
  const env = { ...cleanEnvironment(), ...options.env };
  const preload: string[] = [];
  if (options.fakeDropboxUrl !== undefined) {
    env['FAKE_DROPBOX_URL'] = options.fakeDropboxUrl;
    preload.push('--import', redirectModule);
  }
  const child = spawn(process.execPath, [...preload, options.program ?? uploadProgram, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
  child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  return new Promise((resolve) => child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr })));
}

/** Lines a GitHub runner would take as workflow commands: `::` (or `##[`) after leading white space. */
export function commandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^\s*(::|##\[)/.test(line));
}
