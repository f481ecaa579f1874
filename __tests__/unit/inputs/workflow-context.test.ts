/**
 * readWorkflowContext: the GitHub variables a destination's placeholders use. @actions/github reads the
 * environment once, when it is loaded, so each case runs in a fresh Node process with only its variables.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { WorkflowContext } from '../../../src/backups/placeholders.ts';

const run = promisify(execFile);
const moduleUrl = new URL('../../../src/inputs/workflow-context.ts', import.meta.url).href;
const script = `const { readWorkflowContext } = await import(${JSON.stringify(moduleUrl)});
process.stdout.write('\\n' + JSON.stringify(readWorkflowContext()));`;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'workflow-context-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** What a run with exactly these GITHUB_* variables (and none of this machine's) reads. */
async function contextWith(variables: Record<string, string>): Promise<WorkflowContext> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_')),
  ) as Record<string, string>;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...env, ...variables },
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as WorkflowContext;
}

describe('readWorkflowContext', () => {
  test.each<[string, Record<string, string>, WorkflowContext]>([
    [
      'every variable set',
      {
        GITHUB_REPOSITORY: 'octo-org/hello-world',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
        GITHUB_RUN_NUMBER: '42',
        GITHUB_RUN_ATTEMPT: '2',
      },
      {
        owner: 'octo-org',
        repo: 'hello-world',
        ref: 'refs/heads/main',
        sha: 'ffac537e6cbbf934b08745a378932722df287a53',
        runNumber: 42,
        runAttempt: 2,
      },
    ],
    ['none set: each is left out, for the placeholder that needs it to say so', {}, {}],
    [
      'empty or non-numeric values are left out',
      { GITHUB_REF: '', GITHUB_SHA: '', GITHUB_RUN_NUMBER: '', GITHUB_RUN_ATTEMPT: 'first' },
      {},
    ],
    [
      'a repository without a slash is all owner, and repo is left out',
      { GITHUB_REPOSITORY: 'hello-world' },
      { owner: 'hello-world' },
    ],
    [
      'outside text is kept as it is, for the placeholders to judge',
      {
        GITHUB_REPOSITORY: 'own|er/re po ü',
        GITHUB_REF: 'refs/heads/feat\n::error::forged',
      },
      { owner: 'own|er', repo: 're po ü', ref: 'refs/heads/feat\n::error::forged' },
    ],
  ])('%s', async (_what, variables, expected) => {
    expect(await contextWith(variables)).toEqual(expected);
  });

  test("without GITHUB_REPOSITORY, the event payload's repository", async () => {
    const event = path.join(scratch, 'event.json');
    await writeFile(
      event,
      JSON.stringify({ repository: { name: 'from-payload', owner: { login: 'payload-owner' } } }),
    );
    expect(await contextWith({ GITHUB_EVENT_PATH: event, GITHUB_RUN_NUMBER: '7' })).toEqual({
      owner: 'payload-owner',
      repo: 'from-payload',
      runNumber: 7,
    });
  });
});
