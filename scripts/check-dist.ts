/** Rebuilds the bundle and fails when dist/ differs from what git has: the committed bundle is what runners execute. */
import { execFileSync, execSync } from 'node:child_process';

execSync('npm run build', { stdio: 'inherit' });
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' });
if (changed.trim() !== '') {
  console.error(`dist/ is stale: rebuild with "npm run build" and commit the result.\n${changed}`);
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'dist'], { stdio: 'inherit' });
  process.exit(1);
}
console.log('dist/ is current.');
