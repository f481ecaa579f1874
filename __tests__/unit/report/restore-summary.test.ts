/** The restore's summary as data: source and folder, a row per file (failed first), folders, totals, time. */
import { describe, expect, test } from '@jest/globals';
import type { FolderResult } from '../../../src/model.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { restoreSummary } from '../../../src/report/restore-summary.ts';
import type { SummaryBlock, SummaryTable } from '../../../src/report/summary.ts';
import { renderText } from '../../../src/report/text.ts';
import {
  downloadResult as result,
  folderResult as folder,
  restoreOutcome as outcome,
} from '../../support/restore-results.ts';

const HOSTILE = 'a\n::error::forged | *b* ü 名.txt';
const stoppedBy = { title: 'Restore source not found in Dropbox', message: '…', scope: 'file' as const };

function tableOf(blocks: readonly SummaryBlock[]): SummaryTable | undefined {
  return blocks.find((block): block is SummaryTable => block.kind === 'table');
}

describe('restoreSummary', () => {
  test('a table of files, failed first; empty folders; totals; hostile names stay text', () => {
    const results = [
      result('ok.txt', 'downloaded'),
      result('pipe|name.txt', 'failed'),
      result('\n::error::x', 'skipped', { reason: 'unchanged' }),
    ];
    const model = restoreSummary(
      outcome({ results, folders: [folder('empty', 'created'), folder('blocked', 'failed')] }),
      2000,
    );
    const markdown = renderMarkdown(model);
    expect(markdown).toContain('## Dropbox restore\n');
    expect(markdown).toContain('| Dropbox path | Local path | Size | Status |');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| /b') || line.startsWith('| \\/b'));
    expect(rows[0]).toContain('pipe\\|name.txt');
    expect(rows[0]).toContain('❌ Failed: Runner disk full');
    expect(markdown).not.toMatch(/^::error::/m);
    expect(markdown).toContain('\\n::error::x');
    expect(markdown).toContain('out/empty/ (created)');
    expect(markdown).toContain('out/blocked/ ❌ failed: Local path in the way');
    expect(markdown).toContain('**Downloaded:** 1 (100 B) · **Skipped:** 1 · **Failed:** 1');
    expect(markdown).toContain('**Elapsed:** 2.0 s');
    for (const line of renderText(model)) expect(line).not.toMatch(/^\s*::/);
  });

  test('a dry run says so and what a real run would do', () => {
    const markdown = renderMarkdown(
      restoreSummary(outcome({ dryRun: true, results: [result('a', 'downloaded')] }), 10),
    );
    expect(markdown).toContain('## Dropbox restore (dry run)');
    expect(markdown).toContain('🔍 Would download');
    expect(markdown).toContain('Nothing was downloaded or written on the runner');
    expect(markdown).toContain('**Would download:** 1 (100 B) · **Would skip:** 0 · **Would fail:** 0');
  });

  test.each([
    ['a real run', false, '## Dropbox restore\n'],
    ['a dry run, which then claims nothing about the credentials', true, '## Dropbox restore (dry run)\n'],
  ])('a stopped run: %s', (_what, dryRun, heading) => {
    const markdown = renderMarkdown(restoreSummary(outcome({ dryRun, stoppedBy }), 10));
    expect(markdown).toContain(heading);
    expect(markdown).toContain('**Stopped:** Restore source not found in Dropbox');
    expect(markdown).not.toContain('Dropbox accepted the credentials');
    expect(markdown).toContain('No files were restored.');
  });

  test.each([
    ['the root, resolved to ""', '', 'Source: / · Into: /w/out'],
    ['a folder', '/Backups/app', 'Source: /Backups/app · Into: /w/out'],
  ])('source: %s', (_what, source, line) => {
    expect(renderMarkdown(restoreSummary(outcome({ source }), 10))).toContain(line);
  });

  test('the source and the folder are outside text', () => {
    const model = restoreSummary(outcome({ source: `/b/${HOSTILE}`, target: `/w/${HOSTILE}` }), 10);
    const paragraph = model.blocks[1];
    expect(paragraph).toEqual({
      kind: 'paragraph',
      parts: [
        { text: 'Source: ' },
        { data: `/b/${HOSTILE}` },
        { text: ' · Into: ' },
        { data: `/w/${HOSTILE}` },
      ],
    });
    const markdown = renderMarkdown(model);
    expect(markdown).not.toMatch(/^::error::/m);
    expect(markdown).toContain('\\| \\*b\\* ü 名.txt');
  });

  test.each<[FolderResult['status'], boolean, string]>([
    ['created', false, 'out/e/ (created)'],
    ['created', true, 'out/e/ (would be created)'],
    ['exists', false, 'out/e/ (already there)'],
    ['exists', true, 'out/e/ (already there)'],
    ['failed', false, 'out/e/ ❌ failed: Local path in the way'],
    ['failed', true, 'out/e/ ❌ would fail: Local path in the way'],
  ])('an empty folder %s (dry run: %s)', (status, dryRun, shown) => {
    const markdown = renderMarkdown(restoreSummary(outcome({ dryRun, folders: [folder('e', status)] }), 10));
    expect(markdown).toContain('**Empty folders:** 1');
    expect(markdown).toContain(shown);
  });

  test('a hostile folder name and error title are data', () => {
    const blocked: FolderResult = {
      ...folder(HOSTILE, 'failed'),
      error: { title: HOSTILE, message: '', scope: 'file' },
    };
    const model = restoreSummary(outcome({ folders: [blocked] }), 10);
    const list = model.blocks.find((block) => block.kind === 'list');
    expect(list).toEqual({
      kind: 'list',
      items: [[{ data: `out/${HOSTILE}/` }, { text: ' ❌ failed: ' }, { data: HOSTILE }]],
    });
  });

  test('rows: failed first, every file counted, the first 500 kept as cells', () => {
    const results = Array.from({ length: 600 }, (_, index) =>
      result(`f${index}`, index === 599 ? 'failed' : 'downloaded'),
    );
    const table = tableOf(restoreSummary(outcome({ results }), 10).blocks);
    expect(table?.rowCount).toBe(600);
    expect(table?.rows).toHaveLength(500);
    expect(table?.rows[0]?.[0]).toEqual([{ data: '/b/f599' }]);
    expect(table?.everyRowIn).toBe('the "files" and "files-json" outputs list them all');
  });

  test('throughput counts what came over the wire, retries included', () => {
    const markdown = renderMarkdown(
      restoreSummary(
        outcome({ results: [result('a', 'downloaded', { size: 1000, bytesReceived: 2048 })] }),
        1000,
      ),
    );
    expect(markdown).toMatch(/\*\*Throughput:\*\* .+ \(2\.0 KiB received\)/);
    expect(markdown).toContain('**Downloaded:** 1 (1000 B)');
  });
});
