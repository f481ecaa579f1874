/** credentialNotices: what the credentials given say before any request. */
import { describe, expect, test } from '@jest/globals';
import type { Annotation, Credentials } from '../../../src/model.ts';
import { credentialNotices } from '../../../src/pipeline/connect.ts';

const refresh = { kind: 'refresh-token', refreshToken: 'r', appKey: 'k', appSecret: 's' } as const;

describe('credentialNotices', () => {
  test.each<[string, Credentials, Annotation[]]>([
    ['an access token alone', { kind: 'access-token', accessToken: 'sl.x' }, []],
    ['a refresh token alone', { ...refresh, accessTokenIgnored: false }, []],
    [
      'both kinds: the access token is ignored, and a notice says so',
      { ...refresh, accessTokenIgnored: true },
      [
        {
          level: 'notice',
          title: 'access-token ignored',
          message:
            'Both access-token and refresh-token were given: using the refresh token; access-token is ignored.',
        },
      ],
    ],
  ])('%s', (_what, credentials, expected) => {
    expect(credentialNotices(credentials)).toEqual(expected);
  });
});
