/** The README is the contract users read: it must match action.yml and every annotation the action can emit. */
import { describe, expect, test } from '@jest/globals';
import { explanationTitles } from '../../../src/dropbox/explain/explain.ts';
import { inputDefaults } from '../../../src/inputs/inputs.ts';
import { readmeSection, tableRows } from '../../support/readme.ts';
import { readActionMetadata } from '../../support/action-metadata.ts';

const action = readActionMetadata('action.yml');

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
    const rows = tableRows(readmeSection('Inputs'));
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = rows.get(name);
      expect([name, row !== undefined]).toEqual([name, true]);
      if (input.default) expect([name, row?.[0]]).toEqual([name, `\`${input.default}\``]);
    }
  });

  test('documents every output', () => {
    const rows = tableRows(readmeSection('Outputs'));
    for (const name of Object.keys(action.outputs)) expect([name, rows.has(name)]).toEqual([name, true]);
  });

  test('troubleshooting covers every annotation title the action can emit', () => {
    const rows = tableRows(readmeSection('Troubleshooting'));
    for (const title of explanationTitles) expect([title, rows.has(title)]).toEqual([title, true]);
  });
});
