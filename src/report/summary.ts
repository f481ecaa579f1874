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
  rows: Cell[][];
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
