import { isIncluded, parseIncludePatterns } from '../../../src/plan/include-patterns.ts';
import { PlanError } from '../../../src/plan/plan.ts';

describe('isIncluded', () => {
  test.each<[string, string[], string, boolean]>([
    ['no patterns: everything', [], 'a/b/c.txt', true],
    ['blank lines only: everything', ['', '  '], 'x.bin', true],
    ['a top-level glob', ['*.sql'], 'dump.sql', true],
    ['a top-level glob does not reach into folders', ['*.sql'], 'old/dump.sql', false],
    ['** reaches into folders', ['**/*.sql'], 'old/deep/dump.sql', true],
    ['** matches the top level too', ['**/*.sql'], 'dump.sql', true],
    ['a folder name takes in everything under it', ['db'], 'db/2026/x.bin', true],
    ['a folder glob takes in everything under it', ['d*'], 'db/2026/x.bin', true],
    ['a trailing slash is the same folder', ['db/'], 'db/x.bin', true],
    ['a leading ./ or / is dropped', ['./db', '/logs'], 'logs/a.txt', true],
    ['not matched is left out', ['db/**'], 'web/index.html', false],
    ['* matches a dot file, as the upload patterns do', ['*'], '.env', true],
    ['** matches inside dot folders', ['**'], '.github/workflows/ci.yml', true],
    ['an explicit dot pattern still matches', ['.env'], '.env', true],
    ['.* matches dot files', ['.*'], '.npmrc', true],
    ['.* does not match other files', ['.*'], 'npmrc', false],
    ['letter case is ignored', ['DB/*.SQL'], 'db/Dump.sql', true],
    ['unicode and spaces', ['résumé */**'], 'Résumé 2026/notes.txt', true],
    ['an exclude after an include', ['**', '!**/*.log'], 'app/debug.log', false],
    ['an exclude leaves the rest', ['**', '!**/*.log'], 'app/main.js', true],
    ['only excludes start from everything', ['!**/*.log'], 'app/main.js', true],
    ['only excludes still exclude', ['!**/*.log'], 'app/x.log', false],
    ['a later include wins over an earlier exclude', ['!logs', 'logs/keep.txt'], 'logs/keep.txt', true],
    ['a later exclude wins over an earlier include', ['logs/keep.txt', '!logs'], 'logs/keep.txt', false],
    ['an excluded folder takes its contents out', ['**', '!node_modules'], 'node_modules/x/index.js', false],
    ['? is one character', ['file?.txt'], 'file1.txt', true],
    ['character classes', ['[ab].txt'], 'b.txt', true],
    ['braces', ['{db,web}/**'], 'web/index.html', true],
  ])('%s', (_name, lines, relativePath, expected) => {
    expect(isIncluded(relativePath, parseIncludePatterns(lines))).toBe(expected);
  });
});

describe('parseIncludePatterns', () => {
  test('keeps the order, the lines as written, and which exclude', () => {
    expect(
      parseIncludePatterns(['  db/** ', '', '!**/*.log']).map(({ exclude, written }) => [exclude, written]),
    ).toEqual([
      [false, 'db/**'],
      [true, '!**/*.log'],
    ]);
  });

  test.each([
    ['!', /names nothing/],
    ['! ', /names nothing/],
    ['./', /names nothing/],
    ['../secrets', /leaves "source"/],
    ['a/../../b', /leaves "source"/],
    ['!../x', /leaves "source"/],
  ])('%j is a PlanError naming the line', (line, message) => {
    expect(() => parseIncludePatterns([line])).toThrow(PlanError);
    expect(() => parseIncludePatterns([line])).toThrow(message);
    expect(() => parseIncludePatterns([line])).toThrow(`"${line.trim()}"`);
  });
});
