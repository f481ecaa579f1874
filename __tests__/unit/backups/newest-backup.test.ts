/** Which Dropbox entry a restore's source means: the path itself, or the newest sibling of its series. */
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import { TemplateError, type WorkflowContext } from '../../../src/backups/placeholders.ts';
import {
  explainNoMatchingSource,
  newestMatching,
  NoMatchingSourceError,
  restoreSourceSpec,
  type RestoreSourceSpec,
} from '../../../src/backups/newest-backup.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { remoteFile, remoteFolder } from '../../support/remote-entries.ts';

const file = remoteFile;
const folder = remoteFolder;

const context: WorkflowContext = {
  owner: 'acme',
  repo: 'shop',
  ref: 'refs/heads/main',
  sha: 'a'.repeat(40),
  runNumber: 7,
};

describe('restoreSourceSpec', () => {
  test.each<[string, string, RestoreSourceSpec['kind'], string, string | undefined]>([
    ['the root', '', 'path', '', undefined],
    ['a plain folder', '/backups/site', 'path', '/backups/site', undefined],
    ['a top-level folder', '/site', 'path', '/site', undefined],
    [
      'series placeholders above are this run’s',
      '/backups/{repo}/latest',
      'path',
      '/backups/shop/latest',
      undefined,
    ],
    [
      'a series placeholder in the last segment',
      '/backups/{owner}-{repo}',
      'newest',
      '/backups',
      '{owner}-{repo}',
    ],
    [
      'a clock placeholder in the last segment',
      '/backups/{repo}/{datetime}',
      'newest',
      '/backups/shop',
      '{datetime}',
    ],
    [
      'a run placeholder in the last segment',
      '/builds/run-{run-number}',
      'newest',
      '/builds',
      'run-{run-number}',
    ],
    ['at the top level', '/{date}', 'newest', '', '{date}'],
  ])('%s', (_name, source, kind, where, pattern) => {
    const spec = restoreSourceSpec(source, context);
    expect(spec.kind).toBe(kind);
    if (spec.kind === 'path') expect(spec.path).toBe(where);
    else {
      expect(spec.parent).toBe(where);
      expect(spec.pattern).toBe(pattern);
    }
  });

  test.each([
    ['/backups/{date}/db', /\{date\} is above the last folder/],
    ['/{datetime}/x/{time}', /\{datetime\} is above the last folder/],
    ['/backups/{nope}', /\{nope\} is not a placeholder/],
    ['/backups/{repo}/{date}', /needs GITHUB_REPOSITORY/],
  ])('%s is a TemplateError', (source, message) => {
    const call = (): RestoreSourceSpec => restoreSourceSpec(source, source.includes('{repo}') ? {} : context);
    expect(call).toThrow(TemplateError);
    expect(call).toThrow(message);
  });
});

describe('newestMatching', () => {
  const spec = (source: string): Extract<RestoreSourceSpec, { kind: 'newest' }> => {
    const resolved = restoreSourceSpec(source, context);
    if (resolved.kind !== 'newest') throw new Error('expected a pattern');
    return resolved;
  };

  test.each<[string, string, RemoteEntry[], string]>([
    [
      'the newest datetime, whatever the listing order',
      '/b/{datetime}',
      [
        folder('/b/2026-11-20T02-00-00Z'),
        folder('/b/2026-11-22T02-00-00Z'),
        folder('/b/2026-11-21T02-00-00Z'),
      ],
      '/b/2026-11-22T02-00-00Z',
    ],
    [
      'names that do not match are not candidates',
      '/b/{datetime}',
      [folder('/b/2026-11-20T02-00-00Z'), folder('/b/manual'), folder('/b/2099-99')],
      '/b/2026-11-20T02-00-00Z',
    ],
    [
      'letter case is ignored, as keep-last ignores it',
      '/b/site-{date}',
      [folder('/b/Site-2026-01-01'), folder('/b/site-2025-12-31')],
      '/b/Site-2026-01-01',
    ],
    [
      'run numbers order as numbers: 10 is newer than 9',
      '/b/run-{run-number}',
      [folder('/b/run-9'), folder('/b/run-10'), folder('/b/run-2')],
      '/b/run-10',
    ],
    [
      'the time orders before the run number',
      '/b/{run-number}-{date}',
      [folder('/b/99-2026-01-01'), folder('/b/3-2026-02-01')],
      '/b/3-2026-02-01',
    ],
    [
      'a series placeholder takes only this run’s value',
      '/b/{repo}-{date}',
      [folder('/b/shop-2026-01-01'), folder('/b/other-2026-06-01')],
      '/b/shop-2026-01-01',
    ],
    [
      'a file matches too',
      '/dumps/db-{date}.sql',
      [file('/dumps/db-2026-03-04.sql')],
      '/dumps/db-2026-03-04.sql',
    ],
  ])('%s', (_name, source, siblings, expected) => {
    expect(newestMatching(spec(source), siblings).pathDisplay).toBe(expected);
  });

  test('nothing matching names the pattern and what was found, in code-point order', () => {
    const error = (() => {
      try {
        newestMatching(spec('/b/{repo}/{datetime}'), [
          folder('/b/shop/manual'),
          folder('/b/shop/Zeta'),
          folder('/b/shop/alpha'),
        ]);
      } catch (caught) {
        return caught;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(NoMatchingSourceError);
    const noMatch = error as NoMatchingSourceError;
    expect(noMatch.pattern).toBe('{datetime}');
    expect(noMatch.parent).toBe('/b/shop');
    expect(noMatch.found).toEqual(['Zeta', 'alpha', 'manual']);
    expect(noMatch.message).toBe(
      'Nothing in the Dropbox folder "/b/shop" matches "{datetime}". It holds 3 entries: "Zeta", "alpha", "manual".',
    );
  });

  test('an empty (or missing) parent says so; a long listing is cut short', () => {
    expect(() => newestMatching(spec('/b/{date}'), [])).toThrow(
      'Nothing in the Dropbox folder "/b" matches "{date}": the folder is empty or does not exist.',
    );
    const many = Array.from({ length: 12 }, (_, index) => folder(`/b/x${String(index).padStart(2, '0')}`));
    expect(() => newestMatching(spec('/b/{date}'), many)).toThrow(/"x09" and 2 more\.$/);
  });
});

test('the explanation of nothing matching quotes the facts and says how the newest is chosen', () => {
  const noMatch = explainNoMatchingSource(new NoMatchingSourceError('/b', '{datetime}', ['manual']));
  expect(noMatch.title).toBe(restoreTitles.noMatchingSource);
  expect(noMatch.message).toContain(
    'Nothing in the Dropbox folder "/b" matches "{datetime}". It holds 1 entry: "manual".',
  );
  expect(noMatch.message).toContain('as keep-last orders them');
});
