import { describe, expect, test } from '@jest/globals';
import { backupTime } from '../../../src/backups/backup-time.ts';
import { seriesMatcher, type WorkflowContext } from '../../../src/backups/placeholders.ts';

const CONTEXT: WorkflowContext = { repo: 'site', ref: 'refs/heads/main' };

describe('backupTime', () => {
  const at = (template: string, name: string): string | undefined => {
    const matcher = seriesMatcher(template, CONTEXT);
    const key = matcher.match(name);
    if (key === undefined) return 'no match';
    const time = backupTime(key, matcher.placeholders);
    return time === undefined
      ? undefined
      : `${new Date(time.epochMs).toISOString()} ${time.hasDate} ${time.hasTime}`;
  };

  test.each([
    ['/b/{datetime}', '2026-11-23T02-03-04Z', '2026-11-23T02:03:04.000Z true true'],
    ['/b/{datetime}', '2026-11-23t02-03-04z', '2026-11-23T02:03:04.000Z true true'],
    ['/b/{date}', '2026-11-23', '2026-11-23T00:00:00.000Z true false'],
    ['/b/{time}', '02-03-04', '1970-01-01T02:03:04.000Z false true'],
    ['/b/{time}_{date}', '02-03-04_2026-11-23', '2026-11-23T02:03:04.000Z true true'],
    ['/b/{run-number}-{date}', '7-2026-11-23', '2026-11-23T00:00:00.000Z true false'],
    ['/b/{date}', '2024-02-29', '2024-02-29T00:00:00.000Z true false'],
    ['/b/{date}', '0099-12-31', '0099-12-31T00:00:00.000Z true false'],
    ['/b/{date}', '2026-02-29', undefined],
    ['/b/{date}', '2026-00-10', undefined],
    ['/b/{time}', '24-00-00', undefined],
    ['/b/{datetime}', '2026-11-23T02-60-00Z', undefined],
  ])('%s: %s → %s', (template, name, expected) => {
    expect(at(template, name)).toBe(expected);
  });
});
