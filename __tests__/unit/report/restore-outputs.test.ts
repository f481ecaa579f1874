/** The restore's outputs: counts and bytes, the source and the folder, and the `files` list. */
import { describe, expect, test } from '@jest/globals';
import type { DownloadResult } from '../../../src/model.ts';
import {
  restoreFileEntry,
  restoreOutputs,
  restoreTotals,
  type RestoreTotals,
} from '../../../src/report/restore-outputs.ts';
import { downloadResult as result } from '../../support/restore-results.ts';

const HOSTILE = 'a\n::error::forged | *b* ü 名.txt';

describe('restoreTotals', () => {
  test.each<[string, DownloadResult[], RestoreTotals]>([
    ['nothing', [], { downloaded: 0, skipped: 0, failed: 0, downloadedBytes: 0, receivedBytes: 0 }],
    [
      'one of each',
      [result('a', 'downloaded'), result('b', 'skipped'), result('c', 'failed')],
      { downloaded: 1, skipped: 1, failed: 1, downloadedBytes: 100, receivedBytes: 100 },
    ],
    [
      'bytes received count retries and failed files; bytes downloaded only the files restored',
      [
        result('a', 'downloaded', { size: 1000, bytesReceived: 1500 }),
        result('b', 'failed', { size: 4000, bytesReceived: 700 }),
        result('c', 'skipped', { size: 9000 }),
      ],
      { downloaded: 1, skipped: 1, failed: 1, downloadedBytes: 1000, receivedBytes: 2200 },
    ],
  ])('%s', (_what, results, expected) => {
    expect(restoreTotals(results)).toEqual(expected);
  });
});

describe('restoreFileEntry', () => {
  test.each<[string, DownloadResult, object]>([
    [
      'downloaded',
      result('a', 'downloaded'),
      { dropboxPath: '/b/a', path: 'out/a', size: 100, contentHash: 'h-a', status: 'downloaded' },
    ],
    [
      'skipped, with its reason',
      result('b', 'skipped', { reason: 'unchanged' }),
      {
        dropboxPath: '/b/b',
        path: 'out/b',
        size: 100,
        contentHash: 'h-b',
        status: 'skipped',
        reason: 'unchanged',
      },
    ],
    [
      'failed, with its explanation',
      result('c', 'failed'),
      {
        dropboxPath: '/b/c',
        path: 'out/c',
        size: 100,
        contentHash: 'h-c',
        status: 'failed',
        error: 'Runner disk full: Free space.',
      },
    ],
    [
      'a hostile name, kept exactly',
      result(HOSTILE, 'downloaded'),
      {
        dropboxPath: `/b/${HOSTILE}`,
        path: `out/${HOSTILE}`,
        size: 100,
        contentHash: `h-${HOSTILE}`,
        status: 'downloaded',
      },
    ],
  ])('%s', (_what, downloaded, expected) => {
    const entry = restoreFileEntry(downloaded);
    expect(entry).toEqual(expected);
    // In the order restore/action.yml documents.
    expect(Object.keys(entry)).toEqual(Object.keys(expected));
  });
});

describe('restoreOutputs', () => {
  test('counts, the source and the folder, and the files', () => {
    const results = [
      result('a', 'downloaded'),
      result('b', 'skipped', { reason: 'unchanged' }),
      result('c', 'failed'),
    ];
    const { outputs, filesLeftOut } = restoreOutputs(results, '/b', '/w/out');
    expect(filesLeftOut).toBe(0);
    expect(outputs).toEqual({
      'downloaded-count': '1',
      'skipped-count': '1',
      'failed-count': '1',
      'downloaded-bytes': '100',
      source: '/b',
      path: '/w/out',
      files: outputs['files'],
    });
    // Uncut, the list keeps plan order.
    expect(JSON.parse(outputs['files'] ?? '')).toEqual(results.map(restoreFileEntry));
  });

  test.each([
    ['the root, resolved to ""', '', '/'],
    ['a folder', '/Backups/app', '/Backups/app'],
    ['outside text', HOSTILE, HOSTILE],
  ])('source: %s', (_what, source, shown) => {
    expect(restoreOutputs([], source, '/w/out').outputs['source']).toBe(shown);
  });

  test('no files: zeros and an empty list', () => {
    expect(restoreOutputs([], '/b', '/w').outputs).toMatchObject({
      'downloaded-count': '0',
      'downloaded-bytes': '0',
      files: '[]',
    });
  });

  test('hostile names stay on one line of JSON and come back whole', () => {
    const { outputs } = restoreOutputs([result(HOSTILE, 'downloaded')], '/b', `/w/${HOSTILE}`);
    expect(outputs['files']).not.toContain('\n');
    expect(outputs['path']).toBe(`/w/${HOSTILE}`);
    expect((JSON.parse(outputs['files'] ?? '') as { path: string }[])[0]?.path).toBe(`out/${HOSTILE}`);
  });

  test('over 1 MB the list is cut, failed files first, and says how many it left out', () => {
    const long = 'x'.repeat(400);
    const results = Array.from({ length: 3000 }, (_, index) =>
      result(`${long}-${index}`, index === 2999 ? 'failed' : 'downloaded'),
    );
    const { outputs, filesLeftOut } = restoreOutputs(results, '/b', '/w/out');
    const files = JSON.parse(outputs['files'] ?? '') as { status: string }[];
    expect(files[0]?.status).toBe('failed');
    expect(Buffer.byteLength(outputs['files'] ?? '')).toBeLessThan(1_000_000);
    expect(filesLeftOut).toBeGreaterThan(0);
    expect(files.length + filesLeftOut).toBe(3000);
    expect(outputs['downloaded-count']).toBe('2999');
  });
});
