/**
 * `npm start`: runs the bundled command line (dist/upload-cli.js), the same engine as the action, and shows
 * what a person at a terminal sees: the log with groups as headings, coloured annotations, a live progress
 * line and the summary as a table. Never the runner's protocol, never a secret.
 *
 *   npm start                                   a sample folder, to the embedded fake Dropbox
 *   npm start -- --path ./my-folder --destination /test [any dropbox-upload flag]
 *                                               your own files, from the folder npm was started in
 *
 * Without credentials in the environment it starts the embedded fake Dropbox and uploads there. With
 * DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY (+ DROPBOX_APP_SECRET), or DROPBOX_ACCESS_TOKEN, it uploads to
 * real Dropbox, by default into DROPBOX_DESTINATION (else /dropbox-upload-action-demo); FAKE_DROPBOX_URL
 * sends that run to a fake server of your own instead.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDropbox } from '../fake-dropbox/index.ts';
import { inert } from '../src/report/inert.ts';
import { repoRoot } from './action-runner.ts';

const program = path.join(repoRoot, 'dist', 'upload-cli.js');
const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');

async function makeSampleFolder(): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'dropbox-upload-demo-'));
  const files: Record<string, string | Buffer> = {
    'site/index.html': '<!doctype html><title>demo</title><h1>Hello from a build</h1>\n',
    'site/assets/app.js': 'console.log("hello");\n',
    'site/assets/app.js.map': '{"version":3}\n',
    'site/docs/résumé 2026 – final.txt': 'Unicode and spaces survive the trip.\n',
    'site/docs/日本語/メモ.txt': 'nested unicode folders\n',
    'site/empty.txt': '',
    'site/.env': 'HIDDEN=1\n',
    // Bigger than the 4 MiB chunk used below, so it goes through an upload session.
    'site/archive/backup.bin': randomBytes(10 * 1024 * 1024 + 12345),
  };
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(workspace, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return workspace;
}

function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean((env['DROPBOX_REFRESH_TOKEN'] && env['DROPBOX_APP_KEY']) || env['DROPBOX_ACCESS_TOKEN']);
}

function gives(args: readonly string[], flag: string): boolean {
  return args.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
}

/** Runs dist/upload-cli.js with the terminal as its own: colours and the live line work as for a user. */
function runProgram(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const preload = env['FAKE_DROPBOX_URL'] ? ['--import', redirectModule] : [];
  const child = spawn(process.execPath, [...preload, program, ...args], { cwd, env, stdio: 'inherit' });
  // Ctrl+C reaches the child too: it stops its run and reports what arrived, while the fake keeps serving.
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.off('SIGINT', ignore);
      resolve(code ?? 1);
    }),
  );
}

async function main(): Promise<void> {
  const passed = process.argv.slice(2);
  const ownFiles = gives(passed, 'path');
  // npm runs scripts in the project's folder; INIT_CWD is where `npm start` was typed.
  const workspace = ownFiles ? (process.env['INIT_CWD'] ?? process.cwd()) : await makeSampleFolder();
  const env: NodeJS.ProcessEnv = { ...process.env };
  const args = ownFiles ? [] : ['--path', 'site/**', '--path', '!site/**/*.map'];
  // 4 MiB chunks send the sample's 10 MiB file through an upload session; a flag of yours wins.
  if (!ownFiles && !gives(passed, 'chunk-size')) args.push('--chunk-size', '4');
  let server: FakeDropbox | undefined;
  if (hasCredentials(env)) {
    const destination = env['DROPBOX_DESTINATION'] || '/dropbox-upload-action-demo';
    if (!gives(passed, 'destination')) args.push('--destination', destination);
    const where = env['FAKE_DROPBOX_URL'] ? `the fake Dropbox at ${env['FAKE_DROPBOX_URL']}` : 'REAL Dropbox';
    console.log(`Credentials from DROPBOX_* in the environment: uploading to ${where}.\n`);
  } else {
    server = await FakeDropbox.start();
    server.registerApp({ key: 'demo-app-key', secret: 'demo-app-secret' });
    // Through the environment, as a user would give them: a flag would show in the process list.
    Object.assign(env, {
      FAKE_DROPBOX_URL: server.url,
      DROPBOX_REFRESH_TOKEN: server.issueRefreshToken({ appKey: 'demo-app-key' }),
      DROPBOX_APP_KEY: 'demo-app-key',
      DROPBOX_APP_SECRET: 'demo-app-secret',
    });
    delete env['DROPBOX_ACCESS_TOKEN'];
    if (!gives(passed, 'destination')) args.push('--destination', '/builds/demo');
    console.log(
      `No DROPBOX_* credentials in the environment: using the embedded fake Dropbox at ${server.url}\n`,
    );
  }
  try {
    const exitCode = await runProgram([...args, ...passed], workspace, env);
    if (server) {
      const files = server.files();
      console.log(`\nThe fake Dropbox now holds ${files.length} file(s):`);
      for (const file of files.slice(0, 50))
        console.log(`  ${String(file.size).padStart(10)}  ${inert(file.path)}`);
      if (files.length > 50) console.log(`  … and ${files.length - 50} more`);
      console.log(`${server.requests.length} requests; dropbox-upload exited with code ${exitCode}.`);
    }
    process.exitCode = exitCode;
  } finally {
    await server?.close();
    if (!ownFiles) await rm(workspace, { recursive: true, force: true });
  }
}

await main();
