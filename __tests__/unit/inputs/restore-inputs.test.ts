/**
 * The restore's inputs: its table shares the upload's rows, every value is checked before any request
 * with the upload's messages, and `source` is a Dropbox path whose placeholders this run can fill.
 */
import type { WorkflowContext } from '../../../src/backups/placeholders.ts';
import {
  readRestoreInputs,
  resolveRestoreSource,
  restoreInputDefaults,
  restoreInputs,
  restoreSecretInputNames,
} from '../../../src/inputs/restore-inputs.ts';
import { uploadInputs, uploadSecretInputNames } from '../../../src/inputs/upload-inputs.ts';
import { InputError } from '../../../src/inputs/values.ts';
import { ACCESS, inputErrorOf, inputs, REFRESH } from '../../support/inputs.ts';

const base = { source: '/backups/site', 'access-token': ACCESS };

const errorOf = (values: Record<string, string>): InputError => inputErrorOf(readRestoreInputs, values);

describe('the table', () => {
  test('the rows it shares with the upload are the upload’s own objects', () => {
    for (const name of [
      'access-token',
      'refresh-token',
      'app-key',
      'app-secret',
      'max-attempts',
      'namespace',
    ]) {
      const shared = restoreInputs.find((input) => input.name === name);
      expect([name, shared]).toEqual([name, uploadInputs.find((input) => input.name === name)]);
      expect(shared).toBe(uploadInputs.find((input) => input.name === name));
    }
  });

  test('rows whose words differ keep the upload’s default and kind', () => {
    for (const name of [
      'if-exists',
      'skip-unchanged',
      'chunk-size',
      'concurrency',
      'request-timeout',
      'dry-run',
    ]) {
      const restore = restoreInputs.find((input) => input.name === name);
      const upload = uploadInputs.find((input) => input.name === name);
      expect([name, restore && 'default' in restore ? restore.default : undefined]).toEqual([
        name,
        upload && 'default' in upload ? upload.default : undefined,
      ]);
      expect(restore?.description).not.toMatch(/upload/i);
    }
  });

  test('no restore description speaks of uploading', () => {
    for (const input of restoreInputs)
      if (!['access-token', 'refresh-token', 'app-key', 'app-secret'].includes(input.name))
        expect([input.name, /\bupload/i.test(input.description)]).toEqual([input.name, false]);
  });

  test('defaults and secrets come from the table', () => {
    expect(restoreInputDefaults).toEqual({
      path: '.',
      'if-exists': 'overwrite',
      'skip-unchanged': 'true',
      'chunk-size': '16',
      concurrency: '8',
      'max-attempts': '5',
      'request-timeout': '300',
      'dry-run': 'false',
      namespace: 'home',
    });
    expect(restoreSecretInputNames).toEqual(uploadSecretInputNames);
  });
});

