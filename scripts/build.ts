/**
 * `npm run build`: bundles the action (dist/index.js) and the refresh-token helper (dist/authorize.js)
 * with ncc. ncc always names its bundle index.js, so the helper is built in a scratch folder and moved.
 * The helper's dependencies are a subset of the action's, so dist/licenses.txt covers both; the build
 * fails if that ever stops being true.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
const dist = path.join(root, 'dist');

function bundle(entry: string, outDir: string): void {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', outDir, '--license', 'licenses.txt'], {
    cwd: root,
    stdio: 'inherit',
  });
}

bundle('src/index.ts', dist);

const scratch = mkdtempSync(path.join(tmpdir(), 'build-authorize-'));
try {
  bundle('src/authorize.ts', scratch);
  copyFileSync(path.join(scratch, 'index.js'), path.join(dist, 'authorize.js'));
  const actionLicenses = readFileSync(path.join(dist, 'licenses.txt'), 'utf8');
  const helperPackages = readFileSync(path.join(scratch, 'licenses.txt'), 'utf8')
    .split('\n\n')
    .map((block) => block.split('\n')[0] ?? '')
    .filter((name) => name !== '');
  const missing = helperPackages.filter((name) => !actionLicenses.includes(`${name}\n`));
  if (missing.length > 0)
    throw new Error(`dist/licenses.txt lacks the helper's packages: ${missing.join(', ')}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
