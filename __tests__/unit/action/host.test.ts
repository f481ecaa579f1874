import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { ActionsHost } from '../../../src/action/host.ts';
import { parseOutputFile } from '../../../scripts/action-runner.ts';
import { data, text } from '../../../src/report/summary.ts';

let dir: string;
let outputFile: string;
let summaryFile: string;
const saved = { output: process.env['GITHUB_OUTPUT'], summary: process.env['GITHUB_STEP_SUMMARY'] };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'actions-host-'));
  outputFile = path.join(dir, 'output');
  summaryFile = path.join(dir, 'summary');
});

beforeEach(async () => {
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  process.env['GITHUB_OUTPUT'] = outputFile;
  process.env['GITHUB_STEP_SUMMARY'] = summaryFile;
});

afterAll(async () => {
  if (saved.output === undefined) delete process.env['GITHUB_OUTPUT'];
  else process.env['GITHUB_OUTPUT'] = saved.output;
  if (saved.summary === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
  else process.env['GITHUB_STEP_SUMMARY'] = saved.summary;
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn`, returning what it wrote to stdout (where workflow commands go). */
async function stdoutOf(fn: () => unknown): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let captured = '';
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return captured;
}

const HOSTILE = 'a\n::error title=Forged::x\r::add-mask::y\n::stop-commands::z %0A|.txt';

describe('ActionsHost: the runner as a host', () => {
  test('an annotation is one workflow command, its data and title escaped as @actions/core escapes them', async () => {
    const out = await stdoutOf(() =>
      new ActionsHost().annotate({
        level: 'error',
        title: 'Dropbox is out of space',
        message: 'No room: 50%, a,b',
      }),
    );
    expect(out).toBe('::error title=Dropbox is out of space::No room: 50%25, a,b\n');
  });

  test('outside text in lines, groups, annotations and failures never forms a command', async () => {
    const host = new ActionsHost();
    const out = await stdoutOf(async () => {
      host.info(`uploaded ${HOSTILE}`);
      host.info(HOSTILE);
      host.debug(HOSTILE);
      host.annotate({ level: 'warning', title: HOSTILE, message: HOSTILE });
      await host.group(HOSTILE, async () => undefined);
      host.fail(HOSTILE);
    });
    process.exitCode = undefined;
    const lines = out.split(/\r?\n/).filter((line) => line !== '');
    const commands = lines
      .filter((line) => line.trimStart().startsWith('::'))
      .map((line) => /^::([a-z-]+)/.exec(line)?.[1]);
    // Only the commands the host itself means: one debug, one warning, the group and its end, one error.
    expect(commands).toEqual(['debug', 'warning', 'group', 'endgroup', 'error']);
    expect(out).not.toMatch(/^\s*::(add-mask|stop-commands|error title=Forged)/m);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(
      'uploaded a\\n::error title=Forged::x\\r::add-mask::y\\n::stop-commands::z %0A|.txt',
    );
    expect(lines[1]).toBe('a\\n::error title=Forged::x\\r::add-mask::y\\n::stop-commands::z %0A|.txt');
  });

  test('secrets are masked once each; an empty one is not', async () => {
    const host = new ActionsHost();
    const out = await stdoutOf(() => {
      host.setSecret('s3cret');
      host.setSecret('s3cret');
      host.setSecret('');
    });
    expect(out).toBe('::add-mask::s3cret\n');
  });

  test('outputs go to GITHUB_OUTPUT, the summary to GITHUB_STEP_SUMMARY as Markdown', async () => {
    const host = new ActionsHost();
    host.setOutput('files', '[{"path":"a\\nb"}]');
    await host.summary({ blocks: [{ kind: 'paragraph', parts: [text('Destination: '), data('/d/a|b')] }] });
    expect(parseOutputFile(await readFile(outputFile, 'utf8'))['files']).toBe('[{"path":"a\\nb"}]');
    expect(await readFile(summaryFile, 'utf8')).toContain('Destination: /d/a\\|b\n');
  });

  test('without GITHUB_STEP_SUMMARY no summary is written, and that is only a debug line', async () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    const out = await stdoutOf(() => new ActionsHost().summary({ blocks: [] }));
    expect(out).toBe('::debug::GITHUB_STEP_SUMMARY is not set: no job summary written.\n');
    expect(await readFile(summaryFile, 'utf8')).toBe('');
  });
});
