/**
 * The layout's rules, checked on the code itself (docs/architecture.md): imports only run with the flow,
 * there are no import cycles, engine code never speaks to the runner, and modules stay small.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';

const SRC = path.resolve('src');

/** Folders in flow order: a module may import from its own folder and from folders after it. */
const FLOW = [
  ['action', 'cli', 'authorize'],
  ['pipeline'],
  ['inputs'],
  ['plan'],
  ['backups'],
  ['transfer'],
  ['report'],
  ['dropbox'],
  ['local'],
];
/** Shared by every stage; they import nothing but each other's types. */
const BOTTOM = ['model.ts', 'cancellation.ts'];

function modulesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return modulesUnder(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const modules = modulesUnder(SRC);
const relative = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');

/** The src modules a module imports (relative imports only; packages are not part of the layout). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)];
  return found
    .map((match) => path.resolve(path.dirname(file), match[1] ?? ''))
    .filter((target) => target.startsWith(SRC + path.sep));
}

/** Where a module sits: its top folder, or the entry/bottom file it is. */
function placeOf(file: string): { folder?: string; rank: number; entry: boolean; bottom: boolean } {
  const parts = relative(file).split('/');
  if (parts.length === 1) {
    const name = parts[0] ?? '';
    return BOTTOM.includes(name)
      ? { rank: FLOW.length, entry: false, bottom: true }
      : { rank: -1, entry: true, bottom: false };
  }
  const folder = parts[0] ?? '';
  const rank = FLOW.findIndex((group) => group.includes(folder));
  return { folder, rank, entry: false, bottom: false };
}

describe('the layout of src/', () => {
  test('every folder is a known stage, door or shared layer', () => {
    const folders = new Set(
      modules.map((file) => placeOf(file).folder).filter((folder) => folder !== undefined),
    );
    for (const folder of folders) expect(FLOW.flat()).toContain(folder);
  });

  test('at most 8 files sit directly in src/: the entry points, the model and cancellation', () => {
    const top = readdirSync(SRC).filter((name) => name.endsWith('.ts'));
    expect(top.length).toBeLessThanOrEqual(8);
  });

  test('no module is over 300 lines', () => {
    const long = modules
      .map((file) => [relative(file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 301);
    expect(long).toEqual([]);
  });

  test('no import runs against the flow', () => {
    const against: string[] = [];
    for (const file of modules) {
      const from = placeOf(file);
      for (const target of importsOf(file)) {
        const to = placeOf(target);
        const allowed =
          from.entry ||
          to.bottom ||
          (!from.bottom && from.folder === to.folder) ||
          (!from.bottom && !to.entry && to.rank > from.rank && !FLOW[from.rank]?.includes(to.folder ?? ''));
        if (!allowed) against.push(`${relative(file)} → ${relative(target)}`);
      }
    }
    expect(against).toEqual([]);
  });

  test('entry files only call run()', () => {
    for (const file of modules.filter((each) => placeOf(each).entry)) {
      const code = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('//') && !line.startsWith('#!'));
      expect([relative(file), code.length, code.at(-1)]).toEqual([relative(file), 2, 'await run();']);
    }
  });

  test('no import cycles', () => {
    const graph = new Map(
      modules.map((file) => [file, importsOf(file).filter((target) => modules.includes(target))]),
    );
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(relative).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of modules) visit(file, []);
    expect(cycles).toEqual([]);
  });

  test('only the GitHub Actions front door imports @actions/core', () => {
    const speakers = modules.filter((file) => /from '@actions\/core'/.test(readFileSync(file, 'utf8')));
    for (const file of speakers) expect(relative(file)).toMatch(/^action\//);
  });

  test('no `any` in src/', () => {
    // Comments and string literals are words, not types.
    const code = (file: string): string =>
      readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
    const loose = modules.filter((file) => /:\s*any\b|\bas any\b|<any>/.test(code(file)));
    expect(loose.map(relative)).toEqual([]);
  });
});
