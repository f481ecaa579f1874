import { PassThrough } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { createPrompter, InputEnded } from '../../../src/authorize/prompt.ts';

function streams(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  return { input, output, shown: () => shown };
}

describe('createPrompter: one answer per line', () => {
  test('piped answers that arrive all at once are taken one per question, in order', async () => {
    const { input, output, shown } = streams();
    const prompter = createPrompter(input, output);
    input.end('app-key\nsecret\ncode-123\n');
    expect(await prompter.ask('App key: ')).toBe('app-key');
    expect(await prompter.askHidden('App secret: ')).toBe('secret');
    expect(await prompter.ask('2. Paste the access code: ')).toBe('code-123');
    prompter.close();
    expect(shown()).toBe('App key: App secret: 2. Paste the access code: ');
  });

  test('input that ends before an answer says which question was left open', async () => {
    const { input, output } = streams();
    const prompter = createPrompter(input, output);
    input.end('');
    await expect(prompter.ask('2. Paste the access code Dropbox shows: ')).rejects.toThrow(InputEnded);
    prompter.close();
  });

  test('the message names the question without its step number', () => {
    expect(new InputEnded('2. Paste the access code: ').message).toBe(
      'The input ended before an answer to "Paste the access code:".',
    );
  });
});
