/**
 * Runs a bundled action the way the Actions runner does: a child `node dist/index.js` (or the restore's
 * `dist/restore.js`) with INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and (for the
 * fake server) Node's global fetch redirected by a preloaded module. The tests, `npm start` and the
 * benchmarks all go through here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundledAction = path.join(repoRoot, 'dist', 'index.js');
/** The restore action's bundle (restore/action.yml runs it). */
export const bundledRestore = path.join(repoRoot, 'dist', 'restore.js');
const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');

export interface ActionRunOptions {
  /** The bundle to run: the upload action (the default) or bundledRestore. */
  bundle?: string;
  /** Input names as in action.yml (`chunk-size`), values as the runner would pass them. */
  inputs: Record<string, string>;
  /** When set, all Dropbox traffic goes to this fake server instead of dropboxapi.com. */
  fakeDropboxUrl?: string;
  /** The workspace: the child's cwd and GITHUB_WORKSPACE. */
  workspace: string;
  env?: Record<string, string>;
  /** Copy the child's output to this process's stdout as it comes. */
  echo?: boolean;
  /** Sent to the child after this many ms (e.g. to test cancellation). */
  signalAfterMs?: { signal: NodeJS.Signals; ms: number };
  /** Sample the child's RSS (Linux /proc) and report the peak. */
  measureRss?: boolean;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Peak resident set size in bytes, when measured. */
  peakRssBytes?: number;
  elapsedMs: number;
}

/** Parses the `name<<DELIMITER ... DELIMITER` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '');
    if (match) {
      const [, name, delimiter] = match;
      const value: string[] = [];
      for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1)
        value.push(lines[index] ?? '');
      outputs[name!] = value.join('\n');
    } else {
      const simple = /^([^=]+)=(.*)$/.exec(lines[index] ?? '');
      if (simple) outputs[simple[1]!] = simple[2]!;
    }
  }
  return outputs;
}

export interface Annotation {
  title: string;
  message: string;
}

/** Undoes @actions/core's escaping of workflow-command properties and data (%25, %0D, %0A, %3A, %2C). */
function unescapeCommandText(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/gi, (_match, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  );
}

/** The annotations of one level the runner would show, from `::level title=T,…::message` lines. */
export function annotationsIn(stdout: string, level: 'error' | 'warning' | 'notice'): Annotation[] {
  const annotations: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(\w+)(?: (.*?))?::(.*)$/.exec(line);
    if (match?.[1] !== level) continue;
    const title = /(?:^|,)title=([^,]*)/.exec(match[2] ?? '')?.[1] ?? '';
    annotations.push({ title: unescapeCommandText(title), message: unescapeCommandText(match[3] ?? '') });
  }
  return annotations;
}

async function peakRssOf(pid: number, stop: () => boolean): Promise<number> {
  let peak = 0;
  while (!stop()) {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return peak;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'action-run-'));
  const outputFile = path.join(scratch, 'output');
  const summaryFile = path.join(scratch, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // The child must see only the inputs given here, as on a runner.
    if (value !== undefined && !name.startsWith('INPUT_')) env[name] = value;
  }
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: scratch,
  });
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const nodeArgs: string[] = [];
  if (options.fakeDropboxUrl) {
    env['FAKE_DROPBOX_URL'] = options.fakeDropboxUrl;
    nodeArgs.push('--import', redirectModule);
  }
  Object.assign(env, options.env);

  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, options.bundle ?? bundledAction], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (piece: string) => {
    stdout += piece;
    if (options.echo) process.stdout.write(piece);
  });
  child.stderr.setEncoding('utf8').on('data', (piece: string) => {
    stderr += piece;
    if (options.echo) process.stderr.write(piece);
  });
  let exited = false;
  const rss = options.measureRss && child.pid !== undefined ? peakRssOf(child.pid, () => exited) : undefined;
  const timer = options.signalAfterMs
    ? setTimeout(() => child.kill(options.signalAfterMs!.signal), options.signalAfterMs.ms)
    : undefined;
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig])),
  );
  exited = true;
  if (timer) clearTimeout(timer);
  const run: ActionRun = {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    elapsedMs: Date.now() - started,
  };
  if (rss) run.peakRssBytes = await rss;
  await rm(scratch, { recursive: true, force: true });
  return run;
}
