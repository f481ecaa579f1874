import { describe, expect, test } from '@jest/globals';
import type { Explanation, PlannedFile } from '../../../src/model.ts';
import { failedResult, resultLine, skippedResult, uploadedResult } from '../../../src/report/file-results.ts';

const file: PlannedFile = {
  localPath: '/w/dist/a b.txt',
  shownPath: 'dist/a b.txt',
  relativePath: 'a b.txt',
  dropboxPath: '/d/a b.txt',
  size: 2048,
};
const refused: Explanation = { title: 'Name not allowed by Dropbox', message: 'm', scope: 'file' };

describe('the results every stage builds one way', () => {
  test('uploaded, where Dropbox says the file is', () => {
    expect(uploadedResult(file, 'h', 2048, '/D/A B.txt')).toEqual({
      localPath: '/w/dist/a b.txt',
      shownPath: 'dist/a b.txt',
      dropboxPath: '/D/A B.txt',
      size: 2048,
      contentHash: 'h',
      bytesSent: 2048,
      status: 'uploaded',
    });
  });

  test('skipped and failed carry why', () => {
    expect(skippedResult(file, 'h', 'unchanged')).toMatchObject({
      status: 'skipped',
      reason: 'unchanged',
      bytesSent: 0,
    });
    expect(failedResult(file, '', refused, 10)).toMatchObject({
      status: 'failed',
      error: refused,
      bytesSent: 10,
    });
  });

  test.each([
    [uploadedResult(file, 'h', 0), false, 'uploaded /d/a b.txt (2.0 KiB)'],
    [skippedResult(file, 'h', 'already exists'), false, 'skipped /d/a b.txt: already exists'],
    [failedResult(file, '', refused), false, 'FAILED /d/a b.txt: Name not allowed by Dropbox'],
    [uploadedResult(file, 'h', 0), true, 'would upload /d/a b.txt (2.0 KiB)'],
    [failedResult(file, '', refused), true, 'would FAIL /d/a b.txt: Name not allowed by Dropbox'],
  ])('resultLine %#', (result, dryRun, line) => {
    expect(resultLine(result, dryRun)).toBe(line);
  });
});
