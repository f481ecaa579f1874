/**
 * The restore's contract as users read it: restore/action.yml is the input table word for word and runs
 * the restore bundle; the README's Restore section documents every input and output; the Troubleshooting
 * table has a row for every title the restore adds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { restoreInputs } from '../../../src/inputs/restore-inputs.ts';
import { restoreReportTitles } from '../../../src/report/restore-report.ts';
import { restoreOutputs } from '../../../src/report/restore-outputs.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { readmeSection, tableRows } from '../../support/readme.ts';
import { readActionMetadata } from '../../support/action-metadata.ts';

const action = readActionMetadata('restore/action.yml');

describe('restore/action.yml', () => {
  test('runs the restore bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/restore.js' });
    expect(action.name).not.toBe('');
    expect(action.description).not.toBe('');
  });

  test('is the input table: the same inputs in its order, its descriptions word for word, its defaults', () => {
    expect(Object.keys(action.inputs)).toEqual(restoreInputs.map((input) => input.name));
    for (const input of restoreInputs) {
      const declared = action.inputs[input.name];
      expect([input.name, declared?.description]).toEqual([input.name, input.description]);
      if ('required' in input) expect([input.name, declared?.required]).toEqual([input.name, true]);
      else
        expect([input.name, declared?.default]).toEqual([
          input.name,
          'default' in input ? input.default : '',
        ]);
    }
  });

  test('its bundle is one npm run build makes (so check-dist keeps it current)', () => {
    expect(readFileSync('scripts/build.ts', 'utf8')).toContain(
      "{ entry: 'src/restore.ts', file: 'restore.js' }",
    );
  });

  test('declares every output the restore sets', () => {
    const set = [...Object.keys(restoreOutputs([], '/s', '/w').outputs), 'files-json'];
    expect(Object.keys(action.outputs).sort()).toEqual(set.sort());
    for (const [name, output] of Object.entries(action.outputs))
      expect([name, output.description !== '']).toEqual([name, true]);
  });
});

describe('README: Restore', () => {
  const section = readmeSection('Restore');

  test('documents every input with its default', () => {
    const rows = tableRows(readmeSection('Restore inputs', 3));
    for (const input of restoreInputs) {
      const row = rows.get(input.name);
      expect([input.name, row !== undefined]).toEqual([input.name, true]);
      if ('default' in input) expect([input.name, row?.[0]]).toEqual([input.name, `\`${input.default}\``]);
    }
  });

  test('documents every output', () => {
    const rows = tableRows(readmeSection('Restore outputs', 3));
    for (const name of Object.keys(action.outputs)) expect([name, rows.has(name)]).toEqual([name, true]);
  });

  test('says what "newest matching" means, and uses the restore action', () => {
    expect(section).toContain('transferkit/dropbox-action/restore@v1');
    expect(section).toMatch(/newest/i);
    expect(section).toContain('examples/restore-nightly-backup.yml');
    expect(section).toContain('examples/hand-over-build.yml');
  });

  test('troubleshooting covers every annotation title the restore adds', () => {
    const rows = tableRows(readmeSection('Troubleshooting'));
    for (const title of [...Object.values(restoreTitles), ...Object.values(restoreReportTitles)])
      expect([title, rows.has(title)]).toEqual([title, true]);
  });
});
