/** The destination input: a Dropbox folder path, normalised, whose placeholders parse. */
import { parseTemplate, TemplateError } from '../backups/placeholders.ts';
import { controlCharacter, problem } from './values.ts';

/** A normalised destination (`''` or `/a/b`) whose placeholders all parse; see placeholders.ts. */
export function readDestination(value: string): string {
  const destination = normaliseDestination(value);
  try {
    parseTemplate(destination);
  } catch (error) {
    if (error instanceof TemplateError) throw problem('destination', value, error.reason);
    throw error;
  }
  return destination;
}

/**
 * Returns `''` for the root, otherwise `/a/b`. Messages name `name`, the input read (the restore's `source`
 * is read the same way), and say it must be `what`.
 */
export function normaliseDestination(
  value: string,
  name = 'destination',
  what = 'a Dropbox folder path such as /backups/site',
): string {
  const allowed = `it must be ${what} (use / for the root).`;
  if (value === '/') return '';
  if (value.trim() === '') throw problem(name, value, allowed);
  if (value.includes('\\')) {
    throw problem(name, value, 'Dropbox paths separate folders with "/", not "\\".');
  }
  if (controlCharacter.test(value)) {
    throw problem(name, value, 'it contains a control character (such as a line break or tab).');
  }
  const withoutSlashes = value.replace(/^\//, '').replace(/\/$/, '');
  const segments = withoutSlashes.split('/');
  for (const segment of segments) {
    if (segment === '') {
      throw problem(name, value, 'it has an empty folder name ("//"); ' + allowed);
    }
    if (segment === '.' || segment === '..') {
      throw problem(name, value, `"${segment}" is not allowed as a folder name; ` + allowed);
    }
  }
  return '/' + segments.join('/');
}
