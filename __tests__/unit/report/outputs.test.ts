import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import {
  fileEntry,
  filesJsonWithin,
  totals,
  uploadOutputs,
  writeFilesJson,
} from '../../../src/report/outputs.ts';
import { HASH, mixedResults, result } from '../../support/results.ts';

const MIB = 1024 * 1024;

describe('totals and outputs', () => {
  test('totals counts statuses and sums uploaded sizes only', () => {
    expect(totals(mixedResults, 1234)).toEqual({
      uploaded: 2,
      skipped: 1,
      failed: 1,
      uploadedBytes: 2048 + 3 * MIB,
      elapsedMs: 1234,
    });
  });

  test('uploadOutputs', () => {
    const { outputs, filesLeftOut } = uploadOutputs(mixedResults, '/d');
    expect(filesLeftOut).toBe(0);
    expect(outputs).toMatchObject({
      'uploaded-count': '2',
      'skipped-count': '1',
      'failed-count': '1',
      'uploaded-bytes': String(2048 + 3 * MIB),
      destination: '/d',
      pruned: '[]',
    });
    expect(JSON.parse(outputs['files'] ?? '')).toEqual([
      { path: 'dist/app.js', dropboxPath: '/d/app.js', size: 2048, contentHash: HASH, status: 'uploaded' },
      {
        path: 'dist/résumé ü/файл 名.txt',
        dropboxPath: '/d/résumé ü/файл 名.txt',
        size: 3 * MIB,
        contentHash: HASH,
        status: 'uploaded',
      },
      {
        path: 'dist/a|b *c*.txt',
        dropboxPath: '/d/a|b *c*.txt',
        size: 10,
        contentHash: HASH,
        status: 'skipped',
        reason: 'already exists',
      },
      {
        path: 'dist/big.iso',
        dropboxPath: '/d/big.iso',
        size: 5 * MIB,
        contentHash: HASH,
        status: 'failed',
        error: 'Dropbox is out of space: Dropbox has no room for "/d/big.iso". Free up space.',
      },
    ]);
  });

  test.each([
    ['', '/'],
    ['/', '/'],
    ['/a/b', '/a/b'],
  ])('destination output for %j is %j', (destination, expected) => {
    expect(uploadOutputs([], destination).outputs['destination']).toBe(expected);
  });

  test('pruned: a JSON array of the deleted paths', () => {
    const pruned = ['/backups/site-2026-11-01T02-00-00Z', '/backups/site-2026-11-02T02-00-00Z'];
    expect(JSON.parse(uploadOutputs([], '/backups', pruned).outputs['pruned'] ?? '')).toEqual(pruned);
  });
});

describe('filesJsonWithin: GitHub limits an output to 1 MB', () => {
  const many = Array.from({ length: 50 }, (_, i) =>
    result({ shownPath: `f${i}.txt`, dropboxPath: `/d/f${i}.txt`, size: i }),
  );
  const failed = result({ shownPath: 'bad.txt', dropboxPath: '/d/bad.txt', status: 'failed' });

  test('uncut: every entry, in plan order', () => {
    expect(filesJsonWithin([...many, failed], fileEntry)).toEqual({
      json: JSON.stringify([...many, failed].map(fileEntry)),
      leftOut: 0,
    });
  });

  test('cut: within the bytes, failed entries first, whole entries only, and a count of the rest', () => {
    const cut = filesJsonWithin([...many, failed], fileEntry, 2000);
    expect(Buffer.byteLength(cut.json, 'utf8')).toBeLessThanOrEqual(2000);
    const kept = JSON.parse(cut.json) as { path: string }[];
    expect(kept[0]?.path).toBe('bad.txt');
    expect(kept.length + cut.leftOut).toBe(51);
    expect(cut.leftOut).toBeGreaterThan(0);
  });

  test('100,000 files stay under 1 MB', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) =>
      result({ shownPath: `out/file-${i}.bin`, dropboxPath: `/backups/out/file-${i}.bin` }),
    );
    const { json, leftOut } = filesJsonWithin(huge, fileEntry);
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(1_000_000);
    expect(leftOut).toBeGreaterThan(90_000);
  });
});

describe('writeFilesJson: every entry, in plan order, written in parts', () => {
  test.each([0, 1, 999, 1000, 1001, 2500])('%d entries make one JSON array', async (count) => {
    const tempDir = await mkdtemp(path.join(os.tmpdir(), 'files-json-'));
    try {
      const items = Array.from({ length: count }, (_, i) =>
        result({ shownPath: `dir ü/f\n${i}.txt`, dropboxPath: `/d/f${i}.txt`, size: i }),
      );
      const file = await writeFilesJson(items, fileEntry, tempDir);
      expect(path.dirname(path.dirname(file))).toBe(tempDir);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(items.map(fileEntry));
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  });
});
