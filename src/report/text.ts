/**
 * Renders a summary as plain text for a terminal: headings underlined, tables as aligned columns, lists
 * as dashes. Outside text goes through `inert`, so a name shows what it holds and can never move the
 * cursor, colour the screen or break a row.
 */
import { inert } from './inert.ts';
import {
  MOST_ROWS_SHOWN,
  rowCountOf,
  type Cell,
  type Inline,
  type SummaryBlock,
  type SummaryModel,
  type SummaryTable,
} from './summary.ts';

export interface TextLimits {
  /** Rows shown in a table or list; a note says how many were left out. */
  maxRows: number;
  /** Where every row can be found, instead of the table's own words (a terminal has no job outputs). */
  everyRowIn?: string;
}

/** Rows a terminal shows by default: the failed files come first, so they are never the ones left out. */
export const TEXT_ROW_LIMIT = MOST_ROWS_SHOWN;

/** Zero-width code points: combining marks, zero-width spaces and joiners, variation selectors. */
const zeroWidth: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x200b, 0x200d],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
];

/**
 * Wide code points: East Asian wide and full-width characters, and emoji shown as pictures (the status
 * cells' ✅ ❌ 🔍), which terminals draw two columns wide.
 */
const wide: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function within(ranges: readonly (readonly [number, number])[], code: number): boolean {
  return ranges.some(([low, high]) => code >= low && code <= high);
}

/** The columns `text` takes on a terminal, as near as can be known without asking it. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (within(zeroWidth, code)) continue;
    width += within(wide, code) ? 2 : 1;
  }
  return width;
}

function inline(parts: readonly Inline[]): string {
  return parts.map((part) => ('data' in part ? inert(part.data) : inert(part.text))).join('');
}

function cell(value: Cell): string {
  return Array.isArray(value) ? inline(value) : inert(value.link);
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

function leftOutNote(
  block: SummaryTable | { kind: 'list' },
  shown: number,
  total: number,
  limits: TextLimits,
): string {
  const left = total - shown;
  if (block.kind === 'list') return `- … and ${left} more`;
  return `Showing the first ${shown} of ${total} ${block.rowNoun} (${left} left out); ${limits.everyRowIn ?? block.everyRowIn}.`;
}

function renderTable(table: SummaryTable, limits: TextLimits): string[] {
  const header = table.columns.map((column) => column.title);
  const rows = table.rows.slice(0, limits.maxRows).map((row) => row.map(cell));
  const widths = header.map((title, index) =>
    Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, index) =>
        pad(text, widths[index] ?? 0, table.columns[index]?.align === 'right' ? 'right' : 'left'),
      )
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  if (rows.length < rowCountOf(table)) lines.push(leftOutNote(table, rows.length, rowCountOf(table), limits));
  return lines;
}

function renderBlock(block: SummaryBlock, limits: TextLimits): string[] {
  switch (block.kind) {
    case 'heading': {
      const heading = inert(block.text);
      return [heading, '='.repeat(displayWidth(heading))];
    }
    case 'paragraph':
      return [inline(block.parts)];
    case 'list': {
      const items = block.items.slice(0, limits.maxRows).map((item) => `- ${inline(item)}`);
      if (items.length < block.items.length)
        items.push(leftOutNote(block, items.length, block.items.length, limits));
      return items;
    }
    case 'table':
      return renderTable(block, limits);
  }
}

/** The summary as lines, blocks apart by a blank line; no line holds a line break or a control character. */
export function renderText(model: SummaryModel, limits: TextLimits = { maxRows: TEXT_ROW_LIMIT }): string[] {
  const lines: string[] = [];
  for (const block of model.blocks) {
    if (lines.length > 0) lines.push('');
    lines.push(...renderBlock(block, limits));
  }
  // A row whose first cells are empty starts with spaces: the whole line is checked, not only each cell.
  return lines.map(inert);
}
