/**
 * `dropbox-upload --help` comes from the input table, and the README shows it word for word; the README's
 * cron line and GitLab CI job are command lines the program accepts, with inputs the action accepts.
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { commandLineInput, parseArguments } from '../../../src/cli/arguments.ts';
import { helpText } from '../../../src/cli/help.ts';
import { restoreProgram } from '../../../src/cli/restore.ts';
import { uploadProgram } from '../../../src/cli/upload.ts';
import {
  readRestoreInputs,
  resolveRestoreSource,
  restoreInputs,
} from '../../../src/inputs/restore-inputs.ts';
import { readCiContext } from '../../../src/inputs/ci-context.ts';
import { readInputs } from '../../../src/inputs/inputs.ts';
import { resolveRunDestination } from '../../../src/inputs/run-destination.ts';
import { uploadInputs } from '../../../src/inputs/upload-inputs.ts';
import { readmeSection } from '../../support/readme.ts';

const section = readmeSection('Outside GitHub Actions');
const help = helpText(uploadProgram);

/** The text of the one fenced block whose info string starts with `info` (and that holds `holding`). */
function block(info: string, holding = ''): string {
  const blocks = [...section.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].filter(
    (match) => (match[1] ?? '').startsWith(info) && (match[2] ?? '').includes(holding),
  );
  expect([info, blocks.length]).toEqual([info, 1]);
  return blocks[0]?.[2] ?? '';
}

/** A shell command line's words, with '…' and "…" quoting (enough for the README's lines). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/** The arguments after `dropbox-upload`, up to a shell operator. */
function dropboxUploadArguments(line: string): string[] {
  const all = words(line);
  const start = all.indexOf('dropbox-upload');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = all.slice(start + 1);
  const end = rest.findIndex((word) => ['>>', '>', '|', '&&', '2>&1'].includes(word));
  return end === -1 ? rest : rest.slice(0, end);
}

/** What the program would check before its first request, for these arguments and environment. */
function check(argv: string[], environment: Record<string, string>): string {
  const parsed = parseArguments(argv, uploadInputs);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${parsed.kind}`);
  const input = commandLineInput(parsed.values, uploadInputs, environment);
  const inputs = readInputs(input);
  return resolveRunDestination(
    inputs.destination,
    new Date('2026-11-23T02:30:00Z'),
    readCiContext(environment),
  );
}

const credentials = { DROPBOX_REFRESH_TOKEN: 'r', DROPBOX_APP_KEY: 'k', DROPBOX_APP_SECRET: 's' };

describe('--help', () => {
  // After a change to the input table: paste the output of `node src/upload-cli.ts --help` into the README.
  test('the README shows dropbox-upload --help as the program prints it', () => {
    expect(block('text title="dropbox-upload --help"')).toBe(`${help}\n`);
  });

  test('every input is a flag, with its default; every credential names its variable', () => {
    const flat = help.replace(/\s+/g, ' ');
    for (const input of uploadInputs) {
      expect([input.name, help.includes(`  --${input.name}`)]).toEqual([input.name, true]);
      if ('default' in input) expect(flat).toContain(`[default: ${input.default}]`);
      if ('secret' in input) expect(flat).toContain(`Or set ${input.secret.environment}.`);
    }
  });

  test('no line is wider than 80 columns', () => {
    expect(help.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  // After a change to the restore's input table: paste `node src/restore-cli.ts --help` into the README.
  test('the README shows dropbox-restore --help as the program prints it', () => {
    const restoreHelp = helpText(restoreProgram);
    expect(block('text title="dropbox-restore --help"')).toBe(`${restoreHelp}\n`);
    for (const input of restoreInputs)
      expect([input.name, restoreHelp.includes(`  --${input.name}`)]).toEqual([input.name, true]);
    expect(restoreHelp.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});

describe('the README examples run as written', () => {
  test('the restore crontab line: the newest backup of the series, into a scratch folder', () => {
    const line =
      block('crontab', 'dropbox-restore')
        .split('\n')
        .find((each) => each.includes('dropbox-restore')) ?? '';
    const all = words(line);
    const argv = all.slice(all.indexOf('dropbox-restore') + 1, all.indexOf('>'));
    const parsed = parseArguments(argv, restoreInputs);
    if (parsed.kind !== 'run') throw new Error(`not a run: ${parsed.kind}`);
    const inputs = readRestoreInputs(commandLineInput(parsed.values, restoreInputs, credentials));
    expect([inputs.source, inputs.path]).toEqual(['/backups/site/{datetime}', '/var/tmp/restore-check']);
    expect(resolveRestoreSource(inputs.source, readCiContext({}))).toMatchObject({
      kind: 'newest',
      parent: '/backups/site',
    });
  });

  test('the crontab line: a nightly backup into its own folder, keeping the last 14', () => {
    const line = block('crontab', 'dropbox-upload')
      .split('\n')
      .find((each) => each.includes('dropbox-upload'));
    const argv = dropboxUploadArguments(line ?? '');
    expect(argv).toContain('--keep-last');
    expect(check(argv, credentials)).toBe('/backups/site/2026-11-23T02-30-00Z');
  });

  test('the GitLab CI job: placeholders from GitLab’s variables', () => {
    const job = parse(block('yaml title=".gitlab-ci.yml"')) as Record<
      string,
      { image: string; script: string[] }
    >;
    const upload = job['upload-to-dropbox'];
    expect(upload?.image).toBe('node:24');
    const line = upload?.script.find((each) => each.startsWith('dropbox-upload')) ?? '';
    const gitlab = {
      ...credentials,
      CI_PROJECT_NAME: 'my-site',
      CI_COMMIT_REF_NAME: 'main',
      CI_COMMIT_SHA: '3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b',
    };
    expect(check(dropboxUploadArguments(line), gitlab)).toBe('/builds/my-site/main/3f2a9c1');
  });
});
