import { describe, expect, test } from '@jest/globals';
import { resolveTemplate } from '../../../src/backups/placeholders.ts';
import { contextHint, readCiContext } from '../../../src/inputs/ci-context.ts';

const SHA = '3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b';

describe('readCiContext', () => {
  test.each([
    ['nothing set: no context', {}, {}],
    [
      'GitHub Actions',
      {
        GITHUB_REPOSITORY: 'acme/my-site',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: SHA,
        GITHUB_RUN_NUMBER: '42',
        GITHUB_RUN_ATTEMPT: '2',
      },
      { owner: 'acme', repo: 'my-site', ref: 'refs/heads/main', sha: SHA, runNumber: 42, runAttempt: 2 },
    ],
    [
      'GitLab CI: a subgroup namespace becomes one folder name',
      {
        CI_PROJECT_NAME: 'my-site',
        CI_PROJECT_NAMESPACE: 'acme/web/sites',
        CI_COMMIT_REF_NAME: 'feature/login',
        CI_COMMIT_SHA: SHA,
        CI_PIPELINE_IID: '7',
      },
      { owner: 'acme-web-sites', repo: 'my-site', ref: 'feature/login', sha: SHA, runNumber: 7 },
    ],
    [
      'GitHub first where both are set',
      {
        GITHUB_REPOSITORY: 'acme/a',
        CI_PROJECT_NAME: 'b',
        CI_PROJECT_NAMESPACE: 'c',
        CI_PIPELINE_IID: '9',
        GITHUB_RUN_NUMBER: '3',
      },
      { owner: 'acme', repo: 'a', runNumber: 3 },
    ],
    [
      'empty, blank or malformed values count as unset',
      { GITHUB_REPOSITORY: 'no-slash', GITHUB_SHA: '  ', CI_PIPELINE_IID: '12a', GITHUB_RUN_ATTEMPT: '' },
      {},
    ],
  ])('%s', (_name, environment, expected) => {
    expect(readCiContext(environment)).toEqual(expected);
  });

  test('GitLab values resolve the placeholders as GitHub ones do', () => {
    const context = readCiContext({
      CI_PROJECT_NAME: 'my-site',
      CI_PROJECT_NAMESPACE: 'acme/web',
      CI_COMMIT_REF_NAME: 'feature/login',
      CI_COMMIT_SHA: SHA,
      CI_PIPELINE_IID: '7',
    });
    expect(resolveTemplate('/b/{owner}/{repo}/{ref}/{short-sha}-{run-number}', new Date(0), context)).toBe(
      '/b/acme-web/my-site/feature-login/3f2a9c1-7',
    );
  });
});

describe('contextHint', () => {
  test('names the variables of every placeholder without a value, GitHub’s and GitLab’s', () => {
    expect(contextHint('/b/{repo}/{date}/{sha}-{short-sha}/{run-attempt}', {})).toBe(
      "On the command line they come from these variables: {repo}: GITHUB_REPOSITORY or GitLab CI's " +
        "CI_PROJECT_NAME; {sha} and {short-sha}: GITHUB_SHA or GitLab CI's CI_COMMIT_SHA; {run-attempt}: " +
        'GITHUB_RUN_ATTEMPT only.',
    );
  });

  test('nothing to say when every placeholder has its value, or the template does not parse', () => {
    expect(contextHint('/b/{repo}/{datetime}', { repo: 'x' })).toBeUndefined();
    expect(contextHint('/b/{nope}', {})).toBeUndefined();
  });
});