describe('readRestoreInputs', () => {
  test('empty inputs take the documented defaults', () => {
    expect(readRestoreInputs(inputs(base))).toEqual({
      source: '/backups/site',
      path: '.',
      include: [],
      credentials: { kind: 'access-token', accessToken: ACCESS },
      ifExists: 'overwrite',
      skipUnchanged: true,
      chunkSizeBytes: 16 * 1024 * 1024,
      concurrency: 8,
      maxAttempts: 5,
      requestTimeoutSeconds: 300,
      namespace: { kind: 'home' },
      dryRun: false,
    });
  });

  test('every input read', () => {
    const read = readRestoreInputs(
      inputs({
        source: 'backups/{repo}/{datetime}/',
        path: '  restored/db  ',
        include: 'db/**\n\n!**/*.tmp\n',
        'refresh-token': REFRESH,
        'app-key': 'key',
        'app-secret': 'secret',
        'if-exists': 'FAIL',
        'skip-unchanged': 'false',
        'chunk-size': '32',
        concurrency: '2',
        'max-attempts': '9',
        'request-timeout': '60',
        'dry-run': 'true',
        namespace: 'team',
        'select-user': 'dbmid:abc',
      }),
    );
    expect(read).toMatchObject({
      source: '/backups/{repo}/{datetime}',
      path: 'restored/db',
      ifExists: 'fail',
      skipUnchanged: false,
      chunkSizeBytes: 32 * 1024 * 1024,
      concurrency: 2,
      maxAttempts: 9,
      requestTimeoutSeconds: 60,
      dryRun: true,
      namespace: { kind: 'team' },
      selectUser: 'dbmid:abc',
      credentials: { kind: 'refresh-token', refreshToken: REFRESH, appKey: 'key', appSecret: 'secret' },
    });
    expect(read.include.map((rule) => [rule.exclude, rule.written])).toEqual([
      [false, 'db/**'],
      [true, '!**/*.tmp'],
    ]);
  });

  test('the root as source', () => {
    expect(readRestoreInputs(inputs({ ...base, source: '/' })).source).toBe('');
  });

  test.each<[Record<string, string>, string, RegExp]>([
    [{ source: '' }, 'Input "source" is required', /such as \/backups\/site/],
    [{ source: '   ' }, 'Input "source" is "   "', /Dropbox folder or file path/],
    [{ source: '/a/../b' }, 'Input "source" is "/a/../b"', /"\.\." is not allowed/],
    [{ source: 'a\\b' }, 'Input "source" is "a\\\\b"', /separate folders with "\/"/],
    [{ source: '/b/{nope}' }, 'Input "source" is "/b/{nope}"', /\{nope\} is not a placeholder/],
    [{ source: '/b\n::error::x' }, 'Input "source" is "/b\\n::error::x"', /control character/],
    [{ path: '  ' }, 'Input "path" is "  "', /a local folder/],
    [{ path: 'out\tdir' }, 'Input "path" is "out\\tdir"', /control character/],
    [{ include: 'db/**\n../etc' }, 'Input "include" has the line "../etc"', /leaves "source"/],
    [{ include: '!' }, 'Input "include" has the line "!"', /names nothing/],
    [{ 'if-exists': 'rename' }, 'Input "if-exists" is "rename"', /one of overwrite, skip, fail\./],
    [{ 'skip-unchanged': 'yes' }, 'Input "skip-unchanged" is "yes"', /true or false/],
    [{ 'chunk-size': '10' }, 'Input "chunk-size" is "10"', /multiple of 4 from 4 to 148/],
    [{ concurrency: '0' }, 'Input "concurrency" is "0"', /from 1 to 64/],
    [{ 'max-attempts': '21' }, 'Input "max-attempts" is "21"', /from 1 to 20/],
    [{ 'request-timeout': '1.5' }, 'Input "request-timeout" is "1.5"', /seconds from 1 to 3600/],
    [{ 'dry-run': 'on' }, 'Input "dry-run" is "on"', /true or false/],
    [{ namespace: 'ns:12' }, 'Input "namespace" is "ns:12"', /Leave out the "ns:" prefix/],
    [{ 'select-user': 'bob' }, 'Input "select-user" is "bob"', /dbmid:/],
  ])('%j fails naming the input, the value and what is allowed', (bad, named, allowed) => {
    const error = errorOf({ ...base, ...bad });
    expect(error.message).toContain(named);
    expect(error.message).toMatch(allowed);
  });

  test('credentials: missing, or a secret pasted badly, with the upload’s messages and never the value', () => {
    expect(errorOf({ source: '/b' }).message).toMatch(/^No Dropbox credentials/);
    const pasted = errorOf({ source: '/b', 'access-token': `${ACCESS.slice(0, 5)}\u200b${ACCESS.slice(5)}` });
    expect(pasted.message).toContain('Input "access-token" (hidden)');
    expect(pasted.message).toContain('U+200B');
    expect(pasted.message).not.toContain(ACCESS.slice(5, 20));
  });
});

describe('resolveRestoreSource', () => {
  const context: WorkflowContext = { owner: 'acme', repo: 'shop', ref: 'refs/heads/main' };

  test('a plain path, and a series whose newest member is wanted', () => {
    expect(resolveRestoreSource('/backups/site', context)).toEqual({ kind: 'path', path: '/backups/site' });
    expect(resolveRestoreSource('/backups/{repo}/{datetime}', context)).toMatchObject({
      kind: 'newest',
      parent: '/backups/shop',
      pattern: '{datetime}',
    });
  });

  test.each([
    ['/backups/{repo}/{datetime}', {}, /needs GITHUB_REPOSITORY, which is not set/],
    ['/backups/site-{repo}', { owner: 'acme' }, /needs GITHUB_REPOSITORY, which is not set/],
    ['/backups/{date}/db', context, /\{date\} is above the last folder/],
  ])('%s is an input error naming "source" before any request', (source, given, message) => {
    const call = (): unknown => resolveRestoreSource(source, given);
    expect(call).toThrow(InputError);
    expect(call).toThrow(`Input "source" is "${source}"; `);
    expect(call).toThrow(message);
  });
});
