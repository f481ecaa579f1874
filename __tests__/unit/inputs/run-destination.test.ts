import { describe, expect, test } from '@jest/globals';
import { resolveRunDestination } from '../../../src/inputs/run-destination.ts';
import { InputError } from '../../../src/inputs/values.ts';

const NOW = new Date('2026-11-23T10:15:00Z');
const CONTEXT = {
  owner: 'acme',
  repo: 'site',
  ref: 'refs/heads/feature/login',
  sha: '3f2a9c1d0e4b5a6978812345678901234567890a',
  runNumber: 42,
  runAttempt: 1,
};

describe('resolveRunDestination: the destination for this run, from one instant', () => {
  test.each([
    ['', ''],
    ['/builds/site', '/builds/site'],
    ['/backups/{repo}/{datetime}', '/backups/site/2026-11-23T10-15-00Z'],
    [
      '/b/{owner}-{ref}/{date}/{short-sha}-{run-number}.{run-attempt}',
      '/b/acme-feature-login/2026-11-23/3f2a9c1-42.1',
    ],
  ])('%j → %j', (template, expected) => {
    expect(resolveRunDestination(template, NOW, CONTEXT)).toBe(expected);
  });

  test('a placeholder the run has no value for is an input error naming the input', () => {
    expect(() => resolveRunDestination('/b/{repo}', NOW, {})).toThrow(InputError);
    expect(() => resolveRunDestination('/b/{repo}', NOW, {})).toThrow(
      /^Input "destination" is "\/b\/\{repo\}"/,
    );
  });
});
