import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import { accessTypeFrom, type AccessTypeFinding } from '../../../src/authorize/access-type.ts';

const answer = (status: number, body: unknown): { error: unknown } => ({
  error: new DropboxResponseError(status, {}, body),
});

describe('accessTypeFrom', () => {
  test.each<
    [string, { listed: true } | { error: unknown }, AccessTypeFinding['accessType'], RegExp | undefined]
  >([
    ['the namespace root listed', { listed: true }, 'full_dropbox', undefined],
    [
      '422 no_permission',
      answer(422, { error_summary: 'no_permission/..', error: { '.tag': 'no_permission' } }),
      'app_folder',
      undefined,
    ],
    [
      '401 missing_scope',
      answer(401, { error: { '.tag': 'missing_scope', required_scope: 'files.metadata.read' } }),
      'unknown',
      /files\.metadata\.read/,
    ],
    ['500', answer(500, 'oops'), 'unknown', /HTTP 500/],
    ['a network failure', { error: new TypeError('fetch failed') }, 'unknown', /could not be asked/],
  ])('%s', (_name, outcome, accessType, reason) => {
    const finding = accessTypeFrom(outcome);
    expect(finding.accessType).toBe(accessType);
    if (reason) expect(finding.reason).toMatch(reason);
  });
});
