/**
 * The README's "Retention" docs: the rules table names every rule's input, the placeholders each rule needs
 * are the ones the input check asks for, and the worked example (60 nightly backups with keep-daily: 7,
 * keep-weekly: 4, keep-monthly: 12) is what the selection keeps.
 */
import { describe, expect, test } from '@jest/globals';
import { selectRetention } from '../../../src/backups/retention.ts';
import { retentionInputName, retentionPlaceholderProblem } from '../../../src/backups/retention-rules.ts';
import { retentionRules, type RetentionPolicy } from '../../../src/model.ts';
import { reasonText } from '../../../src/report/retention-table.ts';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import { resolveTemplate, seriesMatcher } from '../../../src/backups/placeholders.ts';
import { readmeSection, tableRows } from '../../support/readme.ts';

const section = readmeSection('Retention', 3);

const DESTINATION = '/backups/{repo}/{datetime}';
const CONTEXT = { owner: 'acme', repo: 'my-site' };
const FIRST_NIGHT = '2026-09-25T02:00:00Z';
const NIGHTS = 60;
const POLICY: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

const weekday = (ms: number): string =>
  ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date(ms).getUTCDay()] ??
  '';

function example(): ReturnType<typeof selectRetention> {
  const names = Array.from({ length: NIGHTS }, (_, night) => {
    const resolved = resolveTemplate(
      DESTINATION,
      new Date(Date.parse(FIRST_NIGHT) + night * 86_400_000),
      CONTEXT,
    );
    return resolved.slice(resolved.lastIndexOf('/') + 1);
  });
  const siblings = names.map((name): RemoteEntry => ({
    kind: 'folder',
    name,
    pathLower: `/backups/my-site/${name.toLowerCase()}`,
    pathDisplay: `/backups/my-site/${name}`,
  }));
  return selectRetention({
    siblings,
    matcher: seriesMatcher(DESTINATION, CONTEXT),
    currentName: names.at(-1) ?? '',
    policy: POLICY,
  });
}

describe('README: Retention', () => {
  test('the rules table has every rule, by its input name, in order', () => {
    const rows = tableRows(section);
    rows.delete('input');
    const inputs = [...rows.keys()].filter((name) => name.startsWith('keep-'));
    expect(inputs).toEqual(retentionRules.map(retentionInputName));
  });

  test('the placeholders each rule needs are the ones the input check asks for', () => {
    const needs = (rule: (typeof retentionRules)[number]): string =>
      (retentionPlaceholderProblem(rule, '/b/x')?.needs ?? []).map((name) => `\`${name}\``).join(' or ');
    const flat = section.replace(/\s+/g, ' ');
    expect(flat).toContain(
      `\`keep-hourly\` needs ${needs('hourly')}; \`keep-daily\`, \`keep-weekly\`, \`keep-monthly\` and ` +
        `\`keep-yearly\` need ${needs('daily')}; \`keep-last\` needs any of the three.`,
    );
    for (const rule of ['weekly', 'monthly', 'yearly'] as const) expect(needs(rule)).toBe(needs('daily'));
    expect(needs('last')).toBe('`{date}` or `{time}` or `{datetime}`');
  });

  test('the worked example states the scenario the test computes', () => {
    const flat = section.replace(/\s+/g, ' ');
    expect(flat).toContain(
      `\`${DESTINATION}\` has run at 02:00 UTC every night from 2026-09-25 to 2026-11-23, 60 backups.`,
    );
    expect(flat).toContain('With `keep-daily: 7`, `keep-weekly: 4` and `keep-monthly: 12`,');
  });

  test('the worked example table is what the selection keeps, with the reasons it gives', () => {
    const selection = example();
    const kept = selection.rows.filter((row) => row.keep);
    const rows = tableRows(section.slice(section.indexOf('**Example.**')));
    rows.delete('backup');
    expect([...rows.entries()].map(([name, [day, why]]) => `${name} ${day} ${why}`)).toEqual(
      kept.map((row) => `${row.name} ${weekday(row.time.epochMs)} ${row.reasons.map(reasonText).join(', ')}`),
    );
    const flat = section.replace(/\s+/g, ' ');
    expect(flat).toContain(
      `${kept.length} of the ${selection.rows.length} remain and the other ${selection.toDelete.length} are deleted`,
    );
    expect([kept.length, selection.toDelete.length]).toEqual([12, 48]);
  });
});
