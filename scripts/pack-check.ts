/**
 * `npm run pack-check`: proves the npm package works where nothing else is installed. It packs the project
 * (`npm pack`), checks the tarball holds only what a user needs, installs it into an empty prefix with
 * `npm install -g --prefix <tmp> --offline` (so no dependency can be fetched: the bundles must stand alone),
 * then runs the installed `dropbox-upload --help`, `dropbox-restore --help`, `dropbox-authorize --help`, and a real upload to the fake
 * Dropbox, whose files are compared with the local ones. Prints its figures; exits 1 on the first problem.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDropbox } from '../fake-dropbox/index.ts';
import { repoRoot } from './action-runner.ts';

const redirectModule = path.join(repoRoot, 'fake-dropbox', 'redirect-fetch.ts');
/** npm, and the installed programs' `#!/usr/bin/env node`, find this Node (24) first. */
const PATH = [path.dirname(process.execPath), process.env['PATH'] ?? ''].join(path.delimiter);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new Error(problem);
}

function npmRun(args: string[], cwd: string): string {
  return execFileSync(npm, args, {
    cwd,
    env: { ...process.env, PATH },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  });
}

interface ProgramRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function runInstalled(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ProgramRun> {
  const child = spawn(command, args, { cwd, env: { ...env, PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
  child.stderr.setEncoding('utf8').on('data', (piece: string) => (stderr += piece));
  return new Promise((resolve) => child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr })));
}

/** The sample tree: nested, unicode and spaces, an empty file, and one bigger than a 4 MiB chunk. */
async function sampleTree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    ['site/index.html', Buffer.from('<h1>packed</h1>\n')],
    ['site/empty.txt', Buffer.alloc(0)],
    ['site/docs/résumé 2026 – final.txt', Buffer.from('unicode and spaces\n')],
    ['site/docs/日本語/メモ.txt', Buffer.from('nested unicode\n')],
    ['site/archive/backup.bin', Buffer.alloc(9 * 1024 * 1024 + 123, 7)],
  ]);
  for (const [relative, content] of files) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  }
  return files;
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'pack-check-'));
  const server = await FakeDropbox.start();
  try {
    const packed = JSON.parse(npmRun(['pack', '--json', '--pack-destination', scratch], repoRoot)) as {
      filename: string;
      size: number;
      files: { path: string }[];
    }[];
    const tarball = packed[0];
    check(tarball !== undefined, 'npm pack made no tarball');
    const contents = tarball.files.map((file) => file.path).sort();
    const unexpected = contents.filter(
      (file) =>
        !file.startsWith('dist/') &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md'].includes(file),
    );
    check(unexpected.length === 0, `the tarball holds files a user does not need: ${unexpected.join(', ')}`);
    for (const needed of ['dist/upload-cli.js', 'dist/authorize.js', 'dist/package.json', 'LICENSE'])
      check(contents.includes(needed), `the tarball lacks ${needed}`);

    const prefix = path.join(scratch, 'prefix');
    const started = Date.now();
    npmRun(
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--offline',
        '--no-audit',
        '--no-fund',
        path.join(scratch, tarball.filename),
      ],
      scratch,
    );
    const installMs = Date.now() - started;
    const bin = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
    const upload = path.join(bin, 'dropbox-upload');
    const authorize = path.join(bin, 'dropbox-authorize');
    const restore = path.join(bin, 'dropbox-restore');
    const home = path.join(scratch, 'home');
    await mkdir(home);
    // Nothing of this repository's: no node_modules above the work folder, no token, no proxy.
    const clean: NodeJS.ProcessEnv = { HOME: home, TMPDIR: tmpdir(), LANG: 'C.UTF-8' };

    const help = await runInstalled(upload, ['--help'], home, clean);
    check(
      help.exitCode === 0 && help.stdout.startsWith('Usage: dropbox-upload'),
      `dropbox-upload --help failed:\n${help.stdout}${help.stderr}`,
    );
    const restoreHelp = await runInstalled(restore, ['--help'], home, clean);
    check(
      restoreHelp.exitCode === 0 && restoreHelp.stdout.startsWith('Usage: dropbox-restore'),
      `dropbox-restore --help failed:\n${restoreHelp.stdout}${restoreHelp.stderr}`,
    );
    const helper = await runInstalled(authorize, ['--help'], home, clean);
    check(
      helper.exitCode === 0 && helper.stdout.includes('--secrets-file'),
      `dropbox-authorize --help failed:\n${helper.stdout}${helper.stderr}`,
    );

    const local = await sampleTree(home);
    server.registerApp({ key: 'pack-app-key', secret: 'pack-app-secret' });
    const refreshToken = server.issueRefreshToken({ appKey: 'pack-app-key' });
    const run = await runInstalled(
      upload,
      ['--path', 'site/**', '--destination', '/pack-check/{date}', '--chunk-size', '4', '--json'],
      home,
      {
        ...clean,
        NODE_OPTIONS: `--import ${redirectModule}`,
        FAKE_DROPBOX_URL: server.url,
        DROPBOX_REFRESH_TOKEN: refreshToken,
        DROPBOX_APP_KEY: 'pack-app-key',
        DROPBOX_APP_SECRET: 'pack-app-secret',
      },
    );
    check(run.exitCode === 0, `the installed dropbox-upload exited with ${run.exitCode}:\n${run.stderr}`);
    const output = `${run.stdout}\n${run.stderr}`;
    check(!/^\s*::/m.test(output), 'the installed dropbox-upload printed a runner command');
    for (const secret of [refreshToken, 'pack-app-secret'])
      check(!output.includes(secret), 'the installed dropbox-upload printed a secret');
    const entries = JSON.parse(run.stdout) as {
      path: string;
      dropboxPath: string;
      status: string;
      contentHash: string;
    }[];
    check(
      entries.length === local.size && entries.every((entry) => entry.status === 'uploaded'),
      `--json says:\n${run.stdout}`,
    );
    const stored = new Map(server.files().map((file) => [file.path, file]));
    for (const entry of entries) {
      const content = local.get(entry.path);
      const remote = stored.get(entry.dropboxPath);
      check(
        content !== undefined && remote?.size === content.length && remote.contentHash === entry.contentHash,
        `${entry.dropboxPath} did not arrive whole`,
      );
    }

    const size = (await stat(path.join(scratch, tarball.filename))).size;
    const bundle = (
      await readFile(
        path.join(
          prefix,
          process.platform === 'win32' ? '' : 'lib',
          'node_modules',
          'dropbox-upload-action',
          'dist',
          'upload-cli.js',
        ),
      )
    ).length;
    const digest = createHash('sha256')
      .update(await readFile(path.join(scratch, tarball.filename)))
      .digest('hex')
      .slice(0, 12);
    console.log(
      `pack-check: ${tarball.filename} (${(size / 1024 / 1024).toFixed(1)} MiB, ${contents.length} files, sha256 ${digest}…) ` +
        `installed offline in ${installMs} ms; dropbox-upload is ${(bundle / 1024 / 1024).toFixed(1)} MiB; ` +
        `--help, dropbox-restore --help, dropbox-authorize --help and an upload of ${entries.length} files to the fake Dropbox passed.`,
    );
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`pack-check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
