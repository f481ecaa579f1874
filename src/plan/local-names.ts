/**
 * Which Dropbox names a local file system cannot hold, and when two names land on one local path. Pure:
 * the path module is a parameter, so the Windows rules are tested on any OS.
 */
import path from 'node:path';
import type { PathApi } from '../local/paths.ts';
import type { RestoreProblemReason } from '../model.ts';

/**
 * Windows refuses these in a name, and the C0 controls (Microsoft, "Naming Files, Paths, and
 * Namespaces"); `\` and `/` are its separators, so a Dropbox name holding one would become two.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const WINDOWS_RESERVED_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f]/u;

/**
 * Device names Windows keeps for itself, also "followed immediately by an extension" (`NUL.txt`,
 * `NUL.tar.gz`), in any letter case; the same page lists the superscript-digit forms.
 */
const WINDOWS_DEVICE_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '¹', '²', '³'].flatMap((digit) => [
    `COM${digit}`,
    `LPT${digit}`,
  ]),
]);

/** NAME_MAX of Linux and macOS file systems, in bytes of UTF-8. */
const POSIX_NAME_BYTES = 255;
/** NTFS names hold 255 UTF-16 code units. */
const WINDOWS_NAME_UNITS = 255;

function isWindows(pathApi: PathApi): boolean {
  return pathApi === path.win32;
}

/** Why the local OS (Windows for path.win32, else Linux/macOS) cannot hold `name`, or undefined. */
export function localNameProblem(name: string, pathApi: PathApi): RestoreProblemReason | undefined {
  if (isWindows(pathApi)) {
    const reserved = WINDOWS_RESERVED_CHARACTERS.exec(name);
    if (reserved !== null) return { kind: 'reserved-character', name, character: reserved[0] };
    if (/[. ]$/.test(name)) return { kind: 'trailing-dot-or-space', name };
    const stem = (name.split('.')[0] ?? '').trimEnd().toUpperCase();
    if (WINDOWS_DEVICE_NAMES.has(stem)) return { kind: 'reserved-name', name, device: stem };
    if (name.length > WINDOWS_NAME_UNITS)
      return { kind: 'name-too-long', name, limit: `${WINDOWS_NAME_UNITS} characters` };
    return undefined;
  }
  const nul = name.indexOf('\u0000');
  if (nul !== -1 || name.includes('/')) {
    return { kind: 'reserved-character', name, character: nul !== -1 ? '\u0000' : '/' };
  }
  if (Buffer.byteLength(name, 'utf8') > POSIX_NAME_BYTES)
    return { kind: 'name-too-long', name, limit: `${POSIX_NAME_BYTES} bytes` };
  return undefined;
}

/** One code point folded as case-insensitive file systems compare it: simple (one-to-one) case mapping. */
function foldCodePoint(character: string): string {
  const upper = character.toUpperCase();
  const base = Array.from(upper).length === 1 ? upper : character;
  const lower = base.toLowerCase();
  return Array.from(lower).length === 1 ? lower : base;
}

/**
 * The key under which a case-insensitive, normalisation-insensitive file system (the Windows and macOS
 * defaults) files a path: NFC, then each character folded through its upper case, so that `Σ`, `σ` and
 * `ς` meet while `ß` and `ss` stay apart. Dropbox itself ignores case, so two listed names meet here
 * only through what Dropbox tells apart and such a file system does not: composed and decomposed
 * accents, final sigma, and the like.
 */
export function collisionKey(relativePath: string): string {
  return Array.from(relativePath.normalize('NFC'), foldCodePoint).join('');
}
