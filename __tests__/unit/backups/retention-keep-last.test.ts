import { describe, expect, test } from '@jest/globals';
import { seriesMatcher } from '../../../src/backups/placeholders.ts';
import { selectRetention } from '../../../src/backups/retention.ts';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';

function folder(name: string): RemoteEntry {
  return { kind: 'folder', name, pathLower: `/b/${name.toLowerCase()}`, pathDisplay: `/b/${name}` };
}

function file(name: string): RemoteEntry {
  return { ...folder(name), kind: 'file', contentHash: 'h' };
}

const day = (n: number): string => `site-2026-11-${String(n).padStart(2, '0')}T02-00-00Z`;

function pruned(args: {
  template?: string;
  siblings: RemoteEntry[];
  current: string;
  keepLast: number;
}): string[] {
  return selectRetention({
    siblings: args.siblings,
    matcher: seriesMatcher(args.template ?? '/b/site-{datetime}', { repo: 'site', ref: 'refs/heads/main' }),
    currentName: args.current,
    policy: { last: args.keepLast },
  }).toDelete.map((entry) => entry.name);
}

describe('selectRetention with keep-last alone', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => folder(day(i + 1)));

  test.each([
    [1, 19],
    [3, 17],
    [20, 0],
    [25, 0],
  ])('keep-last %i of 20 (the newest is the run): %i deleted, oldest first', (keepLast, count) => {
    const result = pruned({ siblings: twenty, current: day(20), keepLast });
    expect(result).toEqual(twenty.slice(0, count).map((entry) => entry.name));
  });

  test('only the series: other names, files and the unrelated are never chosen', () => {
    const siblings = [
      ...twenty,
      folder('site-manual'),
      folder('other-2026-11-01T02-00-00Z'),
      folder('site-2026-11-01'),
      file('site-2026-10-01T02-00-00Z'),
      file('notes.txt'),
    ];
    expect(pruned({ siblings, current: day(20), keepLast: 2 })).toEqual(
      twenty.slice(0, 18).map((entry) => entry.name),
    );
  });

  test('the run folder is kept even when it sorts older than the kept ones', () => {
    expect(pruned({ siblings: twenty, current: day(5), keepLast: 2 })).toEqual([
      ...[1, 2, 3, 4].map(day),
      ...[6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].map(day),
    ]);
  });

  test('a run folder not listed yet (dry run) counts among the newest', () => {
    const listed = twenty.slice(0, 10);
    expect(pruned({ siblings: listed, current: day(21), keepLast: 3 })).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map(day),
    );
  });

  test('the run folder is recognised whatever its letter case', () => {
    const siblings = [folder('SITE-2026-11-02T02-00-00Z'), folder(day(1))];
    expect(pruned({ siblings, current: day(2), keepLast: 1 })).toEqual([day(1)]);
  });

  test('series placeholders: other branches are another series', () => {
    const siblings = [folder('main-2026-11-01'), folder('main-2026-11-02'), folder('release-2026-10-01')];
    expect(
      pruned({ template: '/b/{ref}-{date}', siblings, current: 'main-2026-11-03', keepLast: 1 }),
    ).toEqual(['main-2026-11-01', 'main-2026-11-02']);
  });

  test('nothing to prune', () => {
    expect(pruned({ siblings: [], current: day(1), keepLast: 1 })).toEqual([]);
    expect(pruned({ siblings: [folder(day(1))], current: day(1), keepLast: 1 })).toEqual([]);
  });
});
