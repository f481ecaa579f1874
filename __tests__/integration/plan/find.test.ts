/**
 * The plan stage on a real tree: what the patterns find, what they leave out and say so (broken
 * symbolic links, hidden files), and what happens when nothing matches.
 */
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ActionInputs } from '../../../src/model.ts';
import { BROKEN_LINKS_NAMED, findUploadPlan } from '../../../src/plan/find.ts';
import { makeTree, type Tree } from '../../support/tree.ts';

const POSIX = process.platform !== 'win32';
let tree: Tree;

beforeAll(async () => {
  tree = await makeTree({
    'backup/db.sql': 'dump',
    'backup/résumé ü/notes.txt': 'unicode',
    'hidden-only/.env': 'SECRET=1',
    'hidden-only/.cache/blob': 'x',
    '.config/settings.json': '{}',
    'links/real.txt': 'real',
  });
  if (POSIX) {
    await mkdir(tree.file('many-broken'));
    await mkdir(tree.file('only-broken'));
    await symlink(tree.file('backup/db.sql'), tree.file('links/to-db.sql'));
    await symlink(tree.file('nowhere/dump.sql'), tree.file('links/dangling.sql'));
    for (let index = 0; index < 12; index += 1) {
      await symlink(
        tree.file(`nowhere/${index}`),
        tree.file(`many-broken/link-${String(index).padStart(2, '0')}`),
      );
    }
    await symlink(tree.file('nowhere/nightly.sql'), tree.file('only-broken/nightly.sql'));
  }
});
afterAll(() => tree.cleanup());

type PlanInputs = Pick<
  ActionInputs,
  'patterns' | 'includeHiddenFiles' | 'followSymbolicLinks' | 'ifNoFilesFound'
>;

function inputs(patterns: string[], overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    patterns: patterns.map((pattern) => path.join(tree.root, pattern)),
    includeHiddenFiles: false,
    followSymbolicLinks: true,
    ifNoFilesFound: 'warn',
    ...overrides,
  };
}

const settings = (): { workspace: string; debug: (line: string) => void } => ({
  workspace: tree.root,
  debug: () => undefined,
});

describe('findUploadPlan', () => {
  test('a plan with shown paths relative to the workspace, and a line for the log', async () => {
    const found = await findUploadPlan(inputs(['backup']), '/d', settings());
    expect(found.plan?.files.map((file) => [file.shownPath, file.dropboxPath])).toEqual([
      ['backup/db.sql', '/d/db.sql'],
      ['backup/résumé ü/notes.txt', '/d/résumé ü/notes.txt'],
    ]);
    expect(found.annotations).toEqual([]);
    expect(found.lines).toEqual(['2 file(s), 11 bytes, going to Dropbox folder /d']);
  });

  test.each([
    ['warn', 'warning'],
    ['ignore', undefined],
  ] as const)('nothing matched, if-no-files-found: %s', async (ifNoFilesFound, level) => {
    const found = await findUploadPlan(inputs(['absent/**'], { ifNoFilesFound }), '/d', settings());
    expect(found.plan).toBeUndefined();
    expect(found.failure).toBeUndefined();
    const said = level === undefined ? found.lines[0] : found.annotations[0]?.message;
    expect(said).toMatch(
      /^No files were found with the provided path: .*absent\/\*\*\. No files were uploaded\.$/,
    );
    if (level !== undefined) expect(found.annotations[0]).toMatchObject({ level, title: 'No files found' });
  });

  test('nothing matched, if-no-files-found: error ends the run with that message', async () => {
    const found = await findUploadPlan(inputs(['absent'], { ifNoFilesFound: 'error' }), '/d', settings());
    expect(found.failure).toMatch(/^No files were found with the provided path/);
  });

  test.each([['hidden-only'], ['.config']])(
    'a pattern that names only hidden files (%s) says they were left out, and which input includes them',
    async (pattern) => {
      const found = await findUploadPlan(inputs([pattern]), '/d', settings());
      expect(found.plan).toBeUndefined();
      expect(found.annotations[0]?.message).toContain(
        'Hidden files and folders (names starting with ".") match it but were left out: set "include-hidden-files: true" to upload them.',
      );
    },
  );

  test('with include-hidden-files the hidden files are planned', async () => {
    const found = await findUploadPlan(
      inputs(['hidden-only'], { includeHiddenFiles: true }),
      '/d',
      settings(),
    );
    expect(found.plan?.files.map((file) => file.shownPath)).toEqual([
      'hidden-only/.cache/blob',
      'hidden-only/.env',
    ]);
  });

  (POSIX ? test : test.skip)(
    'a broken symbolic link among the matches gets a warning naming it',
    async () => {
      const found = await findUploadPlan(inputs(['links']), '/d', settings());
      expect(found.plan?.files.map((file) => file.shownPath)).toEqual(['links/real.txt', 'links/to-db.sql']);
      expect(found.annotations).toEqual([
        {
          level: 'warning',
          title: 'Broken symbolic link',
          message: expect.stringMatching(
            /^links\/dangling\.sql matches "path" but is a symbolic link to something that does not exist/,
          ),
        },
      ]);
    },
  );

  (POSIX ? test : test.skip)(
    `the first ${BROKEN_LINKS_NAMED} broken links are named, then counted`,
    async () => {
      const found = await findUploadPlan(inputs(['many-broken']), '/d', settings());
      expect(
        found.annotations.filter((annotation) => annotation.title === 'Broken symbolic link'),
      ).toHaveLength(11);
      expect(found.annotations[10]?.message).toBe(
        '2 more broken symbolic link(s) match "path" and were not uploaded.',
      );
    },
  );

  (POSIX ? test : test.skip)(
    'a nightly dump that is only a dangling link: a broken-link warning and no files found',
    async () => {
      const found = await findUploadPlan(inputs(['only-broken']), '/d', settings());
      expect(found.plan).toBeUndefined();
      expect(found.annotations.map((annotation) => annotation.title)).toEqual([
        'Broken symbolic link',
        'No files found',
      ]);
    },
  );

  (POSIX ? test : test.skip)(
    'not following links: a link is not a file to upload, and not a broken one',
    async () => {
      const found = await findUploadPlan(inputs(['links'], { followSymbolicLinks: false }), '/d', settings());
      expect(found.plan?.files.map((file) => file.shownPath)).toEqual(['links/real.txt']);
      expect(found.annotations).toEqual([]);
    },
  );
});
