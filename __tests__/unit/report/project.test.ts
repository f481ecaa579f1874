/** The repository src/ names is the one package.json declares, and the major tag follows its version. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { actionReference, majorVersionTag, repository } from '../../../src/report/project.ts';

interface PackageMetadata {
  version: string;
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
}

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as PackageMetadata;

describe('project', () => {
  test("the repository is package.json's repository", () => {
    expect(packageJson.repository).toEqual({
      type: 'git',
      url: `git+https://github.com/${repository}.git`,
    });
  });

  test('homepage and bugs point at the same repository', () => {
    expect(packageJson.homepage).toBe(`https://github.com/${repository}#readme`);
    expect(packageJson.bugs).toEqual({ url: `https://github.com/${repository}/issues` });
  });

  test("the major tag is package.json's major version", () => {
    expect(majorVersionTag).toBe(`v${packageJson.version.split('.')[0]}`);
    expect(actionReference).toBe(`${repository}@${majorVersionTag}`);
  });

  test('the repository is owner/name as GitHub spells it', () => {
    expect(repository).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
    expect(repository).toBe('transferkit/dropbox-action');
  });
});
