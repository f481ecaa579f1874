import { DropboxResponseError } from 'dropbox';
import { linkCell, renderMarkdown } from '../../../src/report/markdown.ts';
import { uploadOutputs } from '../../../src/report/outputs.ts';
import { uploadSummary } from '../../../src/report/upload-summary.ts';
import { existingSharedLink, sharedLinkFindings } from '../../../src/transfer/shared-links.ts';
import type { FileResult } from '../../../src/model.ts';

const URL_A = 'https://www.dropbox.com/scl/fi/abc123/report%20(1).txt?rlkey=xyz&dl=0';

describe('existingSharedLink', () => {
  const conflict = (body: unknown): unknown => new DropboxResponseError(409, new Headers(), body);
  test.each<[string, unknown, ReturnType<typeof existingSharedLink>]>([
    [
      'the form with metadata gives the URL',
      conflict({
        error_summary: 'shared_link_already_exists/metadata/..',
        error: {
          '.tag': 'shared_link_already_exists',
          shared_link_already_exists: { '.tag': 'metadata', metadata: { '.tag': 'file', url: URL_A } },
        },
      }),
      { url: URL_A },
    ],
    [
      'the bare form means: list the links',
      conflict({
        error_summary: 'shared_link_already_exists/.',
        error: { '.tag': 'shared_link_already_exists' },
      }),
      'listed',
    ],
    [
      'metadata without a url also means: list the links',
      conflict({
        error: {
          '.tag': 'shared_link_already_exists',
          shared_link_already_exists: { '.tag': 'metadata', metadata: { '.tag': 'file' } },
        },
      }),
      'listed',
    ],
    ['another 409', conflict({ error: { '.tag': 'email_not_verified' } }), undefined],
    ['not an HTTP error', new Error('x'), undefined],
    [
      'a duck-typed error',
      { status: 409, error: { error: { '.tag': 'shared_link_already_exists' } } },
      'listed',
    ],
  ])('%s', (_name, error, expected) => {
    expect(existingSharedLink(error)).toEqual(expected);
  });
});

describe('shared links in the report', () => {
  const result = (over: Partial<FileResult>): FileResult => ({
    localPath: '/w/out/a.txt',
    shownPath: 'out/a.txt',
    dropboxPath: '/d/a.txt',
    size: 3,
    contentHash: 'h',
    status: 'uploaded',
    bytesSent: 3,
    ...over,
  });
  const summaryOf = (results: FileResult[]): string =>
    renderMarkdown(
      uploadSummary({ dryRun: false, destination: '/d', results, annotations: [], failures: [] }, 1000),
    );

  test.each([
    [URL_A, '[link](https://www.dropbox.com/scl/fi/abc123/report%20%281%29.txt?rlkey=xyz&dl=0)'],
    ['http://insecure.example/a', 'http\\://insecure.example/a'],
    ['https://x.example/a|b', 'https\\://x.example/a\\|b'],
  ])('linkCell(%j) = %j', (url, cell) => {
    expect(linkCell(url)).toBe(cell);
  });

  test('the files output carries sharedLink only where there is one', () => {
    const { outputs } = uploadOutputs(
      [result({ sharedLink: URL_A }), result({ dropboxPath: '/d/b.txt', status: 'skipped' })],
      '/d',
    );
    const files = JSON.parse(outputs['files'] ?? '[]') as Record<string, unknown>[];
    expect(files[0]?.['sharedLink']).toBe(URL_A);
    expect(files[1]).not.toHaveProperty('sharedLink');
  });

  test('the summary gets a Shared link column only when a link was made', () => {
    const withLinks = summaryOf([result({ sharedLink: URL_A }), result({ dropboxPath: '/d/b.txt' })]);
    expect(withLinks).toContain('| Local path | Dropbox path | Size | Status | Shared link |');
    expect(withLinks).toContain(
      '| out/a.txt | /d/a.txt | 3 B | ✅ Uploaded | [link](https://www.dropbox.com/',
    );
    expect(withLinks).toContain('| out/a.txt | /d/b.txt | 3 B | ✅ Uploaded |  |');
    expect(summaryOf([result({})])).toContain('| Local path | Dropbox path | Size | Status |\n');
  });
});

describe('sharedLinkFindings', () => {
  const missingScope = {
    title: 'Dropbox app is missing a permission',
    message: 'sharing.write',
    scope: 'credentials',
  } as const;
  const refused = { title: 'Dropbox shared link not created', message: 'x', scope: 'file' } as const;

  test('nothing to say without problems', () => {
    expect(sharedLinkFindings([])).toEqual({ annotations: [] });
  });

  test('a problem that stopped the step names it; the files were uploaded', () => {
    expect(sharedLinkFindings([{ explanation: missingScope }])).toEqual({
      annotations: [{ level: 'error', title: missingScope.title, message: 'sharing.write' }],
      failure:
        'Shared links were not created: Dropbox app is missing a permission. The files themselves were uploaded.',
    });
  });

  test('per-file problems are counted', () => {
    const found = sharedLinkFindings([
      { explanation: refused, dropboxPath: '/a' },
      { explanation: refused, dropboxPath: '/b' },
    ]);
    expect(found.annotations).toHaveLength(2);
    expect(found.failure).toBe('2 shared link(s) could not be created. The files themselves were uploaded.');
  });
});
