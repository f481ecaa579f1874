import { InputError, readInputs, secretInputNames } from '../../../src/inputs/inputs.ts';
import { ACCESS, inputErrorOf, inputs } from '../../support/inputs.ts';

const base = { path: 'dist/**', 'access-token': ACCESS };

const errorOf = (values: Record<string, string>): InputError => inputErrorOf(readInputs, values);

describe('readInputs defaults', () => {
  test('empty inputs take the documented defaults', () => {
    expect(readInputs(inputs(base))).toEqual({
      patterns: ['dist/**'],
      destination: '',
      credentials: { kind: 'access-token', accessToken: ACCESS },
      ifNoFilesFound: 'warn',
      includeHiddenFiles: false,
      followSymbolicLinks: true,
      ifExists: 'overwrite',
      chunkSizeBytes: 16 * 1024 * 1024,
      concurrency: 8,
      maxAttempts: 5,
      requestTimeoutSeconds: 300,
      namespace: { kind: 'home' },
      sharedLinks: false,
      skipUnchanged: true,
      retention: {},
      dryRun: false,
    });
  });

  test('secretInputNames lists the four credential inputs', () => {
    expect([...secretInputNames].sort()).toEqual(['access-token', 'app-key', 'app-secret', 'refresh-token']);
  });
});

describe('path', () => {
  test.each([
    ['one pattern', 'dist/**', ['dist/**']],
    [
      'lines trimmed, empty lines dropped',
      '  dist/*.zip  \n\n\tout/report.txt\n',
      ['dist/*.zip', 'out/report.txt'],
    ],
    ['CRLF line ends', 'a/**\r\nb/**\r\n', ['a/**', 'b/**']],
    ['excludes kept as written', 'dist/**\n!dist/**/*.map', ['dist/**', '!dist/**/*.map']],
    ['unicode and spaces', 'résumé ü/файл 名.txt', ['résumé ü/файл 名.txt']],
  ])('%s', (_name, path, expected) => {
    expect(readInputs(inputs({ ...base, path })).patterns).toEqual(expected);
  });

  test.each([
    ['missing', '', /Input "path" is required/],
    ['only blank lines', '\n  \n', /Input "path" is required/],
    ['only excludes', '!dist/**', /Input "path" is "!dist\/\*\*"; it needs at least one pattern/],
    ['only comments and excludes', '# comment\n!x', /Input "path" is .*at least one pattern/],
  ])('%s is an error', (_name, path, message) => {
    expect(errorOf({ ...base, path }).message).toMatch(message);
  });
});

describe('scheduled backups: placeholders, skip-unchanged, keep-last, dry-run', () => {
  test.each([
    ['/backups/{repo}/{datetime}', '/backups/{repo}/{datetime}'],
    ['backups/site-{date}_{time}/', '/backups/site-{date}_{time}'],
    [
      '/{owner}/{ref}/{sha}/{short-sha}/{run-number}.{run-attempt}',
      '/{owner}/{ref}/{sha}/{short-sha}/{run-number}.{run-attempt}',
    ],
  ])('destination %j keeps its placeholders for the run to resolve: %j', (destination, expected) => {
    expect(readInputs(inputs({ ...base, destination })).destination).toBe(expected);
  });

  test.each([
    [
      '/backups/{build}',
      /^Input "destination" is "\/backups\/\{build\}"; \{build\} is not a placeholder; the placeholders are \{date\}/,
    ],
    ['/backups/{date', /^Input "destination" is "\/backups\/\{date"; the "\{" at position 10 is not closed/],
    ['/backups/date}', /^Input "destination" is "\/backups\/date\}"; the "\}" at position 14 closes no "\{"/],
  ])('destination %j is an error', (destination, message) => {
    expect(errorOf({ ...base, destination }).message).toMatch(message);
  });

  test.each([
    ['skip-unchanged', 'false', { skipUnchanged: false }],
    ['skip-unchanged', 'TRUE', { skipUnchanged: true }],
    ['dry-run', 'true', { dryRun: true }],
    ['dry-run', 'False', { dryRun: false }],
  ])('%s: %j', (name, value, expected) => {
    expect(readInputs(inputs({ ...base, [name]: value }))).toMatchObject(expected);
  });

  test.each([
    ['skip-unchanged', 'no', 'Input "skip-unchanged" is "no"; it must be true or false.'],
    ['dry-run', 'yes', 'Input "dry-run" is "yes"; it must be true or false.'],
  ])('%s %j is an error', (name, value, message) => {
    expect(errorOf({ ...base, [name]: value }).message).toBe(message);
  });

  test.each([
    ['/backups/site-{datetime}', '14', 14],
    ['/backups/{repo}/{date}', '1', 1],
    ['/backups/{time}-nightly', ' 3 ', 3],
    ['/backups/site', '0', 0],
    ['/', '', 0],
  ])('keep-last with destination %j: %j → %i', (destination, keepLast, expected) => {
    expect(readInputs(inputs({ ...base, destination, 'keep-last': keepLast })).retention.last ?? 0).toBe(
      expected,
    );
  });

  test.each([
    [
      '/backups/site-{datetime}',
      '-1',
      /^Input "keep-last" is "-1"; it must be a whole number from 0 to 10000\.$/,
    ],
    ['/backups/site-{datetime}', 'all', /^Input "keep-last" is "all"; it must be a whole number/],
    ['/backups/site-{datetime}', '10001', /^Input "keep-last" is "10001"/],
    [
      '/backups/site',
      '14',
      /^Input "keep-last" is "14"; it needs a date or time placeholder \(\{date\}, \{time\} or \{datetime\}\) in the last folder of "destination", which is "\/backups\/site"/,
    ],
    ['/backups/{datetime}/site', '14', /^Input "keep-last" is "14"; it needs a date or time placeholder/],
    ['/backups/{repo}', '2', /^Input "keep-last" is "2"; it needs a date or time placeholder/],
    ['', '2', /which is "\/"/],
  ])('keep-last with destination %j: %j is an error', (destination, keepLast, message) => {
    expect(errorOf({ ...base, destination, 'keep-last': keepLast }).message).toMatch(message);
  });
});

