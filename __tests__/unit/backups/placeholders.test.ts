import { describe, expect, test } from '@jest/globals';
import {
  compareSeriesKeys,
  lastSegmentHasTime,
  parseTemplate,
  refName,
  resolveTemplate,
  seriesMatcher,
  TemplateError,
  type WorkflowContext,
} from '../../../src/backups/placeholders.ts';

const NOW = new Date('2026-11-23T10:15:00.250Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const CONTEXT: WorkflowContext = {
  owner: 'acme',
  repo: 'site',
  ref: 'refs/heads/main',
  sha: SHA,
  runNumber: 42,
  runAttempt: 2,
};

function templateError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error.reason;
    throw error;
  }
  throw new Error('no TemplateError');
}

describe('resolveTemplate', () => {
  test.each([
    ['/backups/{date}', '/backups/2026-11-23'],
    ['/backups/{time}', '/backups/10-15-00'],
    ['/backups/{datetime}', '/backups/2026-11-23T10-15-00Z'],
    ['/backups/{repo}/{datetime}', '/backups/site/2026-11-23T10-15-00Z'],
    ['/{owner}/{repo}', '/acme/site'],
    ['/r/{ref}', '/r/main'],
    ['/r/{sha}', `/r/${SHA}`],
    ['/r/{short-sha}', '/r/0123456'],
    ['/r/{run-number}.{run-attempt}', '/r/42.2'],
    ['/site-{date}_{time}', '/site-2026-11-23_10-15-00'],
    ['/no/placeholders here', '/no/placeholders here'],
    ['/{date}{date}', '/2026-11-232026-11-23'],
  ])('%s → %s', (template, expected) => {
    expect(resolveTemplate(template, NOW, CONTEXT)).toBe(expected);
  });

  test('UTC whatever the instant: midnight, single digits, the end of a year', () => {
    expect(resolveTemplate('{datetime}', new Date('2027-01-02T03:04:05.999Z'), {})).toBe(
      '2027-01-02T03-04-05Z',
    );
    expect(resolveTemplate('{datetime}', new Date('2026-12-31T23:59:59Z'), {})).toBe('2026-12-31T23-59-59Z');
  });

  test('date/time values sort in time order as plain strings', () => {
    const instants = [
      '2026-01-09T09:00:00Z',
      '2026-01-10T08:00:00Z',
      '2026-10-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
    ];
    const names = instants.map((instant) => resolveTemplate('{datetime}', new Date(instant), {}));
    expect([...names].sort()).toEqual(names);
    expect(names.every((name) => /^[0-9TZ-]+$/.test(name))).toBe(true);
  });

  test.each([
    ['refs/heads/main', 'main'],
    ['refs/heads/feature/login-form', 'feature-login-form'],
    ['refs/tags/v1.2.3', 'v1.2.3'],
    ['refs/tags/release/2026/11', 'release-2026-11'],
    ['refs/pull/12/merge', 'pull-12-merge'],
    ['main', 'main'],
  ])('{ref} of %s is %s', (ref, expected) => {
    expect(refName(ref)).toBe(expected);
    expect(resolveTemplate('{ref}', NOW, { ref })).toBe(expected);
  });

  test('{sha} and {short-sha} are lower case', () => {
    expect(resolveTemplate('{short-sha}', NOW, { sha: 'ABCDEF0123' })).toBe('abcdef0');
  });

  test.each([
    ['{repo}', {}, /\{repo\} needs GITHUB_REPOSITORY, which is not set/],
    ['{owner}', { repo: 'site' }, /\{owner\} needs GITHUB_REPOSITORY/],
    ['{ref}', { ref: '' }, /\{ref\} needs GITHUB_REF/],
    ['{sha}', {}, /\{sha\} needs GITHUB_SHA/],
    ['{short-sha}', {}, /\{short-sha\} needs GITHUB_SHA/],
    ['{run-number}', { runNumber: Number.NaN }, /\{run-number\} needs GITHUB_RUN_NUMBER/],
    ['{run-attempt}', {}, /\{run-attempt\} needs GITHUB_RUN_ATTEMPT/],
  ])('%s without its context value is an error', (template, context, message) => {
    expect(templateError(() => resolveTemplate(template, NOW, context))).toMatch(message);
  });
});

