import { describe, expect, test } from '@jest/globals';
import { retentionInputName, retentionPlaceholderProblem } from '../../../src/backups/retention-rules.ts';
import { retentionRules } from '../../../src/model.ts';

describe('retentionPlaceholderProblem (the input check)', () => {
  test.each([
    ['last', '/b/{datetime}', true],
    ['last', '/b/{date}', true],
    ['last', '/b/{time}', true],
    ['last', '/b/{repo}', false],
    ['hourly', '/b/{datetime}', true],
    ['hourly', '/b/{date}/{time}', true],
    ['hourly', '/b/site-{date}', false],
    ['hourly', '/b/{time}/site', false],
    ['daily', '/b/{date}', true],
    ['daily', '/b/x-{datetime}-{run-number}', true],
    ['daily', '/b/{time}', false],
    ['weekly', '/b/{date}', true],
    ['weekly', '/b/{date}/site', false],
    ['monthly', '/b/{datetime}', true],
    ['monthly', '/b/{sha}', false],
    ['yearly', '/b/{date}', true],
    ['yearly', '', false],
  ] as const)('%s with %s: accepted %s', (rule, destination, accepted) => {
    expect(retentionPlaceholderProblem(rule, destination) === undefined).toBe(accepted);
  });

  test('the message names the input, the placeholders it needs and the destination', () => {
    expect(retentionPlaceholderProblem('hourly', '/backups/site-{date}')).toEqual({
      input: 'keep-hourly',
      needs: ['{time}', '{datetime}'],
      allowed:
        'it needs a time placeholder ({time} or {datetime}) in the last folder of "destination", which is ' +
        '"/backups/site-{date}": keep-hourly keeps the newest backup of each hour, read from the folder names, ' +
        'such as /backups/site-{datetime}. Use 0 to turn it off.',
    });
    expect(retentionPlaceholderProblem('weekly', '/backups/{repo}')?.allowed).toMatch(
      /^it needs a date placeholder \(\{date\} or \{datetime\}\) in the last folder of "destination", which is "\/backups\/\{repo\}": keep-weekly keeps the newest backup of each week \(Monday to Sunday\)/,
    );
    expect(retentionPlaceholderProblem('last', '')?.allowed).toMatch(
      /^it needs a date or time placeholder \(\{date\}, \{time\} or \{datetime\}\) .*which is "\/"/,
    );
  });

  test('every rule has an input named keep-<rule>', () => {
    expect(retentionRules.map((rule) => retentionPlaceholderProblem(rule, '/b/x')?.input)).toEqual([
      'keep-last',
      'keep-hourly',
      'keep-daily',
      'keep-weekly',
      'keep-monthly',
      'keep-yearly',
    ]);
  });
});

describe('retentionInputName', () => {
  test('every rule is set by its keep-* input', () => {
    expect(retentionRules.map(retentionInputName)).toEqual([
      'keep-last',
      'keep-hourly',
      'keep-daily',
      'keep-weekly',
      'keep-monthly',
      'keep-yearly',
    ]);
  });
});