describe('team spaces and shared links: namespace, select-user, shared-links', () => {
  test.each([
    ['', { kind: 'home' }],
    ['home', { kind: 'home' }],
    ['TEAM', { kind: 'team' }],
    [' team ', { kind: 'team' }],
    ['3235641', { kind: 'id', id: '3235641' }],
  ])('namespace %j', (namespace, expected) => {
    expect(readInputs(inputs({ ...base, namespace })).namespace).toEqual(expected);
  });

  test.each([
    [
      'root',
      /^Input "namespace" is "root"; it must be home \(your own folder\), team \(the team space root\) or a namespace id \(digits only/,
    ],
    ['ns:3235641', /Leave out the "ns:" prefix: "3235641"\.$/],
    ['-1', /^Input "namespace" is "-1"/],
    ['12 34', /^Input "namespace" is "12 34"/],
  ])('namespace %j is an error', (namespace, message) => {
    expect(errorOf({ ...base, namespace }).message).toMatch(message);
  });

  test.each([
    ['', undefined],
    ['  ', undefined],
    ['dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc', 'dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc'],
    [' dbmid:abc_DEF-1 \n', 'dbmid:abc_DEF-1'],
  ])('select-user %j', (selectUser, expected) => {
    expect(readInputs(inputs({ ...base, 'select-user': selectUser })).selectUser).toBe(expected);
  });

  test.each(['dbid:AAH4f99T0taONIb', 'AAH4f99T0taONIb', 'dbmid:', 'dbmid:a b'])(
    'select-user %j is an error',
    (value) => {
      expect(errorOf({ ...base, 'select-user': value }).message).toMatch(
        new RegExp(
          `^Input "select-user" is ${JSON.stringify(value).replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}; it must be a team member id such as dbmid:`,
        ),
      );
    },
  );

  test.each([
    ['', false],
    ['true', true],
    ['False', false],
  ])('shared-links %j', (value, expected) => {
    expect(readInputs(inputs({ ...base, 'shared-links': value })).sharedLinks).toBe(expected);
  });

  test('shared-links must be a boolean', () => {
    expect(errorOf({ ...base, 'shared-links': 'yes' }).message).toBe(
      'Input "shared-links" is "yes"; it must be true or false.',
    );
  });
});

describe('retention: keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly', () => {
  test.each([
    [
      '/backups/site-{datetime}',
      { 'keep-daily': '7', 'keep-weekly': '4', 'keep-monthly': '12' },
      { daily: 7, weekly: 4, monthly: 12 },
    ],
    ['/backups/site-{date}', { 'keep-yearly': '3', 'keep-last': '2' }, { last: 2, yearly: 3 }],
    ['/backups/{date}/{time}', { 'keep-hourly': '24' }, { hourly: 24 }],
    ['/backups/site', { 'keep-daily': '0' }, {}],
  ])('%j with %j', (destination, keep, expected) => {
    expect(readInputs(inputs({ ...base, destination, ...keep })).retention).toEqual(expected);
  });

  test.each([
    [
      '/backups/site-{date}',
      'keep-hourly',
      '24',
      /^Input "keep-hourly" is "24"; it needs a time placeholder \(\{time\} or \{datetime\}\)/,
    ],
    [
      '/backups/{date}/{time}',
      'keep-daily',
      '7',
      /^Input "keep-daily" is "7"; it needs a date placeholder \(\{date\} or \{datetime\}\) in the last folder/,
    ],
    ['/backups/site', 'keep-monthly', '12', /^Input "keep-monthly" is "12"; it needs a date placeholder/],
    [
      '/backups/site-{date}',
      'keep-weekly',
      '-1',
      /^Input "keep-weekly" is "-1"; it must be a whole number from 0 to 10000\./,
    ],
    ['/backups/site-{date}', 'keep-yearly', '10001', /^Input "keep-yearly" is "10001"/],
  ])(
    '%j with %s: %j is an error naming the rule and the placeholder it needs',
    (destination, name, value, message) => {
      expect(errorOf({ ...base, destination, [name]: value }).message).toMatch(message);
    },
  );
});
