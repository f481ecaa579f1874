/** Inputs as the runner gives them, for table tests of reading and validating them. */
import { InputError } from '../../src/inputs/values.ts';

export const ACCESS = 'sl.u.AFakeAccessToken0123456789abcdefXYZ';
export const REFRESH = 'FakeRefreshToken0123456789abcdefghijklmnop';

/** A getInput over a plain record; unset inputs read as '' like the runner gives. */
export function inputs(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? '';
}

/** The InputError `read` throws for `values`; anything else, or nothing thrown, fails the test. */
export function inputErrorOf(
  read: (getInput: (name: string) => string) => unknown,
  values: Record<string, string>,
): InputError {
  try {
    read(inputs(values));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`${read.name} did not throw`);
}
