/**
 * Prints one version's section of CHANGELOG.md, the release notes the release workflow publishes:
 *
 *   node scripts/changelog-section.ts <version> [changelog file]
 *
 * The version may be a tag (`v1.2.3`). Exits 1 when the changelog has no such section or it is empty, so a
 * release never goes out without notes; 2 for a bad command line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `1.2.3` or `1.2.3-rc.1`, with or without the tag's leading `v`. */
const VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/** A Keep a Changelog release heading, `## [1.2.3] - 2026-12-06`; the date is optional here. */
const RELEASE_HEADING = /^## \[([^\]]+)\](?:\s.*)?$/;

/** The version a tag or version string names, without the `v`; throws for anything else. */
export function versionOf(tagOrVersion: string): string {
  const match = VERSION.exec(tagOrVersion);
  if (match === null)
    throw new Error(
      `"${tagOrVersion}" is not a version: expected X.Y.Z or vX.Y.Z (optionally with a pre-release, -rc.1).`,
    );
  return match[1] ?? '';
}

/** The body of a version's section, without its heading and trimmed; throws when it is missing or empty. */
export function changelogSection(changelog: string, tagOrVersion: string): string {
  const version = versionOf(tagOrVersion);
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((line) => RELEASE_HEADING.exec(line)?.[1] === version);
  if (start === -1) throw new Error(`CHANGELOG has no "## [${version}]" section.`);
  const rest = lines.slice(start + 1);
  const next = rest.findIndex((line) => line.startsWith('## '));
  const section = next === -1 ? rest : rest.slice(0, next);
  // The last section runs into the file's closing link definitions, which belong to no release.
  while (section.length > 0 && /^\s*$|^\[[^\]]+\]:\s/.test(section.at(-1) ?? '')) section.pop();
  const body = section.join('\n').trim();
  if (body === '') throw new Error(`CHANGELOG's "## [${version}]" section is empty.`);
  return body;
}

function main(args: readonly string[]): number {
  const [tagOrVersion, file = 'CHANGELOG.md', ...extra] = args;
  if (tagOrVersion === undefined || extra.length > 0) {
    console.error('Usage: node scripts/changelog-section.ts <version> [changelog file]');
    return 2;
  }
  try {
    process.stdout.write(`${changelogSection(readFileSync(file, 'utf8'), tagOrVersion)}\n`);
    return 0;
  } catch (error) {
    console.error(`changelog-section: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
