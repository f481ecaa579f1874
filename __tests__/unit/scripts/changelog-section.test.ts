/**
 * scripts/changelog-section.ts, the release notes of a tag: the pure function on table cases, the program as
 * the release workflow runs it (a child process, exit codes), and CHANGELOG.md itself in Keep a Changelog form
 * with a section for package.json's version.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { changelogSection, versionOf } from '../../../scripts/changelog-section.ts';

const SAMPLE = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- Something in progress.

## [1.1.0-rc.1] - 2027-01-10

- A candidate.

## [1.1.0] - 2027-01-20

### Added

- The \`--json\` flag, with "quotes" and a [link](https://github.com/transferkit/dropbox-action).

### Fixed

- Names with spaces and ünïcødé.

## [1.0.1] - 2027-01-02

## [1.0.0] - 2026-12-06

- First release.

[Unreleased]: https://github.com/transferkit/dropbox-action/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/transferkit/dropbox-action/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/transferkit/dropbox-action/releases/tag/v1.0.0
`;

describe('versionOf', () => {
  test.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3', '1.2.3'],
    ['v10.20.30', '10.20.30'],
    ['v2.0.0-rc.1', '2.0.0-rc.1'],
  ])('%s names %s', (given, version) => {
    expect(versionOf(given)).toBe(version);
  });

  test.each(['v1', 'v1.2', '1.2.3.4', 'Unreleased', 'refs/tags/v1.2.3', ' v1.2.3', 'v1.2.3\n', ''])(
    '%j is refused, naming the value',
    (given) => {
      expect(() => versionOf(given)).toThrow(`"${given}" is not a version`);
    },
  );
});

describe('changelogSection', () => {
  test('a middle section: from its heading to the next, subsections included, trimmed', () => {
    expect(changelogSection(SAMPLE, 'v1.1.0')).toBe(
      [
        '### Added',
        '',
        '- The `--json` flag, with "quotes" and a [link](https://github.com/transferkit/dropbox-action).',
        '',
        '### Fixed',
        '',
        '- Names with spaces and ünïcødé.',
      ].join('\n'),
    );
  });

  test('the last section stops before the closing link definitions', () => {
    expect(changelogSection(SAMPLE, '1.0.0')).toBe('- First release.');
  });

  test('a pre-release is its own section, not its release', () => {
    expect(changelogSection(SAMPLE, 'v1.1.0-rc.1')).toBe('- A candidate.');
  });

  test('Windows line endings give the same notes', () => {
    expect(changelogSection(SAMPLE.replace(/\n/g, '\r\n'), 'v1.0.0')).toBe('- First release.');
  });

  test.each([
    ['v1.2.0', 'CHANGELOG has no "## [1.2.0]" section.'],
    ['v1.1', '"v1.1" is not a version'],
    ['v1.0.1', `CHANGELOG's "## [1.0.1]" section is empty.`],
  ])('%s: %s', (version, message) => {
    expect(() => changelogSection(SAMPLE, version)).toThrow(message);
  });

  test('a version only mentioned in text, or in a link definition, is not a section', () => {
    const text = '# Changelog\n\nSee 2.0.0 and [2.0.0].\n\n### [2.0.0]\n\n- no\n\n[2.0.0]: https://x\n';
    expect(() => changelogSection(text, '2.0.0')).toThrow('CHANGELOG has no "## [2.0.0]" section.');
  });
});

describe('the program', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'changelog section '));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const sample = path.join(folder, 'CHANGE LOG ü.md');
  writeFileSync(sample, SAMPLE);

  function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ['scripts/changelog-section.ts', ...args], {
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('prints the section of a tag, and exits 0', () => {
    expect(run('v1.1.0', sample)).toEqual({
      status: 0,
      stdout: `${changelogSection(SAMPLE, '1.1.0')}\n`,
      stderr: '',
    });
  });

  test('reads CHANGELOG.md by default', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const result = run(`v${version}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version)}\n`);
  });

  test('a missing section exits 1, prints nothing on stdout, and says why', () => {
    expect(run('v9.9.9', sample)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'changelog-section: CHANGELOG has no "## [9.9.9]" section.\n',
    });
  });

  test('a missing file exits 1', () => {
    const result = run('v1.0.0', path.join(folder, 'nope.md'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^changelog-section: ENOENT/);
  });

  test('no version, or too many arguments, is a usage error: exit 2', () => {
    for (const args of [[], ['v1.0.0', sample, 'extra']]) {
      const result = run(...args);
      expect([args, result.status, result.stdout]).toEqual([args, 2, '']);
      expect(result.stderr).toMatch(/^Usage: node scripts\/changelog-section\.ts <version>/);
    }
  });
});

describe('CHANGELOG.md', () => {
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const headings = changelog.split('\n').filter((line) => line.startsWith('## '));

  test("has a non-empty section for package.json's version, so its tag can be released", () => {
    expect(changelogSection(changelog, packageJson.version)).not.toBe('');
  });

  test('Keep a Changelog: [Unreleased] first, then releases newest first, each with an ISO date', () => {
    expect(headings[0]).toBe('## [Unreleased]');
    const releases = headings.slice(1);
    expect(releases.length).toBeGreaterThan(0);
    for (const heading of releases)
      expect(heading).toMatch(/^## \[\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\] - \d{4}-\d{2}-\d{2}$/);
    const dates = releases.map((heading) => heading.slice(-10));
    expect(dates).toEqual([...dates].sort().reverse());
    expect(releases.at(-1)).toMatch(/^## \[1\.0\.0\] /);
  });

  test('every heading has its link definition, to the repository', () => {
    for (const heading of headings) {
      const name = /^## \[([^\]]+)\]/.exec(heading)?.[1] ?? '';
      expect([
        name,
        changelog.includes(`\n[${name}]: https://github.com/transferkit/dropbox-action/`),
      ]).toEqual([name, true]);
    }
  });
});
