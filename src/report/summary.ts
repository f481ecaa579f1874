/**
 * The run's summary as data: headings, paragraphs, lists and a table, where every piece of outside text
 * is marked as such. A host renders it (Markdown for the job summary, plain text on a terminal) and
 * escapes exactly the marked pieces.
 */

/** Our own words, or outside text (`data`: a path, a name, a server message) that a renderer escapes. */
export type Inline = { text: string; strong?: true } | { data: string };

/** A table cell: inline pieces, or a link whose target is a URL (shown as "link"). */
export type Cell = Inline[] | { link: string };

export interface SummaryTable {
  kind: 'table';
  columns: { title: string; align?: 'right' }[];
  /** The first rows, at most MOST_ROWS_SHOWN of them when the table is built with tableRows. */
  rows: Cell[][];
  /** How many rows the table has, when `rows` holds only the first of them. */
  rowCount?: number;
  /** What a row is, for "Showing the first 500 of 20,000 files". */
  rowNoun: string;
  /** Where every row can be found when some are left out. */
  everyRowIn: string;
}

export type SummaryBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; parts: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | SummaryTable;

export interface SummaryModel {
  blocks: SummaryBlock[];
}

export const text = (value: string): Inline => ({ text: value });
export const strong = (value: string): Inline => ({ text: value, strong: true });
export const data = (value: string): Inline => ({ data: value });

/**
 * No renderer shows more rows than this (the job summary, the terminal), so a table keeps only these and
 * counts the rest: 100,000 files' cells would cost tens of MiB for rows nobody sees.
 */
export const MOST_ROWS_SHOWN = 500;

/** A table's rows from its items: the first MOST_ROWS_SHOWN as cells, and how many there are. */
export function tableRows<T>(
  items: readonly T[],
  toCells: (item: T) => Cell[],
): Pick<SummaryTable, 'rows' | 'rowCount'> {
  return { rows: items.slice(0, MOST_ROWS_SHOWN).map(toCells), rowCount: items.length };
}

export function rowCountOf(table: SummaryTable): number {
  return table.rowCount ?? table.rows.length;
}
