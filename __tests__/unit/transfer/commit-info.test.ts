import { describe, expect, test } from '@jest/globals';
import { commitFor, dropboxTimestamp } from '../../../src/transfer/commit-info.ts';

describe('commitFor', () => {
  test.each([
    ['overwrite', { mode: { '.tag': 'overwrite' }, autorename: false }],
    ['rename', { mode: { '.tag': 'add' }, autorename: true }],
    ['skip', { mode: { '.tag': 'add' }, autorename: false, strict_conflict: true }],
    ['fail', { mode: { '.tag': 'add' }, autorename: false, strict_conflict: true }],
  ] as const)('if-exists: %s', (ifExists, expected) => {
    expect(commitFor('/d/a.txt', ifExists)).toEqual({ path: '/d/a.txt', mute: true, ...expected });
  });

  test('the local modification time goes as client_modified, whole seconds, UTC', () => {
    expect(commitFor('/d/a.txt', 'overwrite', Date.parse('2026-11-23T02:30:45.999Z')).client_modified).toBe(
      '2026-11-23T02:30:45Z',
    );
  });

  test.each([
    [0, '1970-01-01T00:00:00Z'],
    [Date.parse('2026-12-06T19:31:39.500Z'), '2026-12-06T19:31:39Z'],
  ])('dropboxTimestamp(%d) = %j', (ms, expected) => {
    expect(dropboxTimestamp(ms)).toBe(expected);
  });
});
