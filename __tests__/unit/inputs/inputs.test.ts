import { InputError, readInputs, secretInputNames } from '../../../src/inputs/inputs.ts';

const ACCESS = 'sl.u.AFakeAccessToken0123456789abcdefXYZ';
const REFRESH = 'FakeRefreshToken0123456789abcdefghijklmnop';
const KEY = 'fakeappkey01234';
const SECRET = 'fakeappsecret98';

/** A getInput over a plain record; unset inputs read as '' like the runner gives. */
function inputs(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? '';
}

const base = { path: 'dist/**', 'access-token': ACCESS };

function errorOf(values: Record<string, string>): InputError {
  try {
    readInputs(inputs(values));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('readInputs did not throw');
}

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

describe('destination', () => {
  test.each([
    ['', ''],
    ['/', ''],
    ['  /  ', ''],
    ['backups', '/backups'],
    ['/backups', '/backups'],
    ['/backups/', '/backups'],
    ['backups/site/', '/backups/site'],
    ['/Apps/My App/résumé ü/файл 名', '/Apps/My App/résumé ü/файл 名'],
    ['/a b/ c ', '/a b/ c'],
  ])('%j → %j', (destination, expected) => {
    expect(readInputs(inputs({ ...base, destination })).destination).toBe(expected);
  });

  test.each([
    [
      'backslash',
      'backups\\site',
      /Input "destination" is "backups\\\\site"; Dropbox paths separate folders with "\/"/,
    ],
    ['empty segment', '/a//b', /Input "destination" is "\/a\/\/b"; it has an empty folder name/],
    ['double slash', '//', /Input "destination" is "\/\/"; it has an empty folder name/],
    ['dot segment', '/a/./b', /"\." is not allowed as a folder name/],
    ['dot-dot segment', '../b', /"\.\." is not allowed as a folder name/],
    ['tab', '/a\tb', /Input "destination" is "\/a\\tb"; it contains a control character/],
    ['line break inside', '/a\nb', /control character/],
    ['whitespace only', '   ', /Input "destination" is " {3}"; it must be a Dropbox folder path/],
  ])('%s is an error', (_name, destination, message) => {
    expect(errorOf({ ...base, destination }).message).toMatch(message);
  });
});

describe('credentials', () => {
  test.each([
    ['access token', { 'access-token': ACCESS }, { kind: 'access-token', accessToken: ACCESS }],
    [
      'access token, surrounding whitespace trimmed',
      { 'access-token': `  ${ACCESS}\n` },
      { kind: 'access-token', accessToken: ACCESS },
    ],
    [
      'refresh token with key and secret',
      { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET },
      {
        kind: 'refresh-token',
        refreshToken: REFRESH,
        appKey: KEY,
        appSecret: SECRET,
        accessTokenIgnored: false,
      },
    ],
    [
      'refresh token with key only (PKCE)',
      { 'refresh-token': REFRESH, 'app-key': KEY },
      { kind: 'refresh-token', refreshToken: REFRESH, appKey: KEY, accessTokenIgnored: false },
    ],
    [
      'both kinds: refresh token wins',
      { 'access-token': ACCESS, 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET },
      {
        kind: 'refresh-token',
        refreshToken: REFRESH,
        appKey: KEY,
        appSecret: SECRET,
        accessTokenIgnored: true,
      },
    ],
    [
      'access token with a stray app key',
      { 'access-token': ACCESS, 'app-key': KEY },
      { kind: 'access-token', accessToken: ACCESS },
    ],
  ])('%s', (_name, credentialInputs, expected) => {
    expect(readInputs(inputs({ path: 'a', ...credentialInputs })).credentials).toEqual(expected);
  });

  test.each([
    [
      'none',
      {},
      'No Dropbox credentials: set "refresh-token" with "app-key" and "app-secret" (recommended), or "access-token". ' +
        `See the README's "Credentials" section.`,
    ],
    [
      'refresh token without app key',
      { 'refresh-token': REFRESH, 'app-secret': SECRET },
      /Input "app-key" is empty/,
    ],
    ['app key and secret alone', { 'app-key': KEY, 'app-secret': SECRET }, /Input "refresh-token" is empty/],
    ['app secret alone', { 'app-secret': SECRET }, /Input "refresh-token" is empty/],
    [
      'access token with a space inside',
      { 'access-token': 'sl.abc def' },
      /Input "access-token" \(hidden\) contains/,
    ],
    [
      'access token pasted over two lines',
      { 'access-token': `${ACCESS}\n${ACCESS}` },
      /Input "access-token"/,
    ],
    [
      'refresh token with a space inside',
      { 'refresh-token': `${REFRESH} x`, 'app-key': KEY },
      /Input "refresh-token" \(hidden\)/,
    ],
    [
      'app secret with a tab inside',
      { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': 'ab\tcd' },
      /"app-secret"/,
    ],
  ])('%s is an error', (_name, credentialInputs, message) => {
    expect(errorOf({ path: 'a', ...credentialInputs }).message).toMatch(message);
  });

  test('no message ever contains a credential value', () => {
    const bad: Record<string, string>[] = [
      { 'access-token': `${ACCESS} tail` },
      { 'refresh-token': `${REFRESH}\nmore`, 'app-key': KEY },
      { 'refresh-token': REFRESH, 'app-secret': SECRET },
      { 'app-key': KEY, 'app-secret': SECRET },
      { 'access-token': ACCESS, 'refresh-token': REFRESH, 'app-key': `${KEY} x` },
    ];
    for (const credentialInputs of bad) {
      const message = errorOf({ path: 'a', ...credentialInputs }).message;
      for (const secret of [ACCESS, REFRESH, KEY, SECRET, 'tail', 'more'])
        expect(message).not.toContain(secret);
    }
  });
});

describe('credential characters: only visible ASCII can be in a token, key or secret', () => {
  const refresh = { 'refresh-token': REFRESH, 'app-key': KEY, 'app-secret': SECRET };

  test.each<[string, Record<string, string>, string, string, number]>([
    [
      'a zero-width space pasted inside',
      { 'refresh-token': `${REFRESH.slice(0, 10)}\u200b${REFRESH.slice(10)}` },
      'refresh-token',
      'U+200B (a zero-width space)',
      11,
    ],
    [
      'a zero-width space at the end (trim keeps it)',
      { 'access-token': `${ACCESS}\u200b` },
      'access-token',
      'U+200B (a zero-width space)',
      ACCESS.length + 1,
    ],
    ['a space inside', { 'access-token': 'sl.abc def' }, 'access-token', 'U+0020 (a space)', 7],
    ['a tab inside', { 'app-secret': 'ab\tcd' }, 'app-secret', 'U+0009 (a tab)', 3],
    [
      'a line break inside',
      { 'refresh-token': `${REFRESH}\n${REFRESH}` },
      'refresh-token',
      'U+000A (a line break)',
      REFRESH.length + 1,
    ],
    ['a carriage return inside', { 'app-key': 'abc\rdef' }, 'app-key', 'U+000D (a carriage return)', 4],
    ['a no-break space inside', { 'app-key': 'abc\u00a0def' }, 'app-key', 'U+00A0 (a no-break space)', 4],
    [
      'a line separator inside',
      { 'access-token': 'sl.a\u2028b' },
      'access-token',
      'U+2028 (a line separator)',
      5,
    ],
    ['a NUL', { 'app-secret': 'a\u0000b' }, 'app-secret', 'U+0000 (a control character)', 2],
    ['DEL', { 'app-secret': 'ab\u007f' }, 'app-secret', 'U+007F (a control character)', 3],
    [
      'a C1 control (NEL), which trim keeps',
      { 'app-secret': `${SECRET}\u0085` },
      'app-secret',
      'U+0085 (a control character)',
      SECRET.length + 1,
    ],
    [
      'a typographic quote around it',
      { 'app-key': `\u201c${KEY}\u201d` },
      'app-key',
      'U+201C (a typographic quote)',
      1,
    ],
    ['an accented letter', { 'app-key': 'cl\u00e9' }, 'app-key', 'U+00E9 (a non-ASCII character)', 3],
    [
      'an emoji counts as one character',
      { 'app-key': 'ab\u{1F600}c\u200b' },
      'app-key',
      'U+1F600 (a non-ASCII character)',
      3,
    ],
    ['a soft hyphen', { 'refresh-token': `ab\u00adcd` }, 'refresh-token', 'U+00AD (a soft hyphen)', 3],
  ])('%s', (_name, given, input, character, position) => {
    const message = errorOf({ path: 'a', ...refresh, ...given }).message;
    expect(message).toContain(`Input "${input}" (hidden) contains a character that cannot be in it: `);
    expect(message).toContain(`${character} at character ${position} (after trimming)`);
    const value = given[input]!;
    expect(message).not.toContain(value.trim());
    for (const part of value.split(/[^\x21-\x7e]+/).filter((piece) => piece.length >= 3)) {
      expect(message).not.toContain(part);
    }
  });

  test.each<[string, string]>([
    ['spaces and line breaks around it', `  \n${REFRESH} \r\n`],
    ['a byte order mark in front (trim removes it)', `\ufeff${REFRESH}`],
    ['a no-break space at the end (trim removes it)', `${REFRESH}\u00a0`],
  ])('%s is still trimmed and accepted', (_name, value) => {
    const credentials = readInputs(inputs({ path: 'a', ...refresh, 'refresh-token': value })).credentials;
    expect(credentials).toMatchObject({ kind: 'refresh-token', refreshToken: REFRESH });
  });

  test('every visible ASCII character is accepted', () => {
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) =>
      String.fromCharCode(0x21 + index),
    ).join('');
    expect(readInputs(inputs({ path: 'a', 'access-token': visible })).credentials).toEqual({
      kind: 'access-token',
      accessToken: visible,
    });
  });

  test('the check runs on every credential input, even one that is then ignored', () => {
    const message = errorOf({ path: 'a', ...refresh, 'access-token': `${ACCESS}\u200b` }).message;
    expect(message).toContain('Input "access-token" (hidden)');
  });
});

