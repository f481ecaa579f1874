/**
 * Reads and validates the action's inputs. Pure: the caller passes `getInput`, so tests need no environment.
 * The first problem found throws an InputError whose message names the input, the value given
 * (never for credentials) and what is allowed.
 */
import type { ActionInputs, Credentials, IfExists, IfNoFilesFound, NamespaceChoice } from '../model.ts';
import {
  lastSegmentHasTime,
  parseTemplate,
  TemplateError,
  timePlaceholderNames,
} from '../backups/placeholders.ts';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Inputs whose values are secrets; the caller masks them with core.setSecret before readInputs runs. */
export const secretInputNames = ['access-token', 'refresh-token', 'app-key', 'app-secret'] as const;

/**
 * The defaults documented in action.yml. An input that reaches us as '' means "use the default":
 * the bundled action is also run with only some INPUT_* variables set, where the runner fills in nothing.
 */
export const inputDefaults = {
  destination: '/',
  'if-no-files-found': 'warn',
  'include-hidden-files': 'false',
  'follow-symbolic-links': 'true',
  'if-exists': 'overwrite',
  'chunk-size': '16',
  concurrency: '8',
  'max-attempts': '5',
  'request-timeout': '300',
  namespace: 'home',
  'shared-links': 'false',
  'skip-unchanged': 'true',
  'keep-last': '0',
  'dry-run': 'false',
} as const;

type DefaultedInputName = keyof typeof inputDefaults;

const ifNoFilesFoundValues: readonly IfNoFilesFound[] = ['warn', 'error', 'ignore'];
const ifExistsValues: readonly IfExists[] = ['overwrite', 'skip', 'rename', 'fail'];

const MIB = 1024 * 1024;

// Control characters (C0, DEL, C1) cannot be part of a Dropbox name and are almost always a paste accident.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** JSON quoting shows stray whitespace and control characters instead of hiding them. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function problem(name: string, value: string, allowed: string): InputError {
  return new InputError(`Input "${name}" is ${quote(value)}; ${allowed}`);
}

export function readInputs(getInput: (name: string) => string): ActionInputs {
  /**
   * The trimmed value, or the documented default when the input is empty. A value of only whitespace is
   * passed on as it is, so that validation rejects it and the message shows it.
   */
  const withDefault = (name: DefaultedInputName): string => {
    const raw = getInput(name);
    if (raw === '') return inputDefaults[name];
    return raw.trim() === '' ? raw : raw.trim();
  };

  const patterns = readPatterns(getInput('path'));
  const destination = readDestination(withDefault('destination'));
  const credentials = readCredentials(getInput);
  const ifNoFilesFound = readChoice(
    'if-no-files-found',
    withDefault('if-no-files-found'),
    ifNoFilesFoundValues,
  );
  const includeHiddenFiles = readBoolean('include-hidden-files', withDefault('include-hidden-files'));
  const followSymbolicLinks = readBoolean('follow-symbolic-links', withDefault('follow-symbolic-links'));
  const ifExists = readChoice('if-exists', withDefault('if-exists'), ifExistsValues);

  // Dropbox's concurrent upload sessions need every chunk but the last to be a multiple of 4 MiB,
  // and every request must stay under 150 MiB.
  const chunkSizeMiB = readInteger('chunk-size', withDefault('chunk-size'), {
    min: 4,
    max: 148,
    multipleOf: 4,
    allowed: 'it must be a multiple of 4 from 4 to 148 (MiB).',
  });

  const keepLastValue = withDefault('keep-last');
  const keepLast = readInteger('keep-last', keepLastValue, { min: 0, max: 10_000 });
  if (keepLast > 0 && !lastSegmentHasTime(destination)) {
    const times = timePlaceholderNames.map((name) => `{${name}}`).join(', ');
    throw problem(
      'keep-last',
      keepLastValue,
      `it needs a date or time placeholder (${times}) in the last folder of "destination", which is ` +
        `${quote(destination === '' ? '/' : destination)}: keep-last keeps the newest run folders, so each run ` +
        'needs its own, such as /backups/site-{datetime}. Use 0 to keep everything.',
    );
  }

  return {
    patterns,
    destination,
    credentials,
    ifNoFilesFound,
    includeHiddenFiles,
    followSymbolicLinks,
    ifExists,
    chunkSizeBytes: chunkSizeMiB * MIB,
    concurrency: readInteger('concurrency', withDefault('concurrency'), { min: 1, max: 64 }),
    maxAttempts: readInteger('max-attempts', withDefault('max-attempts'), { min: 1, max: 20 }),
    requestTimeoutSeconds: readInteger('request-timeout', withDefault('request-timeout'), {
      min: 1,
      max: 3600,
      allowed: 'it must be a whole number of seconds from 1 to 3600.',
    }),
    namespace: readNamespace(withDefault('namespace')),
    ...readSelectUser(getInput('select-user')),
    sharedLinks: readBoolean('shared-links', withDefault('shared-links')),
    skipUnchanged: readBoolean('skip-unchanged', withDefault('skip-unchanged')),
    keepLast,
    dryRun: readBoolean('dry-run', withDefault('dry-run')),
  };
}

