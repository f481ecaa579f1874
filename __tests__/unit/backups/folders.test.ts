import { describe, expect, test } from '@jest/globals';
import { display, parentOf } from '../../../src/backups/folders.ts';

describe('folders as the backup phases name them', () => {
  test.each([
    ['/backups/site-2026', '/backups'],
    ['/site', ''],
    ['/a/b/c', '/a/b'],
  ])('parentOf(%j) = %j', (path, parent) => {
    expect(parentOf(path)).toBe(parent);
  });

  test.each([
    ['', '/'],
    ['/backups', '/backups'],
  ])('display(%j) = %j', (path, shown) => {
    expect(display(path)).toBe(shown);
  });
});
