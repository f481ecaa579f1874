/**
 * Renders a summary as GitHub-flavoured Markdown for the job summary: outside text escaped so that it
 * stays text (no formatting, no table break, no link), within GitHub's size limit for a step's summary.
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

/** Rows shown in a table or list; the outputs have every file. */
export const SUMMARY_ROW_LIMIT = MOST_ROWS_SHOWN;

/**
 * GitHub refuses a step summary over 1 MiB, counted in bytes. Kept below it with room for the note that
 * says what was left out.
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024;

/**
 * Outside text as the text of a Markdown table cell. Every ASCII punctuation character Markdown or
 * GitHub's extensions act on is backslash-escaped: emphasis, code, links, tables, strikethrough, math,
 * mentions, HTML and entities. GitHub also links bare `www.` and `scheme://` text: an escaped dot or
 * colon there stops it. Control characters are shown as escapes first, as in the log.
 */
export function escapeMarkdown(outside: string): string {
  return inert(outside)
    .replace(/[\\`*_{}[\]<>()#+!|~&$@]/g, (c) => `\\${c}`)
    .replace(/(www)\./gi, '$1\\.')
    .replace(/:(?=\/\/)/g, '\\:');
}

/**
 * A shared link as a Markdown link. Dropbox URL-encodes the file name in it but leaves `(` and `)`,
 * which would end the link target early; anything that does not look like an https URL is shown as text.
 */
export function linkCell(url: string): string {
  if (!/^https:\/\/[^\s<>|`\\[\]]+$/.test(url)) return escapeMarkdown(url);
  return `[link](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

function inline(parts: readonly Inline[]): string {
  return parts
    .map((part) => {
      if ('data' in part) return escapeMarkdown(part.data);
      return part.strong ? `**${part.text}**` : part.text;
    })
    .join('');
}

function cell(value: Cell): string {
  return Array.isArray(value) ? inline(value) : linkCell(value.link);
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Renders the blocks; tables and lists take rows while the whole stays under `maxBytes`. */
export function renderMarkdown(
  model: SummaryModel,
  limits: { maxRows: number; maxBytes: number } = { maxRows: SUMMARY_ROW_LIMIT, maxBytes: SUMMARY_MAX_BYTES },
): string {
  const fixed = model.blocks.map((block) => renderFixed(block));
  let budget = limits.maxBytes - fixed.reduce((sum, part) => sum + bytes(part), 0);
  const rendered = model.blocks.map((block, index) => {
    if (block.kind !== 'table' && block.kind !== 'list') return fixed[index] ?? '';
    const total = block.kind === 'table' ? rowCountOf(block) : block.items.length;
    const available = block.kind === 'table' ? block.rows.length : block.items.length;
    const shown: string[] = [];
    // Rendered one at a time: a row past the limits is never rendered.
    for (let index = 0; index < Math.min(available, limits.maxRows); index += 1) {
      const row =
        block.kind === 'table'
          ? `| ${(block.rows[index] ?? []).map(cell).join(' | ')} |`
          : `- ${inline(block.items[index] ?? [])}`;
      // Room is kept for the note that says how many rows were left out.
      if (bytes(row) + 1 + 200 > budget) break;
      shown.push(row);
      budget -= bytes(row) + 1;
    }
    const lines = [...(block.kind === 'table' ? tableHead(block) : []), ...shown, ''];
    if (shown.length < total) lines.push('', leftOutNote(block, shown.length, total), '');
    // A blank line ends the table or list, so the next paragraph is not read as one of its rows.
    return `${lines.join('\n')}\n`;
  });
  return rendered.join('');
}

function tableHead(table: SummaryTable): string[] {
  return [
    `| ${table.columns.map((column) => column.title).join(' | ')} |`,
    `| ${table.columns.map((column) => (column.align === 'right' ? '---:' : '---')).join(' | ')} |`,
  ];
}

function leftOutNote(block: SummaryTable | { kind: 'list' }, shown: number, total: number): string {
  const left = total - shown;
  if (block.kind === 'list') return `- … and ${left} more`;
  return `_Showing the first ${shown} of ${total} ${block.rowNoun} (${left} left out); ${block.everyRowIn}._`;
}

/** A block without its rows: what it costs whatever happens. */
function renderFixed(block: SummaryBlock): string {
  switch (block.kind) {
    case 'heading':
      return `## ${block.text}\n\n`;
    case 'paragraph':
      return `${inline(block.parts)}\n\n`;
    case 'list':
      return '\n';
    case 'table':
      return `${tableHead(block).join('\n')}\n\n`;
  }
}
