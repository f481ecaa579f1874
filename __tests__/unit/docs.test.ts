/** The README is the contract users read: it must match action.yml and every annotation the action can emit. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { explanationTitles } from '../../src/explain.ts';
import { inputDefaults } from '../../src/inputs.ts';

interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionMetadata;
const readme = readFileSync('README.md', 'utf8');

function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** First-column cells of a markdown table, without backticks. */
function tableKeys(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set((cells[0] ?? '').replace(/`/g, ''), cells.slice(1));
  }
  return rows;
}

describe('action.yml', () => {
  test('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.name).not.toBe('');
    expect(action.description).not.toBe('');
  });

  test('declares the defaults the code applies to empty inputs', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description).not.toBe('');
      if (name === 'path') expect(input.required).toBe(true);
      else
        expect([name, input.default ?? '']).toEqual([
          name,
          inputDefaults[name as keyof typeof inputDefaults] ?? '',
        ]);
    }
  });
});

describe('README', () => {
  test('documents every input with its default', () => {
    const rows = tableKeys(section('Inputs'));
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = rows.get(name);
      expect([name, row !== undefined]).toEqual([name, true]);
      if (input.default) expect([name, row?.[0]]).toEqual([name, `\`${input.default}\``]);
    }
  });

  test('documents every output', () => {
    const rows = tableKeys(section('Outputs'));
    for (const name of Object.keys(action.outputs)) expect([name, rows.has(name)]).toEqual([name, true]);
  });

  test('troubleshooting covers every annotation title the action can emit', () => {
    const rows = tableKeys(section('Troubleshooting'));
    for (const title of explanationTitles) expect([title, rows.has(title)]).toEqual([title, true]);
  });
});
