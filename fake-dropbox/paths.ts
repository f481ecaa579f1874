/** Dropbox path rules: case-insensitive, case-preserving, `/`-separated, `""` for the root. */

export interface ParsedPath {
  /** Display-case segments; empty for the root. */
  segments: string[];
  /** `/a/b` as given, or `""` for the root. */
  display: string;
  /** The case-folded key every lookup uses. */
  lower: string;
}

export function lowerPath(path: string): string {
  return path.toLowerCase();
}

/** Undefined for a malformed path; `""` is the root. */
export function parsePath(raw: string): ParsedPath | undefined {
  if (raw === '') return { segments: [], display: '', lower: '' };
  if (!raw.startsWith('/') || raw.endsWith('/') || raw.includes('//')) return undefined;
  if (raw.includes('\0') || raw.includes('\\')) return undefined;
  const segments = raw.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  return { segments, display: raw, lower: lowerPath(raw) };
}

export function joinPath(parent: string, name: string): string {
  return `${parent}/${name}`;
}

export function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every proper ancestor of `/a/b/c`, shortest first: `/a`, `/a/b`. */
export function ancestorsOf(path: string): string[] {
  const result: string[] = [];
  for (let index = path.indexOf('/', 1); index !== -1; index = path.indexOf('/', index + 1)) {
    result.push(path.slice(0, index));
  }
  return result;
}

/** Paths in code-point order (not locale order), as every listing sorts them: parents before children. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isUnder(path: string, folder: string): boolean {
  return folder === '' ? path !== '' : path === folder || path.startsWith(`${folder}/`);
}

// Names the Dropbox desktop client never syncs, so the API refuses them.
const DISALLOWED_NAMES = new Set([
  'desktop.ini',
  'thumbs.db',
  '.ds_store',
  'icon\r',
  '.dropbox',
  '.dropbox.attr',
]);

export function isDisallowedName(name: string): boolean {
  return DISALLOWED_NAMES.has(name.toLowerCase());
}

/** `report.final.pdf` → `report.final` + `.pdf`; a leading dot is part of the base (`.env` has no extension). */
export function splitExtension(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { base: name.slice(0, dot), ext: name.slice(dot) } : { base: name, ext: '' };
}
