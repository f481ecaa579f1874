import { describe, expect, test } from '@jest/globals';
import { data, strong, text, type SummaryModel } from '../../../src/report/summary.ts';
import { displayWidth, renderText } from '../../../src/report/text.ts';

const files = (rows: [string, string][]): SummaryModel => ({
  blocks: [
    { kind: 'heading', text: 'Dropbox upload' },
    { kind: 'paragraph', parts: [text('Destination: '), data('/d')] },
    {
      kind: 'table',
      columns: [{ title: 'Local path' }, { title: 'Size', align: 'right' }, { title: 'Status' }],
      rows: rows.map(([name, size]) => [[data(name)], [text(size)], [text('✅ Uploaded')]]),
      rowNoun: 'files',
      everyRowIn: 'the outputs list them all',
    },
    { kind: 'paragraph', parts: [strong('Uploaded:'), text(` ${rows.length}`)] },
  ],
});

describe('renderText', () => {
  test('a heading, paragraphs, and a table in aligned columns (sizes to the right)', () => {
    expect(
      renderText(
        files([
          ['dist/app.js', '2.0 KiB'],
          ['dist/a.txt', '10 B'],
        ]),
      ),
    ).toEqual([
      'Dropbox upload',
      '==============',
      '',
      'Destination: /d',
      '',
      'Local path      Size  Status',
      '-----------  -------  -----------',
      'dist/app.js  2.0 KiB  ✅ Uploaded',
      'dist/a.txt      10 B  ✅ Uploaded',
      '',
      'Uploaded: 2',
    ]);
  });

  test('wide characters take two columns, accents one', () => {
    const lines = renderText(
      files([
        ['日本語/メモ.txt', '1 B'],
        ['résumé.txt', '1 B'],
      ]),
    );
    expect(lines.slice(5, 9)).toEqual([
      'Local path       Size  Status',
      '---------------  ----  -----------',
      '日本語/メモ.txt   1 B  ✅ Uploaded',
      'résumé.txt        1 B  ✅ Uploaded',
    ]);
    expect(displayWidth('日本語/メモ.txt')).toBe(15);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  test('hostile names stay on their row and cannot act: line breaks, escapes, commands', () => {
    const hostile = ['a\n::error::forged', '\u001b[31mred', '::add-mask::x', 'x\r::stop-commands::t', 'a|b'];
    const lines = renderText(files(hostile.map((name) => [name, '1 B'])));
    expect(lines).toHaveLength(11 + hostile.length - 2);
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(line).not.toMatch(/^\s*::/);
    }
    expect(lines).toContain('a\\n::error::forged      1 B  ✅ Uploaded');
    expect(lines).toContain('\\::add-mask::x          1 B  ✅ Uploaded');
  });

  test('a row whose first cell is empty cannot start a command with the next one', () => {
    const model: SummaryModel = {
      blocks: [
        {
          kind: 'table',
          columns: [{ title: 'A' }, { title: 'B' }],
          rows: [[[], [data('::error::x')]]],
          rowNoun: 'rows',
          everyRowIn: 'x',
        },
      ],
    };
    const row = renderText(model)[2] ?? '';
    expect(row).not.toMatch(/^\s*::/);
    expect(row).toContain('::error::x');
  });

  test('rows beyond the limit are left out with a note saying where every row is', () => {
    const many = Array.from({ length: 7 }, (_, index): [string, string] => [`f${index}`, '1 B']);
    const lines = renderText(files(many), { maxRows: 3, everyRowIn: '--json lists them all' });
    expect(lines.filter((line) => /^f\d/.test(line))).toEqual([
      'f0           1 B  ✅ Uploaded',
      'f1           1 B  ✅ Uploaded',
      'f2           1 B  ✅ Uploaded',
    ]);
    expect(lines).toContain('Showing the first 3 of 7 files (4 left out); --json lists them all.');
    expect(renderText(files(many), { maxRows: 3 })).toContain(
      'Showing the first 3 of 7 files (4 left out); the outputs list them all.',
    );
  });

  test('lists as dashes, cut the same way; a link cell as its URL', () => {
    const model: SummaryModel = {
      blocks: [
        { kind: 'list', items: [[data('/old 1')], [data('/old\n2')], [data('/old 3')]] },
        {
          kind: 'table',
          columns: [{ title: 'File' }, { title: 'Link' }],
          rows: [[[data('a')], { link: 'https://www.dropbox.com/s/x/a.txt?dl=0' }]],
          rowNoun: 'files',
          everyRowIn: 'x',
        },
      ],
    };
    expect(renderText(model, { maxRows: 2 })).toEqual([
      '- /old 1',
      '- /old\\n2',
      '- … and 1 more',
      '',
      'File  Link',
      '----  --------------------------------------',
      'a     https://www.dropbox.com/s/x/a.txt?dl=0',
    ]);
  });
});
