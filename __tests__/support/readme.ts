/** The README read as the docs tests read it: its sections, tables and ```yaml blocks. */
import { readFileSync } from 'node:fs';

export const readme = readFileSync('README.md', 'utf8');

/** A `## ` section (with its `### ` subsections), or one `### ` subsection. */
export function readmeSection(heading: string, level: 2 | 3 = 2): string {
  const start = readme.indexOf(`\n${'#'.repeat(level)} ${heading}\n`);
  if (start === -1) throw new Error(`README has no ${'#'.repeat(level)} ${heading} section`);
  const ends = ['\n## ', ...(level === 3 ? ['\n### '] : [])]
    .map((next) => readme.indexOf(next, start + 1))
    .filter((index) => index !== -1);
  return readme.slice(start, ends.length === 0 ? undefined : Math.min(...ends));
}

/** Markdown table rows keyed by their first cell without backticks; the value is the other cells. */
export function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set((cells[0] ?? '').replace(/`/g, ''), cells.slice(1));
  }
  return rows;
}

/** The ```yaml blocks of some markdown, with the line each starts on (for failure messages). */
export function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const pattern = /^```ya?ml\n([\s\S]*?)^```$/gm;
  for (let match = pattern.exec(markdown); match !== null; match = pattern.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, text: match[1] ?? '' });
  }
  return blocks;
}
