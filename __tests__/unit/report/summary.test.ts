import { describe, expect, test } from '@jest/globals';
import { data, strong, text } from '../../../src/report/summary.ts';

describe('inline pieces of a summary', () => {
  test('our words, strong words, and outside text marked as data', () => {
    expect(text('Destination: ')).toEqual({ text: 'Destination: ' });
    expect(strong('Uploaded:')).toEqual({ text: 'Uploaded:', strong: true });
    expect(data('/d/a|b')).toEqual({ data: '/d/a|b' });
  });
});
