import { describe, expect, test } from '@jest/globals';
import {
  explainCodeExchange,
  explainTokenEndpoint,
  oauthError,
} from '../../../../src/dropbox/explain/token-errors.ts';
import { titles } from '../../../../src/dropbox/explain/titles.ts';

describe('oauthError: the RFC 6749 error body', () => {
  test.each([
    [
      { error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' },
      { code: 'invalid_grant', description: 'refresh token is invalid or revoked' },
    ],
    [{ error: 'invalid_grant: code has expired' }, { code: 'invalid_grant' }],
    [{ error: { '.tag': 'expired_access_token' } }, undefined],
    ['plain text', undefined],
  ])('%j', (body, expected) => {
    expect(oauthError(body)).toEqual(expected);
  });
});

describe('the token endpoint refusing a refresh', () => {
  test.each([
    ['invalid_grant', titles.refreshTokenRejected],
    ['invalid_client', titles.appKeyOrSecretRejected],
    ['unsupported_grant_type', titles.tokenRequestFailed],
  ])('%s → %s, a credentials problem', (code, title) => {
    expect(explainTokenEndpoint({ code }, 400)).toMatchObject({ title, scope: 'credentials' });
  });

  test('the description is quoted without anything that could be a secret', () => {
    const explanation = explainTokenEndpoint(
      {
        code: 'invalid_request',
        description:
          'bad refresh_token=Rt0123456789abcdefGHIJ at https://api.dropboxapi.com/oauth2/token?x=y',
      },
      400,
    );
    expect(explanation.message).not.toContain('Rt0123456789abcdefGHIJ');
    expect(explanation.message).not.toContain('https://api.dropboxapi.com');
  });
});

describe('the code exchange of the authorize helper', () => {
  test.each([
    [{ code: 'invalid_grant', description: 'code has already been used' }, titles.accessCodeUsed],
    [{ code: 'invalid_grant', description: 'code has expired' }, titles.accessCodeExpired],
    [{ code: 'invalid_client' }, titles.appKeyOrSecretRejected],
    [{ code: 'server_error' }, titles.tokenRequestFailed],
  ])('%j → %s', (oauth, title) => {
    expect(explainCodeExchange(oauth, 400).title).toBe(title);
  });
});