describe('parseTemplate', () => {
  test('text and placeholders in order', () => {
    expect(parseTemplate('/b/{repo}-{datetime}.x')).toEqual([
      { kind: 'text', text: '/b/' },
      { kind: 'placeholder', name: 'repo' },
      { kind: 'text', text: '-' },
      { kind: 'placeholder', name: 'datetime' },
      { kind: 'text', text: '.x' },
    ]);
  });

  test.each([
    ['/b/{dat}', /^\{dat\} is not a placeholder; the placeholders are \{date\}, \{time\}, \{datetime\}, /],
    ['/b/{DATE}', /^\{DATE\} is not a placeholder/],
    ['/b/{}', /^\{\} is not a placeholder/],
    ['/b/{ repo }', /^\{ repo \} is not a placeholder/],
    ['/b/{date', /^the "\{" at position 4 is not closed by a "\}"/],
    ['/b/{date/{time}', /^the "\{" at position 4 is not closed/],
    ['/b/{{date}}', /^the "\{" at position 4 is not closed/],
    ['/b/date}', /^the "\}" at position 8 closes no "\{"/],
    ['/b/{date}}', /^the "\}" at position 10 closes no "\{"/],
  ])('%s is an error', (template, message) => {
    expect(templateError(() => parseTemplate(template))).toMatch(message);
  });
});

describe('lastSegmentHasTime', () => {
  test.each([
    ['/backups/{datetime}', true],
    ['/backups/site-{date}', true],
    ['/backups/{time}-{repo}', true],
    ['/backups/{datetime}/site', false],
    ['/backups/{repo}', false],
    ['/backups/site', false],
    ['', false],
  ])('%s → %s', (template, expected) => {
    expect(lastSegmentHasTime(template)).toBe(expected);
  });
});

describe('seriesMatcher', () => {
  test.each([
    ['/backups/site-{datetime}', 'site-2026-11-20T02-00-00Z', true],
    ['/backups/site-{datetime}', 'SITE-2026-11-20T02-00-00Z', true],
    ['/backups/site-{datetime}', 'site-manual', false],
    ['/backups/site-{datetime}', 'notes.txt', false],
    ['/backups/site-{datetime}', 'site-2026-11-20', false],
    ['/backups/site-{datetime}', 'site-2026-11-20T02-00-00Z-old', false],
    ['/backups/site-{datetime}', 'xsite-2026-11-20T02-00-00Z', false],
    ['/backups/{date}', '2026-11-20', true],
    ['/backups/{date}', '2026-11-20 (1)', false],
    ['/b/{date}.{time}', '2026-11-20.02-00-00', true],
    ['/b/{date}.{time}', '2026-11-20x02-00-00', false],
    ['/b/{repo}-{date}', 'site-2026-11-20', true],
    ['/b/{repo}-{date}', 'other-2026-11-20', false],
    ['/b/{ref}-{date}', 'main-2026-11-20', true],
    ['/b/{ref}-{date}', 'release-2026-11-20', false],
    ['/b/{date}-{short-sha}', '2026-11-20-abcdef0', true],
    ['/b/{date}-{short-sha}', '2026-11-20-abcdefg', false],
    ['/b/{date}-{sha}', `2026-11-20-${SHA}`, true],
    ['/b/{date}-{run-number}', '2026-11-20-7', true],
    ['/b/{date}-{run-number}', '2026-11-20-x', false],
    ['/b/a+b (c)-{date}', 'a+b (c)-2026-11-20', true],
    ['/b/a+b (c)-{date}', 'aab (c)-2026-11-20', false],
  ])('%s: %s → %s', (template, name, matches) => {
    expect(seriesMatcher(template, CONTEXT).match(name) !== undefined).toBe(matches);
  });

  test('placeholders names where each key value comes from: time values first, then run values', () => {
    const matcher = seriesMatcher('/b/{run-number}-{repo}-{time}_{date}', CONTEXT);
    expect(matcher.placeholders).toEqual(['time', 'date', 'run-number']);
    expect(matcher.match('7-site-02-00-00_2026-11-20')).toEqual([
      '02-00-00',
      '2026-11-20',
      7,
      '7-site-02-00-00_2026-11-20',
    ]);
  });

  test('a series placeholder without a value matches nothing', () => {
    expect(seriesMatcher('/b/{repo}-{date}', {}).match('site-2026-11-20')).toBeUndefined();
  });

  test('keys order by the date and time first, run numbers as numbers, then the name', () => {
    const matcher = seriesMatcher('/b/{run-number}-{datetime}', CONTEXT);
    const names = [
      '10-2026-11-20T02-00-00Z',
      '9-2026-11-19T02-00-00Z',
      '11-2026-11-21T02-00-00Z',
      '100-2026-11-21T02-00-00Z',
    ];
    const sorted = [...names].sort((a, b) => compareSeriesKeys(matcher.match(a)!, matcher.match(b)!));
    expect(sorted).toEqual([
      '9-2026-11-19T02-00-00Z',
      '10-2026-11-20T02-00-00Z',
      '11-2026-11-21T02-00-00Z',
      '100-2026-11-21T02-00-00Z',
    ]);
    const byDay = seriesMatcher('/b/{date}-{run-number}', CONTEXT);
    expect(compareSeriesKeys(byDay.match('2026-11-20-9')!, byDay.match('2026-11-20-10')!)).toBeLessThan(0);
  });
});
