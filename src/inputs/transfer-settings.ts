/**
 * The inputs every transfer shares, whichever way it goes: the namespace, the team member, and the limits
 * of chunk-size, concurrency, max-attempts and request-timeout. The upload and the restore read them alike.
 */
import type { NamespaceChoice, TransferSettings } from '../model.ts';
import { problem, quote, readInteger, type IntegerRule } from './values.ts';

const MIB = 1024 * 1024;

/**
 * Chunks are whole 4 MiB blocks: Dropbox's concurrent upload sessions need every chunk but the last to be
 * a multiple of 4 MiB, a download hashes what arrives block by block, and every upload request must stay
 * under 150 MiB.
 */
export const transferLimits = {
  'chunk-size': {
    min: 4,
    max: 148,
    multipleOf: 4,
    allowed: 'it must be a multiple of 4 from 4 to 148 (MiB).',
  },
  concurrency: { min: 1, max: 64 },
  'max-attempts': { min: 1, max: 20 },
  'request-timeout': { min: 1, max: 3600, allowed: 'it must be a whole number of seconds from 1 to 3600.' },
} as const satisfies Record<string, IntegerRule>;

/**
 * The shared inputs, validated. `withDefault` gives an input's trimmed value or its documented default;
 * `getInput` the raw value (select-user has no default).
 */
export function readTransferSettings(
  withDefault: (name: keyof typeof transferLimits | 'namespace') => string,
  getInput: (name: string) => string,
): TransferSettings {
  const read = (name: keyof typeof transferLimits): number =>
    readInteger(name, withDefault(name), transferLimits[name]);
  return {
    chunkSizeBytes: read('chunk-size') * MIB,
    concurrency: read('concurrency'),
    maxAttempts: read('max-attempts'),
    requestTimeoutSeconds: read('request-timeout'),
    namespace: readNamespace(withDefault('namespace')),
    ...readSelectUser(getInput('select-user')),
  };
}

/** `home`, `team` (any case), or a namespace id: Dropbox namespace ids are decimal numbers. */
export function readNamespace(value: string): NamespaceChoice {
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
export function readSelectUser(raw: string): { selectUser?: string } {
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