function readPatterns(raw: string): string[] {
  const patterns = raw
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // @actions/glob skips lines starting with '#', so they do not count as something to upload.
  const includes = patterns.filter((line) => !line.startsWith('!') && !line.startsWith('#'));
  if (patterns.length === 0) {
    throw new InputError(
      'Input "path" is required: give one or more glob patterns of the files to upload, one per line.',
    );
  }
  if (includes.length === 0) {
    throw problem(
      'path',
      raw.trim(),
      'it needs at least one pattern of files to upload; lines starting with ! only exclude, and lines starting with # are comments.',
    );
  }
  return patterns;
}

/** A normalised destination (`''` or `/a/b`) whose placeholders all parse; see placeholders.ts. */
function readDestination(value: string): string {
  const destination = normaliseDestination(value);
  try {
    parseTemplate(destination);
  } catch (error) {
    if (error instanceof TemplateError) throw problem('destination', value, error.reason);
    throw error;
  }
  return destination;
}

/** Returns `''` for the root, otherwise `/a/b`. */
export function normaliseDestination(value: string): string {
  const allowed = 'it must be a Dropbox folder path such as /backups/site (use / for the root).';
  if (value === '/') return '';
  if (value.trim() === '') throw problem('destination', value, allowed);
  if (value.includes('\\')) {
    throw problem('destination', value, 'Dropbox paths separate folders with "/", not "\\".');
  }
  if (controlCharacter.test(value)) {
    throw problem('destination', value, 'it contains a control character (such as a line break or tab).');
  }
  const withoutSlashes = value.replace(/^\//, '').replace(/\/$/, '');
  const segments = withoutSlashes.split('/');
  for (const segment of segments) {
    if (segment === '') {
      throw problem('destination', value, 'it has an empty folder name ("//"); ' + allowed);
    }
    if (segment === '.' || segment === '..') {
      throw problem('destination', value, `"${segment}" is not allowed as a folder name; ` + allowed);
    }
  }
  return '/' + segments.join('/');
}

/** Characters a paste brings along unseen, by name; the message must name them since it cannot show them. */
const characterNames: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x0a: 'a line break',
  0x0d: 'a carriage return',
  0x20: 'a space',
  0xa0: 'a no-break space',
  0xad: 'a soft hyphen',
  0x200b: 'a zero-width space',
  0x200c: 'a zero-width non-joiner',
  0x200d: 'a zero-width joiner',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
  0x202f: 'a narrow no-break space',
  0x2060: 'a word joiner',
  0x3000: 'an ideographic space',
  0xfeff: 'a byte order mark',
  0x2018: 'a typographic quote',
  0x2019: 'a typographic quote',
  0x201c: 'a typographic quote',
  0x201d: 'a typographic quote',
};

function describeCharacter(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const named =
    characterNames[codePoint] ??
    (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)
      ? 'a control character'
      : 'a non-ASCII character');
  return `${hex} (${named})`;
}

/**
 * The first character of a trimmed secret that no Dropbox token, key or secret holds (tokens go into an
 * HTTP header, so only visible ASCII can be in one), with its 1-based position in code points.
 */
function firstCharacterNotInToken(value: string): { position: number; codePoint: number } | undefined {
  let position = 0;
  for (const character of value) {
    position += 1;
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x21 || codePoint > 0x7e) return { position, codePoint };
  }
  return undefined;
}

