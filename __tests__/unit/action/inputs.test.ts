/** actionInput: the runner's INPUT_<NAME> variables, read untrimmed and unchanged. */
import { afterEach, describe, expect, test } from '@jest/globals';
import { actionInput } from '../../../src/action/inputs.ts';

const setHere: string[] = [];

function setVariable(variable: string, value: string): void {
  setHere.push(variable);
  process.env[variable] = value;
}

afterEach(() => {
  for (const variable of setHere.splice(0)) Reflect.deleteProperty(process.env, variable);
});

describe('actionInput', () => {
  test.each([
    ['chunk-size', 'INPUT_CHUNK-SIZE', '16'],
    ['destination', 'INPUT_DESTINATION', '/backups/{repo}'],
    ['Refresh-Token', 'INPUT_REFRESH-TOKEN', 'tok'],
    ['two words', 'INPUT_TWO_WORDS', 'spaces become underscores, as the runner names it'],
  ])('%j is read from %s', (name, variable, value) => {
    setVariable(variable, value);
    expect(actionInput(name)).toBe(value);
  });

  test.each([
    ['only spaces (the readers refuse it, instead of falling back to the default)', '   '],
    ['a tab and a newline around a value', '\t/builds\n'],
    ['a newline and a workflow command', 'a\n::error::forged\n::add-mask::x'],
    ['a pipe and Markdown', 'dist/a|b *c*.txt'],
    ['unicode', 'résumé ü/файл 名.txt'],
    ['several lines of patterns', 'dist/**\n!dist/*.map\n'],
  ])('%s comes back exactly as given', (_what, value) => {
    setVariable('INPUT_PATH', value);
    expect(actionInput('path')).toBe(value);
  });

  test('an input that is not set reads as empty', () => {
    delete process.env['INPUT_NOT-SET-ANYWHERE'];
    expect(actionInput('not-set-anywhere')).toBe('');
  });
});