describe('choices and booleans', () => {
  test.each([
    ['if-no-files-found', 'error', { ifNoFilesFound: 'error' }],
    ['if-no-files-found', 'IGNORE', { ifNoFilesFound: 'ignore' }],
    ['if-no-files-found', ' Warn ', { ifNoFilesFound: 'warn' }],
    ['if-exists', 'skip', { ifExists: 'skip' }],
    ['if-exists', 'Rename', { ifExists: 'rename' }],
    ['if-exists', 'FAIL', { ifExists: 'fail' }],
    ['include-hidden-files', 'true', { includeHiddenFiles: true }],
    ['include-hidden-files', 'True', { includeHiddenFiles: true }],
    ['include-hidden-files', 'TRUE', { includeHiddenFiles: true }],
    ['follow-symbolic-links', 'false', { followSymbolicLinks: false }],
    ['follow-symbolic-links', 'False', { followSymbolicLinks: false }],
    ['follow-symbolic-links', 'FALSE', { followSymbolicLinks: false }],
  ])('%s: %j', (name, value, expected) => {
    expect(readInputs(inputs({ ...base, [name]: value }))).toMatchObject(expected);
  });

  test.each([
    [
      'if-no-files-found',
      'fail',
      'Input "if-no-files-found" is "fail"; it must be one of warn, error, ignore.',
    ],
    [
      'if-exists',
      'replace',
      'Input "if-exists" is "replace"; it must be one of overwrite, skip, rename, fail.',
    ],
    ['include-hidden-files', 'yes', 'Input "include-hidden-files" is "yes"; it must be true or false.'],
    ['follow-symbolic-links', 'tRUE', 'Input "follow-symbolic-links" is "tRUE"; it must be true or false.'],
    ['follow-symbolic-links', '1', 'Input "follow-symbolic-links" is "1"; it must be true or false.'],
  ])('%s %j is an error', (name, value, message) => {
    expect(errorOf({ ...base, [name]: value }).message).toBe(message);
  });
});

