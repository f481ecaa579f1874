/** The programs' --version: package.json's version, bundled in at build time. */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@jest/globals';
import { version } from '../../../src/cli/version.ts';

test('is the version in package.json, a plain x.y.z (with an optional pre-release)', async () => {
  const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  expect(version).toBe(packageJson.version);
  expect(version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
});