function readCredentials(getInput: (name: string) => string): Credentials {
  // Secrets are read trimmed; anything left that a token cannot hold means the secret was pasted badly.
  // The message names the character by position and code point, never the value.
  const secret = (name: (typeof secretInputNames)[number]): string => {
    const value = getInput(name).trim();
    const bad = firstCharacterNotInToken(value);
    if (bad !== undefined) {
      throw new InputError(
        `Input "${name}" (hidden) contains a character that cannot be in it: ${describeCharacter(bad.codePoint)} ` +
          `at character ${bad.position} (after trimming). It was most likely copied along with the secret, or ` +
          'the secret was not copied whole. Copy it again as a single line, without spaces or quotes, and ' +
          'update the secret.',
      );
    }
    return value;
  };
  const accessToken = secret('access-token');
  const refreshToken = secret('refresh-token');
  const appKey = secret('app-key');
  const appSecret = secret('app-secret');

  if (refreshToken !== '') {
    if (appKey === '') {
      throw new InputError(
        'Input "app-key" is empty, but "refresh-token" is set: a refresh token needs the key of the Dropbox app ' +
          'it was issued to. Set "app-key" (and "app-secret", unless the token came from a PKCE flow). ' +
          `See the README's "Credentials" section.`,
      );
    }
    return {
      kind: 'refresh-token',
      refreshToken,
      appKey,
      ...(appSecret === '' ? {} : { appSecret }),
      accessTokenIgnored: accessToken !== '',
    };
  }
  if (accessToken !== '') return { kind: 'access-token', accessToken };
  if (appKey !== '' || appSecret !== '') {
    throw new InputError(
      'Input "refresh-token" is empty, but "app-key"/"app-secret" are set: the app key and secret alone cannot ' +
        'sign in to a Dropbox account. Also set "refresh-token" (or set "access-token" instead). ' +
        `See the README's "Credentials" section.`,
    );
  }
  throw new InputError(
    'No Dropbox credentials: set "refresh-token" with "app-key" and "app-secret" (recommended), or "access-token". ' +
      `See the README's "Credentials" section.`,
  );
}

/** `home`, `team` (any case), or a namespace id: Dropbox namespace ids are decimal numbers. */
function readNamespace(value: string): NamespaceChoice {
  const lower = value.toLowerCase();
  if (lower === 'home' || lower === 'team') return { kind: lower };
  if (/^[0-9]{1,20}$/.test(value)) return { kind: 'id', id: value };
  const hint = value.startsWith('ns:') ? ` Leave out the "ns:" prefix: ${quote(value.slice(3))}.` : '';
  throw problem(
    'namespace',
    value,
    `it must be home (your own folder), team (the team space root) or a namespace id (digits only, e.g. 1234567890).${hint}`,
  );
}

/** A team member id as Dropbox shows it (`dbmid:` and a URL-safe id), or nothing. */
function readSelectUser(raw: string): { selectUser?: string } {
  const value = raw.trim();
  if (value === '') return {};
  if (!/^dbmid:[A-Za-z0-9_-]+$/.test(value)) {
    throw problem(
      'select-user',
      raw,
      'it must be a team member id such as dbmid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc (the member the team token acts as), or empty.',
    );
  }
  return { selectUser: value };
}

function readChoice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  const match = allowed.find((choice) => choice === lower);
  if (match === undefined) throw problem(name, value, `it must be one of ${allowed.join(', ')}.`);
  return match;
}

/** The same spellings @actions/core's getBooleanInput accepts (the YAML 1.2 core schema). */
function readBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw problem(name, value, 'it must be true or false.');
}

interface IntegerRule {
  min: number;
  max: number;
  multipleOf?: number;
  /** What the error message says is allowed; defaults to the range. */
  allowed?: string;
}

function readInteger(name: string, value: string, rule: IntegerRule): number {
  const allowed = rule.allowed ?? `it must be a whole number from ${rule.min} to ${rule.max}.`;
  // Only plain decimal digits: Number() would also take '0x10', '1e1', '1.5' and ' ' as numbers.
  if (!/^[0-9]+$/.test(value)) throw problem(name, value, allowed);
  const n = Number(value);
  const outOfRange = n < rule.min || n > rule.max;
  if (outOfRange || (rule.multipleOf !== undefined && n % rule.multipleOf !== 0)) {
    throw problem(name, value, allowed);
  }
  return n;
}
