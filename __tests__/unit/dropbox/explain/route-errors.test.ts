import { describe, expect, test } from '@jest/globals';
import {
  explainByRules,
  explainConflict,
  ROUTE_RULES,
  type ExplanationRule,
  type Failure,
} from '../../../../src/dropbox/explain/route-errors.ts';
import { titles } from '../../../../src/dropbox/explain/titles.ts';
import type { IfExists } from '../../../../src/model.ts';

const failure = (tags: string[], body: unknown = {}): Failure => ({ status: 409, tags, body });

describe('explainByRules: the first row whose classification matches', () => {
  const rules: ExplanationRule[] = [
    {
      tags: ['a'],
      also: (f) => f.tags.includes('only'),
      title: titles.fileLocked,
      scope: 'file',
      message: (at) => `first ${at}`,
    },
    { tags: ['a', 'b'], title: titles.malformedPath, scope: 'file', message: (at) => `second ${at}` },
    { tags: [], tagPrefix: 'pre_', title: titles.sessionRefused, scope: 'file', message: () => 'prefixed' },
    { tags: ['fam'], explain: () => ({ title: titles.teamFolder, scope: 'run', message: 'a family' }) },
  ];

  test.each([
    [['a', 'only'], 'first "/x"'],
    [['a'], 'second "/x"'],
    [['b'], 'second "/x"'],
    [['pre_thing'], 'prefixed'],
    [['fam'], 'a family'],
  ])('%j → %s', (tags, message) => {
    expect(explainByRules(rules, failure(tags), { dropboxPath: '/x' })?.message).toBe(message);
  });

  test('no row matches: undefined', () => {
    expect(explainByRules(rules, failure(['other']), {})).toBeUndefined();
  });

  test('the file is "the file" without a path', () => {
    expect(explainByRules(rules, failure(['b']), {})?.message).toBe('second the file');
  });
});

describe('ROUTE_RULES', () => {
  test.each([
    [['path', 'insufficient_space'], titles.outOfSpace, 'run'],
    [['path', 'conflict', 'folder'], titles.folderInTheWay, 'file'],
    [['path', 'no_write_permission'], titles.noWritePermission, 'file'],
    [['lookup_failed', 'not_found'], titles.sessionExpired, 'file'],
    [['path', 'not_found'], titles.pathNotFound, 'file'],
    [['concurrent_session_invalid_offset'], titles.sessionRefused, 'file'],
    [['content_hash_mismatch'], titles.corrupted, 'file'],
  ] as const)('%j → %s (%s)', (tags, title, scope) => {
    const body = { '.tag': 'path', reason: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } };
    expect(explainByRules(ROUTE_RULES, failure([...tags], body), { dropboxPath: '/d/a' })).toMatchObject({
      title,
      scope,
    });
  });
});

describe('explainConflict: the same words for the commit and for the decision before sending', () => {
  test.each<[string, IfExists | undefined, string, RegExp]>([
    ['folder', 'overwrite', titles.folderInTheWay, /A folder already exists in Dropbox at "\/d\/a"/],
    [
      'file_ancestor',
      'skip',
      titles.fileInTheWay,
      /A file exists in Dropbox where a folder above "\/d\/a" should be/,
    ],
    ['file', 'fail', titles.fileExists, /"\/d\/a" already exists in Dropbox and "if-exists" is "fail"/],
    ['file', 'skip', titles.fileExists, /with "if-exists: skip" it was left as it is/],
    ['file', 'rename', titles.fileExists, /could not pick a new name/],
    ['file', 'overwrite', titles.fileExists, /Dropbox refused to overwrite "\/d\/a"/],
    ['file', undefined, titles.fileExists, /^"\/d\/a" already exists in Dropbox\. To replace it/],
  ])('%s with if-exists %s', (kind, ifExists, title, message) => {
    const explanation = explainConflict(kind, {
      dropboxPath: '/d/a',
      ...(ifExists === undefined ? {} : { ifExists }),
    });
    expect(explanation.title).toBe(title);
    expect(explanation.scope).toBe('file');
    expect(explanation.message).toMatch(message);
  });
});
