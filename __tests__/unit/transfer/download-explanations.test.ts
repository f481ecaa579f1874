import { DropboxResponseError } from 'dropbox';
import type { RestoreProblem, RestoreProblemReason } from '../../../src/model.ts';
import {
  DownloadHashMismatchError,
  LocalPathBlockedError,
  LocalWriteError,
  SourceChangedError,
  UnexpectedAnswerError,
} from '../../../src/transfer/download-errors.ts';
import {
  explainDownloadError,
  explainLocalFileExists,
  explainRestoreCancelled,
  explainRestoreProblem,
  restoreTitles,
} from '../../../src/transfer/download-explanations.ts';
import { headerSafeJson } from '../../../src/transfer/download-request.ts';

const where = { dropboxPath: '/backup/db.sql', localPath: '/work/out/db.sql' };

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: failed`), { code, syscall: 'write', path: '/work/out/.x.part' });
}

describe('explainDownloadError', () => {
  test.each<[string, unknown, string, RegExp]>([
    [
      'a full disk',
      new LocalWriteError(where.localPath, 'write', systemError('ENOSPC')),
      restoreTitles.diskFull,
      /disk is full \(ENOSPC\)/,
    ],
    [
      'a quota',
      new LocalWriteError(where.localPath, 'write', systemError('EDQUOT')),
      restoreTitles.diskFull,
      /EDQUOT/,
    ],
    [
      'no permission',
      new LocalWriteError(where.localPath, 'write', systemError('EACCES')),
      restoreTitles.noLocalPermission,
      /EACCES, while trying to write/,
    ],
    [
      'not permitted',
      new LocalWriteError(where.localPath, 'rename', systemError('EPERM')),
      restoreTitles.noLocalPermission,
      /EPERM, while trying to rename/,
    ],
    [
      'a read-only file system',
      new LocalWriteError(where.localPath, 'create folder', systemError('EROFS')),
      restoreTitles.noLocalPermission,
      /EROFS/,
    ],
    [
      'a name the OS refuses',
      new LocalWriteError(where.localPath, 'write', systemError('EINVAL')),
      restoreTitles.nameNotAllowed,
      /refused the name/,
    ],
    [
      'a name too long',
      new LocalWriteError(where.localPath, 'write', systemError('ENAMETOOLONG')),
      restoreTitles.nameNotAllowed,
      /ENAMETOOLONG/,
    ],
    [
      'another local failure',
      new LocalWriteError(where.localPath, 'write', systemError('EIO')),
      restoreTitles.localWriteFailed,
      /Could not write "\/work\/out\/db\.sql" \(EIO\)/,
    ],
    [
      'a folder in the way',
      new LocalPathBlockedError('/work/out/db.sql', 'folder', 'file'),
      restoreTitles.localPathBlocked,
      /a folder is at "\/work\/out\/db\.sql", where the restore needs a file/,
    ],
    [
      'a link in the way',
      new LocalPathBlockedError('/work/out/sub', 'symbolic link', 'folder'),
      restoreTitles.localPathBlocked,
      /never writes through a link/,
    ],
    [
      'bytes that never hash right',
      new DownloadHashMismatchError('/backup/db.sql', 'aa', 'bb', 2),
      restoreTitles.corrupted,
      /hash to bb, not to the content hash Dropbox lists \(aa\), on each of 2 downloads/,
    ],
    [
      'a changed file',
      new SourceChangedError('/backup/db.sql', { rev: '015a', size: 3 }, { rev: '015b', size: 4 }),
      restoreTitles.sourceChanged,
      /listed: revision 015a, 3 bytes; now: revision 015b, 4 bytes/,
    ],
    [
      'an answer out of protocol',
      new UnexpectedAnswerError('/backup/db.sql', 'HTTP 200 to a request for bytes 0-9, expected 206'),
      restoreTitles.unexpectedAnswer,
      /\(HTTP 200 to a request for bytes 0-9, expected 206\)/,
    ],
    [
      'a file gone since the listing',
      new DropboxResponseError(409, new Headers(), {
        error_summary: 'path/not_found/..',
        error: { '.tag': 'path', path: { '.tag': 'not_found' } },
      }),
      restoreTitles.sourceGone,
      /\(path\/not_found\)/,
    ],
    [
      'a file that can only be exported',
      new DropboxResponseError(409, new Headers(), {
        error_summary: 'unsupported_file/.',
        error: { '.tag': 'unsupported_file' },
      }),
      restoreTitles.notDownloadable,
      /can only be exported/,
    ],
    [
      'restricted content',
      new DropboxResponseError(409, new Headers(), {
        error: { '.tag': 'path', path: { '.tag': 'restricted_content' } },
      }),
      restoreTitles.notDownloadable,
      /restricted/,
    ],
  ])('%s', (_name, error, title, message) => {
    const explanation = explainDownloadError(error, where);
    expect(explanation.title).toBe(title);
    expect(explanation.message).toMatch(message);
    expect(explanation.scope).toBe('file');
  });

  test('a missing files.content.read scope is a credentials problem naming the scope', () => {
    const error = new DropboxResponseError(401, new Headers(), {
      error_summary: 'missing_scope/',
      error: { '.tag': 'missing_scope', required_scope: 'files.content.read' },
    });
    const explanation = explainDownloadError(error, where);
    expect(explanation.scope).toBe('credentials');
    expect(explanation.message).toContain('"files.content.read"');
  });

  test('a server failure keeps the shared explanation', () => {
    const explanation = explainDownloadError(new DropboxResponseError(503, new Headers(), ''), where);
    expect(explanation.title).toBe('Dropbox is failing (5XX)');
  });
});

describe('explainRestoreProblem', () => {
  const problem = (reason: RestoreProblemReason): RestoreProblem => ({
    kind: 'file',
    dropboxPath: '/s/a:b.txt',
    relativePath: 'a:b.txt',
    shownPath: 'a:b.txt',
    size: 1,
    contentHash: 'h',
    reason,
  });

  test.each<[RestoreProblemReason, string, RegExp]>([
    [
      { kind: 'reserved-character', name: 'a:b.txt', character: ':' },
      restoreTitles.nameNotAllowed,
      /holds ":"/,
    ],
    [
      { kind: 'reserved-character', name: 'a\nb', character: '\n' },
      restoreTitles.nameNotAllowed,
      /a control character \(U\+000A\)/,
    ],
    [{ kind: 'trailing-dot-or-space', name: 'x.' }, restoreTitles.nameNotAllowed, /ends in a dot or a space/],
    [
      { kind: 'reserved-name', name: 'NUL.txt', device: 'NUL' },
      restoreTitles.nameNotAllowed,
      /device name NUL/,
    ],
    [{ kind: 'name-too-long', name: 'x', limit: '255 bytes' }, restoreTitles.nameNotAllowed, /\(255 bytes\)/],
    [
      { kind: 'case-collision', others: ['/s/A:B.txt'] },
      restoreTitles.namesCollide,
      /"\/s\/a:b\.txt" and "\/s\/A:B\.txt" would be the same local path/,
    ],
    [{ kind: 'outside-target' }, restoreTitles.outsideTarget, /outside the restore folder/],
    [{ kind: 'not-downloadable' }, restoreTitles.notDownloadable, /can only export it/],
  ])('%j', (reason, title, message) => {
    const explanation = explainRestoreProblem(problem(reason));
    expect(explanation).toMatchObject({ title, scope: 'file' });
    expect(explanation.message).toMatch(message);
    expect(explanation.message).toContain('"include"');
  });
});

test('the restore-level explanations', () => {
  expect(explainRestoreCancelled().title).toBe(restoreTitles.cancelled);
  expect(explainLocalFileExists('/w/x', '/d/x').message).toContain('"if-exists" is "fail"');
});

test('every restore title is distinct', () => {
  const all = Object.values(restoreTitles);
  expect(new Set(all).size).toBe(all.length);
});

describe('headerSafeJson', () => {
  test.each([
    [{ path: '/a b/c.txt' }, '{"path":"/a b/c.txt"}'],
    [{ path: '/résumé' }, '{"path":"/r\\u00e9sum\\u00e9"}'],
    [{ path: '/日本' }, '{"path":"/\\u65e5\\u672c"}'],
    [{ path: '/😀' }, '{"path":"/\\ud83d\\ude00"}'],
    [{ path: '/del\u007f' }, '{"path":"/del\\u007f"}'],
    [{ path: '/line\nbreak' }, '{"path":"/line\\nbreak"}'],
  ])('%j → %s, and back', (value, expected) => {
    const json = headerSafeJson(value);
    expect(json).toBe(expected);
    expect(/^[\x20-\x7e]*$/.test(json)).toBe(true);
    expect(JSON.parse(json)).toEqual(value);
  });
});