describe('numbers', () => {
  test.each([
    ['chunk-size', '4', { chunkSizeBytes: 4 * 1048576 }],
    ['chunk-size', '148', { chunkSizeBytes: 148 * 1048576 }],
    ['chunk-size', ' 32 ', { chunkSizeBytes: 32 * 1048576 }],
    ['concurrency', '1', { concurrency: 1 }],
    ['concurrency', '64', { concurrency: 64 }],
    ['max-attempts', '1', { maxAttempts: 1 }],
    ['max-attempts', '20', { maxAttempts: 20 }],
    ['request-timeout', '1', { requestTimeoutSeconds: 1 }],
    ['request-timeout', '3600', { requestTimeoutSeconds: 3600 }],
    ['request-timeout', ' 30 ', { requestTimeoutSeconds: 30 }],
  ])('%s %j', (name, value, expected) => {
    expect(readInputs(inputs({ ...base, [name]: value }))).toMatchObject(expected);
  });

  const chunkRule = 'it must be a multiple of 4 from 4 to 148 (MiB).';
  const concurrencyRule = 'it must be a whole number from 1 to 64.';
  const attemptsRule = 'it must be a whole number from 1 to 20.';
  const timeoutRule = 'it must be a whole number of seconds from 1 to 3600.';
  test.each([
    ['chunk-size', '10', chunkRule],
    ['chunk-size', '0', chunkRule],
    ['chunk-size', '152', chunkRule],
    ['chunk-size', '1.5', chunkRule],
    ['chunk-size', '8x', chunkRule],
    ['chunk-size', ' ', chunkRule],
    ['chunk-size', '-4', chunkRule],
    ['chunk-size', '0x10', chunkRule],
    ['chunk-size', '16MiB', chunkRule],
    ['concurrency', '0', concurrencyRule],
    ['concurrency', '65', concurrencyRule],
    ['concurrency', '-1', concurrencyRule],
    ['concurrency', '1e1', concurrencyRule],
    ['max-attempts', '21', attemptsRule],
    ['max-attempts', '2.0', attemptsRule],
    ['max-attempts', '\t', attemptsRule],
    ['request-timeout', '0', timeoutRule],
    ['request-timeout', '3601', timeoutRule],
    ['request-timeout', '30s', timeoutRule],
    ['request-timeout', '1.5', timeoutRule],
  ])('%s %j is an error', (name, value, rule) => {
    expect(errorOf({ ...base, [name]: value }).message).toBe(
      `Input "${name}" is ${JSON.stringify(value)}; ${rule}`,
    );
  });

  test('the example message from the brief', () => {
    expect(errorOf({ ...base, 'chunk-size': '10' }).message).toBe(
      'Input "chunk-size" is "10"; it must be a multiple of 4 from 4 to 148 (MiB).',
    );
  });
});

test('the first problem is the one reported', () => {
  expect(errorOf({ path: 'a', destination: 'a\\b', 'chunk-size': '3' }).message).toMatch(/"destination"/);
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
