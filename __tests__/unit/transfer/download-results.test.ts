/** The restore's log lines: what happened to each file and empty folder, and in a dry run what would. */
import type { DownloadResult, FolderResult } from '../../../src/model.ts';
import { downloadResultLine, folderResultLine } from '../../../src/transfer/download-results.ts';

const base: Omit<DownloadResult, 'status'> = {
  dropboxPath: '/b/x.bin',
  localPath: '/w/out/x.bin',
  relativePath: 'x.bin',
  shownPath: 'out/x.bin',
  size: 2048,
  contentHash: 'h',
  bytesReceived: 0,
};

test('downloadResultLine names the Dropbox path and where it went locally', () => {
  expect(downloadResultLine({ ...base, status: 'downloaded' })).toBe(
    'downloaded /b/x.bin → out/x.bin (2.0 KiB)',
  );
  expect(downloadResultLine({ ...base, status: 'downloaded' }, true)).toBe(
    'would download /b/x.bin → out/x.bin (2.0 KiB)',
  );
  expect(downloadResultLine({ ...base, status: 'skipped', reason: 'unchanged' })).toBe(
    'skipped /b/x.bin: unchanged',
  );
  expect(
    downloadResultLine(
      { ...base, status: 'failed', error: { title: 'Runner disk full', message: '', scope: 'file' } },
      true,
    ),
  ).toBe('would FAIL /b/x.bin: Runner disk full');
});

test('folderResultLine', () => {
  const folder: Omit<FolderResult, 'status'> = {
    dropboxPath: '/b/empty',
    localPath: '/w/out/empty',
    relativePath: 'empty',
    shownPath: 'out/empty',
  };
  expect(folderResultLine({ ...folder, status: 'created' })).toBe(
    'created empty folder /b/empty → out/empty/',
  );
  expect(folderResultLine({ ...folder, status: 'created' }, true)).toBe(
    'would create empty folder /b/empty → out/empty/',
  );
  expect(folderResultLine({ ...folder, status: 'exists' })).toBe(
    'empty folder /b/empty → out/empty/ is already there',
  );
  expect(
    folderResultLine({
      ...folder,
      status: 'failed',
      error: { title: 'Local path in the way', message: '', scope: 'file' },
    }),
  ).toBe('FAILED /b/empty: Local path in the way');
});
