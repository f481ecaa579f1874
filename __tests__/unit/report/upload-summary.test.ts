import { describe, expect, test } from '@jest/globals';
import type { FileResult, UploadOutcome } from '../../../src/model.ts';
import { renderMarkdown, SUMMARY_ROW_LIMIT } from '../../../src/report/markdown.ts';
import { uploadSummary } from '../../../src/report/upload-summary.ts';
import { mixedResults, result } from '../../support/results.ts';

function markdownOf(results: FileResult[], outcome: Partial<UploadOutcome> = {}, elapsedMs = 2000): string {
  return renderMarkdown(
    uploadSummary(
      { dryRun: false, destination: '/d', results, annotations: [], failures: [], ...outcome },
      elapsedMs,
    ),
  );
}

describe('uploadSummary: retention and dry run', () => {
  const destination = '/backups/site-2026-11-23T10-15-00Z';

  test('the deleted folders are listed; nothing about retention when it is off', () => {
    const pruned = ['/backups/site-2026-11-01T02-00-00Z', '/backups/a_b'];
    expect(markdownOf(mixedResults, { destination, pruned })).toContain(
      '**Retention deleted:** 2 folder(s)\n\n- /backups/site-2026-11-01T02-00-00Z\n- /backups/a\\_b\n',
    );
    expect(markdownOf(mixedResults, { destination, pruned: [] })).toContain('**Retention deleted:** nothing');
    expect(markdownOf(mixedResults, { destination })).not.toContain('Retention');
  });

  test('a dry run says the connection works, and what a real run would do', () => {
    const markdown = markdownOf(mixedResults, { destination, pruned: ['/backups/old'], dryRun: true });
    expect(markdown).toContain(
      '## Dropbox upload (dry run)\n\nDestination: /backups/site-2026-11-23T10-15-00Z\n',
    );
    expect(markdown).toContain('**The connection works:** Dropbox accepted the credentials');
    expect(markdown).toContain('nothing was uploaded or deleted');
    expect(markdown).toContain('| 🔍 Would upload |');
    expect(markdown).toContain('| ⏭️ Would skip (already exists) |');
    expect(markdown).toContain('| ❌ Would fail: Dropbox is out of space |');
    expect(markdown).toContain('**Would upload:** 2 (3.0 MiB) · **Would skip:** 1 · **Would fail:** 1');
    expect(markdown).toContain('**Retention would delete:** 1 folder(s)\n\n- /backups/old\n');
    expect(markdown).not.toMatch(/✅ Uploaded|\*\*Uploaded:\*\*/);
  });

  test('a dry run stopped by its credentials does not say the connection works', () => {
    const stoppedBy = {
      title: 'Dropbox refresh token rejected',
      message: 'x',
      scope: 'credentials',
    } as const;
    const markdown = markdownOf([], { dryRun: true, stoppedBy });
    expect(markdown).not.toContain('The connection works');
    expect(markdown).toContain('**Stopped:** Dropbox refresh token rejected');
  });

  test('a real run does not claim to be a dry run', () => {
    expect(markdownOf(mixedResults, { destination })).not.toMatch(/dry run|Would/);
  });
});

describe('uploadSummary', () => {
  const markdown = markdownOf(mixedResults);

  test('heading, destination and table header', () => {
    expect(markdown).toContain('## Dropbox upload\n\nDestination: /d\n');
    expect(markdown).toContain('| Local path | Dropbox path | Size | Status |\n| --- | --- | ---: | --- |');
  });

  test.each([
    [
      'failed rows first, with the error title',
      '| dist/big.iso | /d/big.iso | 5.0 MiB | ❌ Failed: Dropbox is out of space |',
    ],
    ['uploaded', '| dist/app.js | /d/app.js | 2.0 KiB | ✅ Uploaded |'],
    ['unicode kept', '| dist/résumé ü/файл 名.txt | /d/résumé ü/файл 名.txt | 3.0 MiB | ✅ Uploaded |'],
    [
      'pipes and markdown escaped, skip reason shown',
      '| dist/a\\|b \\*c\\*.txt | /d/a\\|b \\*c\\*.txt | 10 B | ⏭️ Skipped (already exists) |',
    ],
    ['totals', '**Uploaded:** 2 (3.0 MiB) · **Skipped:** 1 · **Failed:** 1'],
    ['elapsed and throughput', '**Elapsed:** 2.0 s · **Throughput:** 2.00 MiB/s (4.0 MiB sent)'],
  ])('%s', (_name, line) => {
    expect(markdown).toContain(line);
  });

  test('failed rows come before the others, and every row has exactly four cells', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| dist/'));
    expect(rows[0]).toContain('big.iso');
    expect(rows).toHaveLength(4);
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.split(/(?<!\\)\|/).length - 2).toBe(4);
    }
  });

  test('hostile names stay in their cell: no forged row, link or command', () => {
    const hostile = result({
      shownPath: 'x\n::error::forged | www.evil.test http://evil.test.txt',
      dropboxPath: '/d/x\n::error::forged | www.evil.test http://evil.test.txt',
    });
    const rows = markdownOf([hostile])
      .split('\n')
      .filter((line) => line.startsWith('| x'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('x\\\\n::error::forged \\| www\\.evil.test http\\://evil.test.txt');
    expect(rows[0]!.split(/(?<!\\)\|/).length - 2).toBe(4);
  });

  test(`more than ${SUMMARY_ROW_LIMIT} files: the first ${SUMMARY_ROW_LIMIT} rows and a note`, () => {
    const many = Array.from({ length: 1234 }, (_, i) =>
      result({ shownPath: `f${i}.txt`, dropboxPath: `/d/f${i}.txt`, size: 1 }),
    );
    many.push(result({ shownPath: 'bad.txt', dropboxPath: '/d/bad.txt', status: 'failed' }));
    const big = markdownOf(many, {}, 1);
    const rows = big.split('\n').filter((line) => /^\| (f\d+|bad)\.txt /.test(line));
    expect(rows).toHaveLength(SUMMARY_ROW_LIMIT);
    expect(rows[0]).toContain('bad.txt');
    expect(big).toContain(
      '_Showing the first 500 of 1235 files (735 left out); the "files" and "files-json" outputs list them all._',
    );
  });

  test('with shared links: a fifth column with the link', () => {
    const linked = [
      result({
        shownPath: 'a.txt',
        dropboxPath: '/d/a.txt',
        sharedLink: 'https://www.dropbox.com/s/x/a.txt?dl=0',
      }),
    ];
    expect(markdownOf(linked)).toContain(
      '| a.txt | /d/a.txt | 0 B | ✅ Uploaded | [link](https://www.dropbox.com/s/x/a.txt?dl=0) |',
    );
  });

  test('no files', () => {
    const empty = markdownOf([], { destination: '' }, 0);
    expect(empty).toContain('Destination: /\n');
    expect(empty).toContain('No files were uploaded.');
    expect(empty).not.toContain('| Local path');
    expect(empty).toContain('**Throughput:** n/a');
  });
});
