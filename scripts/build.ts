/**
 * `npm run build`: bundles each entry with ncc into one file in dist/: the action (dist/index.js), the
 * refresh-token helper (dist/authorize.js), the restore action (dist/restore.js) and the command-line
 * programs (dist/upload-cli.js, dist/restore-cli.js). ncc always
 * names its bundle index.js, so every entry but the action is built in a scratch folder and moved. The
 * command-line programs start with a `#!/usr/bin/env node` line, so package.json's `bin` can run them.
 * Every other bundle's dependencies are a subset of the action's, so dist/licenses.txt covers them all;
 * the build fails if that ever stops being true.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
const dist = path.join(root, 'dist');

/** The bundles beside the action, each a program run from a shell: its entry and its file in dist/. */
const programs = [
  { entry: 'src/authorize.ts', file: 'authorize.js' },
  { entry: 'src/upload-cli.ts', file: 'upload-cli.js' },
  { entry: 'src/restore-cli.ts', file: 'restore-cli.js' },
  // The restore action (restore/action.yml): the runner starts it with node, to which the #! line is a comment.
  { entry: 'src/restore.ts', file: 'restore.js' },
] as const;

const shebang = '#!/usr/bin/env node\n';

function bundle(entry: string, outDir: string): void {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', outDir, '--license', 'licenses.txt'], {
    cwd: root,
    stdio: 'inherit',
  });
}

function packagesIn(licenses: string): string[] {
  return licenses
    .split('\n\n')
    .map((block) => block.split('\n')[0] ?? '')
    .filter((name) => name !== '');
}

bundle('src/index.ts', dist);
const actionLicenses = readFileSync(path.join(dist, 'licenses.txt'), 'utf8');

for (const program of programs) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'build-program-'));
  try {
    bundle(program.entry, scratch);
    const code = readFileSync(path.join(scratch, 'index.js'), 'utf8');
    const target = path.join(dist, program.file);
    writeFileSync(target, code.startsWith('#!') ? code : shebang + code);
    chmodSync(target, 0o755);
    const missing = packagesIn(readFileSync(path.join(scratch, 'licenses.txt'), 'utf8')).filter(
      (name) => !actionLicenses.includes(`${name}\n`),
    );
    if (missing.length > 0)
      throw new Error(`dist/licenses.txt lacks the packages of ${program.file}: ${missing.join(', ')}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
