import { describe, expect, test } from '@jest/globals';
import { escapeMarkdown, linkCell, renderMarkdown, SUMMARY_ROW_LIMIT } from '../../../src/report/markdown.ts';
import {
  data,
  MOST_ROWS_SHOWN,
  strong,
  tableRows,
  text,
  type SummaryModel,
  type SummaryTable,
} from '../../../src/report/summary.ts';

describe('escapeMarkdown', () => {
  test.each([
    ['a|b.txt', 'a\\|b.txt'],
    ['*bold* _it_ `code`', '\\*bold\\* \\_it\\_ \\`code\\`'],
    [
      '[link](x) <b> ~~s~~ $x$ @me #1 a&b',
      '\\[link\\]\\(x\\) \\<b\\> \\~\\~s\\~\\~ \\$x\\$ \\@me \\#1 a\\&b',
    ],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\\\nlines'],
    ['résumé ü/файл 名.txt', 'résumé ü/файл 名.txt'],
    ['www.example.com.txt', 'www\\.example.com.txt'],
    ['WWW.x.org', 'WWW\\.x.org'],
    ['see http://x.test/a', 'see http\\://x.test/a'],
    ['https://evil.test', 'https\\://evil.test'],
    ['a: b', 'a: b'],
  ])('escapeMarkdown(%j) = %j', (outside, expected) => {
    expect(escapeMarkdown(outside)).toBe(expected);
  });

  test('no escaped text can link, format or break a table', () => {
    const shown = escapeMarkdown('x|y www.evil.test http://evil.test [a](b) <img> `c`\n| row |');
    expect(shown).not.toMatch(/(?<!\\)\||www\.|(?<!\\):\/\/|(?<!\\)[[`<]|\n/);
  });
});

describe('linkCell', () => {
  test.each([
    ['https://www.dropbox.com/s/abc/a%20b.txt?dl=0', '[link](https://www.dropbox.com/s/abc/a%20b.txt?dl=0)'],
    [
      'https://www.dropbox.com/s/abc/a(1).txt?dl=0',
      '[link](https://www.dropbox.com/s/abc/a%281%29.txt?dl=0)',
    ],
    ['javascript:alert(1)', 'javascript:alert\\(1\\)'],
    ['https://x.test/a b', 'https\\://x.test/a b'],
  ])('linkCell(%j) = %j', (url, expected) => {
    expect(linkCell(url)).toBe(expected);
  });
});

describe('renderMarkdown', () => {
  const table = (rows: number, cell = 'f'): SummaryModel => ({
    blocks: [
      { kind: 'heading', text: 'Dropbox upload' },
      { kind: 'paragraph', parts: [text('Destination: '), data('/d')] },
      {
        kind: 'table',
        columns: [{ title: 'Name' }, { title: 'Size', align: 'right' }],
        rows: Array.from({ length: rows }, (_, i) => [[data(`${cell}${i}`)], [text('1 B')]]),
        rowNoun: 'files',
        everyRowIn: 'the outputs list them all',
      },
      { kind: 'paragraph', parts: [strong('Uploaded:'), text(` ${rows}`)] },
      { kind: 'list', items: [[data('/old_1')], [data('/old 2')]] },
    ],
  });

  test('blocks, escaped data, a blank line after a table and a list', () => {
    expect(renderMarkdown(table(2))).toBe(
      [
        '## Dropbox upload',
        '',
        'Destination: /d',
        '',
        '| Name | Size |',
        '| --- | ---: |',
        '| f0 | 1 B |',
        '| f1 | 1 B |',
        '',
        '**Uploaded:** 2',
        '',
        '- /old\\_1',
        '- /old 2',
        '',
        '',
      ].join('\n'),
    );
  });

  test(`at most ${SUMMARY_ROW_LIMIT} rows, and a note that says how many were left out`, () => {
    const markdown = renderMarkdown(table(1234));
    expect(markdown.split('\n').filter((line) => /^\| f\d+ \|/.test(line))).toHaveLength(SUMMARY_ROW_LIMIT);
    expect(markdown).toContain(
      '_Showing the first 500 of 1234 files (734 left out); the outputs list them all._',
    );
    expect(markdown).toContain('**Uploaded:** 1234');
  });

  test('within the byte limit, counted in UTF-8 bytes: long multi-byte names take fewer rows', () => {
    const maxBytes = 20_000;
    const name = 'файл'.repeat(100);
    const markdown = renderMarkdown(table(400, name), { maxRows: 500, maxBytes });
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(maxBytes);
    const shown = markdown.split('\n').filter((line) => line.startsWith(`| ${name}`)).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(400);
    expect(markdown).toContain(`of 400 files (${400 - shown} left out)`);
    expect(markdown).toContain('**Uploaded:** 400');
  });

  test('a table built from many items keeps the rows shown and counts the rest', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `f${i}`);
    const built = tableRows(items, (item) => [[data(item)], [text('1 B')]]);
    expect(built.rows).toHaveLength(MOST_ROWS_SHOWN);
    const model = table(0);
    model.blocks[2] = { ...(model.blocks[2] as SummaryTable), ...built };
    const markdown = renderMarkdown(model);
    expect(markdown.split('\n').filter((line) => /^\| f\d+ \|/.test(line))).toHaveLength(SUMMARY_ROW_LIMIT);
    expect(markdown).toContain(
      '_Showing the first 500 of 100000 files (99500 left out); the outputs list them all._',
    );
  });

  test('the default limit keeps a 100,000-row summary under 1 MiB', () => {
    const markdown = renderMarkdown(table(100_000, 'a-rather-long-file-name-'.repeat(10)));
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThan(1024 * 1024);
  });
});
