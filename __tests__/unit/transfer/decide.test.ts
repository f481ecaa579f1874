import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import type { IfExists } from '../../../src/model.ts';
import { decide, needsLocalHash, RemoteIndex, type RemoteState } from '../../../src/transfer/decide.ts';

const file = (contentHash?: string): RemoteState =>
  contentHash === undefined ? { kind: 'file' } : { kind: 'file', contentHash };

describe('decide: one decision per file, for the upload and the dry run', () => {
  test.each<[string, RemoteState, string | undefined, IfExists, boolean, ReturnType<typeof decide>]>([
    ['nothing there: send', { kind: 'nothing' }, 'h', 'fail', true, { action: 'send' }],
    [
      'same content, skip-unchanged: skip',
      file('h'),
      'h',
      'overwrite',
      true,
      { action: 'skip', reason: 'unchanged' },
    ],
    [
      'same content, skip-unchanged off: overwrite sends',
      file('h'),
      'h',
      'overwrite',
      false,
      { action: 'send' },
    ],
    ['other content, overwrite: send', file('old'), 'h', 'overwrite', true, { action: 'send' }],
    [
      'other content, rename: send (Dropbox picks a name)',
      file('old'),
      'h',
      'rename',
      true,
      { action: 'send' },
    ],
    [
      'other content, skip: skip as existing',
      file('old'),
      'h',
      'skip',
      true,
      { action: 'skip', reason: 'already exists' },
    ],
    ['other content, fail: refuse', file('old'), 'h', 'fail', true, { action: 'refuse', conflict: 'file' }],
    [
      'same content, fail, skip-unchanged: unchanged wins',
      file('h'),
      'h',
      'fail',
      true,
      { action: 'skip', reason: 'unchanged' },
    ],
    [
      'same content, fail, skip-unchanged off: refuse',
      file('h'),
      'h',
      'fail',
      false,
      { action: 'refuse', conflict: 'file' },
    ],
    [
      'a file of unknown content, skip: skip as existing',
      file(),
      undefined,
      'skip',
      true,
      { action: 'skip', reason: 'already exists' },
    ],
    [
      'a folder in the way: refuse, whatever if-exists',
      { kind: 'folder' },
      'h',
      'overwrite',
      true,
      { action: 'refuse', conflict: 'folder' },
    ],
    [
      'a folder in the way, skip: still refused',
      { kind: 'folder' },
      'h',
      'skip',
      true,
      { action: 'refuse', conflict: 'folder' },
    ],
    [
      'a file above the path: refuse',
      { kind: 'file-above' },
      'h',
      'rename',
      true,
      { action: 'refuse', conflict: 'file_ancestor' },
    ],
  ])('%s', (_name, remote, localHash, ifExists, skipUnchanged, expected) => {
    expect(decide(remote, localHash, { ifExists, skipUnchanged })).toEqual(expected);
  });

  test.each<[RemoteState, boolean, boolean]>([
    [file('h'), true, true],
    [file('h'), false, false],
    [file(), true, false],
    [{ kind: 'nothing' }, true, false],
    [{ kind: 'folder' }, true, false],
  ])('needsLocalHash(%j, skip-unchanged %s) = %s', (remote, skipUnchanged, expected) => {
    expect(needsLocalHash(remote, { skipUnchanged, ifExists: 'overwrite' })).toBe(expected);
  });
});

describe('RemoteIndex: a listing asked what is at a path', () => {
  const entry = (kind: 'file' | 'folder', pathLower: string, contentHash?: string): RemoteEntry => ({
    kind,
    name: path.posix.basename(pathLower),
    pathLower,
    pathDisplay: pathLower,
    ...(contentHash === undefined ? {} : { contentHash }),
  });
  const index = new RemoteIndex([
    entry('folder', '/d'),
    entry('file', '/d/a.txt', 'ha'),
    entry('folder', '/d/sub'),
    entry('file', '/d/blocker', 'hb'),
    entry('file', '/d/résumé ü.pdf', 'hr'),
  ]);

  test.each<[string, RemoteState]>([
    ['/d/a.txt', { kind: 'file', contentHash: 'ha' }],
    ['/D/A.TXT', { kind: 'file', contentHash: 'ha' }],
    ['/d/Résumé Ü.pdf', { kind: 'file', contentHash: 'hr' }],
    ['/d/sub', { kind: 'folder' }],
    ['/d/sub/new.txt', { kind: 'nothing' }],
    ['/d/blocker/inner.txt', { kind: 'file-above' }],
    ['/d/blocker/deeper/inner.txt', { kind: 'file-above' }],
    ['/elsewhere/x', { kind: 'nothing' }],
  ])('stateAt(%j)', (dropboxPath, expected) => {
    expect(index.stateAt(dropboxPath)).toEqual(expected);
  });

  test('counts the files it holds', () => {
    expect(index.fileCount).toBe(3);
  });
});
