/** The readers every front door's inputs share: choices, booleans, whole numbers, and the message when a value is wrong. */

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

// Control characters (C0, DEL, C1) cannot be part of a Dropbox name and are almost always a paste accident.
// eslint-disable-next-line no-control-regex
export const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** JSON quoting shows stray whitespace and control characters instead of hiding them. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function problem(name: string, value: string, allowed: string): InputError {
  return new InputError(`Input "${name}" is ${quote(value)}; ${allowed}`);
}

export function readChoice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  const match = allowed.find((choice) => choice === lower);
  if (match === undefined) throw problem(name, value, `it must be one of ${allowed.join(', ')}.`);
  return match;
}

/** The same spellings @actions/core's getBooleanInput accepts (the YAML 1.2 core schema). */
export function readBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw problem(name, value, 'it must be true or false.');
}

export interface IntegerRule {
  min: number;
  max: number;
  multipleOf?: number;
  /** What the error message says is allowed; defaults to the range. */
  allowed?: string;
}

export function readInteger(name: string, value: string, rule: IntegerRule): number {
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
