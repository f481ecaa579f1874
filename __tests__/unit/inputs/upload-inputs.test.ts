/** The input table is action.yml's inputs, word for word; readInputs' defaults and secrets come from it. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { inputDefaults, readInputs, secretInputNames } from '../../../src/inputs/inputs.ts';
import { uploadInputs } from '../../../src/inputs/upload-inputs.ts';

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, ActionInput> };

describe('the upload input table', () => {
  test('has the inputs of action.yml, in its order', () => {
    expect(uploadInputs.map((input) => input.name)).toEqual(Object.keys(action.inputs));
  });

  test.each(uploadInputs.map((input) => [input.name, input] as const))(
    '%s: the description, default and required of action.yml',
    (name, input) => {
      const declared = action.inputs[name];
      expect({
        description: declared?.description,
        default: declared?.default ?? '',
        required: declared?.required ?? false,
      }).toEqual({
        description: input.description,
        default: 'default' in input ? input.default : '',
        required: 'required' in input,
      });
    },
  );

  test('readInputs applies its defaults and masks its secrets', () => {
    expect(inputDefaults).toEqual(
      Object.fromEntries(
        uploadInputs.flatMap((input) => ('default' in input ? [[input.name, input.default]] : [])),
      ),
    );
    expect([...secretInputNames]).toEqual(
      uploadInputs.filter((input) => 'secret' in input).map((input) => input.name),
    );
    const read = readInputs((name) => (name === 'path' ? 'a' : name === 'access-token' ? 't' : ''));
    expect([read.concurrency, read.chunkSizeBytes, read.skipUnchanged]).toEqual([8, 16 * 1024 * 1024, true]);
  });

  test('each credential has its own environment variable, and only credentials are secret', () => {
    const secrets = uploadInputs.flatMap((input) =>
      'secret' in input ? [[input.name, input.secret.environment]] : [],
    );
    expect(secrets).toEqual([
      ['access-token', 'DROPBOX_ACCESS_TOKEN'],
      ['refresh-token', 'DROPBOX_REFRESH_TOKEN'],
      ['app-key', 'DROPBOX_APP_KEY'],
      ['app-secret', 'DROPBOX_APP_SECRET'],
    ]);
  });

  test('the true/false inputs are the ones whose default is true or false', () => {
    const booleans = uploadInputs.filter((input) => 'boolean' in input).map((input) => input.name);
    const byDefault = uploadInputs
      .filter((input) => 'default' in input && /^(true|false)$/.test(input.default))
      .map((input) => input.name);
    expect(booleans).toEqual(byDefault);
  });
});
