import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import { hashLocalFiles, planDryRun, type LocalHash } from '../../../src/backups/dry-run-plan.ts';
import type { Explanation, IfExists, PlannedFile } from '../../../src/model.ts';
import type { RemoteEntry } from '../../../src/dropbox/listing.ts';
import { RemoteIndex } from '../../../src/transfer/decide.ts';

const SAME = 'same-hash';
const unreadable: Explanation = { title: 'Could not read local file', message: 'gone', scope: 'file' };

function planned(relativePath: string): PlannedFile {
  return {
    localPath: `/w/${relativePath}`,
    shownPath: relativePath,
    relativePath,
    dropboxPath: `/d/${relativePath}`,
    size: 3,
  };
}

function remoteFile(pathLower: string, contentHash: string): RemoteEntry {
  return {
    kind: 'file',
    name: path.posix.basename(pathLower),
    pathLower,
    pathDisplay: pathLower,
    contentHash,
  };
}

function remoteFolder(pathLower: string): RemoteEntry {
  return { kind: 'folder', name: path.posix.basename(pathLower), pathLower, pathDisplay: pathLower };
}

const remote = new RemoteIndex([
  remoteFile('/d/same.txt', SAME),
  remoteFile('/d/changed.txt', 'old-hash'),
  remoteFolder('/d/folder.txt'),
  remoteFile('/d/blocker', 'x'),
]);

const files = ['new.txt', 'same.txt', 'changed.txt', 'folder.txt', 'blocker/inner.txt', 'unreadable.txt'].map(
  planned,
);

const localHashes = new Map<string, LocalHash>([
  ['/w/new.txt', { contentHash: 'new-hash' }],
  ['/w/same.txt', { contentHash: SAME }],
  ['/w/changed.txt', { contentHash: 'new-hash' }],
  ['/w/folder.txt', { contentHash: 'f' }],
  ['/w/blocker/inner.txt', { contentHash: 'i' }],
  ['/w/unreadable.txt', { error: unreadable }],
]);

function decisions(ifExists: IfExists, skipUnchanged: boolean): string[] {
  return planDryRun({ files, remote, localHashes, skipUnchanged, ifExists }).map((result) =>
    [result.status, result.reason ?? result.error?.title ?? ''].join(' ').trim(),
  );
}

describe('planDryRun', () => {
  test.each<[IfExists, boolean, string[]]>([
    [
      'overwrite',
      true,
      [
        'uploaded',
        'skipped unchanged',
        'uploaded',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
    [
      'overwrite',
      false,
      [
        'uploaded',
        'uploaded',
        'uploaded',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
    [
      'skip',
      true,
      [
        'uploaded',
        'skipped unchanged',
        'skipped already exists',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
    [
      'skip',
      false,
      [
        'uploaded',
        'skipped already exists',
        'skipped already exists',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
    [
      'fail',
      true,
      [
        'uploaded',
        'skipped unchanged',
        'failed File already exists in Dropbox',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
    [
      'rename',
      false,
      [
        'uploaded',
        'uploaded',
        'uploaded',
        'failed Folder in the way in Dropbox',
        'failed File in the way in Dropbox',
        'failed Could not read local file',
      ],
    ],
  ])('if-exists: %s, skip-unchanged: %s', (ifExists, skipUnchanged, expected) => {
    expect(decisions(ifExists, skipUnchanged)).toEqual(expected);
  });

  test('the explanation of an existing file under if-exists: fail is the one a real run gives', () => {
    const [, , changed] = planDryRun({ files, remote, localHashes, skipUnchanged: false, ifExists: 'fail' });
    expect(changed?.error?.message).toMatch(
      /"\/d\/changed.txt" already exists in Dropbox and "if-exists" is "fail"/,
    );
  });

  test('nothing counts as sent, and local hashes are reported', () => {
    const results = planDryRun({ files, remote, localHashes, skipUnchanged: true, ifExists: 'overwrite' });
    expect(results.every((result) => result.bytesSent === 0)).toBe(true);
    expect(results.map((result) => result.contentHash)).toEqual(['new-hash', SAME, 'new-hash', 'f', 'i', '']);
  });

  test('Dropbox paths are compared without letter case', () => {
    const upper = { ...planned('SAME.TXT'), localPath: '/w/same.txt' };
    const [result] = planDryRun({
      files: [upper],
      remote,
      localHashes,
      skipUnchanged: true,
      ifExists: 'overwrite',
    });
    expect(result?.reason).toBe('unchanged');
  });
});

describe('hashLocalFiles', () => {
  test('Dropbox content hashes of readable files; an explanation for the others', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dry-run-'));
    try {
      await writeFile(path.join(dir, 'a.txt'), 'abc');
      const readable: PlannedFile = { ...planned('a.txt'), localPath: path.join(dir, 'a.txt') };
      const missing: PlannedFile = { ...planned('b.txt'), localPath: path.join(dir, 'b.txt') };
      const hashes = await hashLocalFiles([readable, missing], 4 * 1024 * 1024, 8);
      expect(hashes.get(readable.localPath)).toEqual({
        contentHash: contentHashOfBuffer(Buffer.from('abc')),
      });
      const failure = hashes.get(missing.localPath);
      expect(failure !== undefined && 'error' in failure ? failure.error.title : '').toBe(
        'Could not read local file',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
