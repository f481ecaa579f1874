/**
 * maxConcurrentRequests: a request that arrives while that many are in progress is refused with 429
 * too_many_requests and Retry-After, as a rate-limited Dropbox answers, and is not carried out.
 */
import { afterEach, expect, test } from '@jest/globals';
import { content, startFake, type Harness } from './helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

test('beyond the limit a request gets 429 too_many_requests with Retry-After, and is not carried out', async () => {
  h = await startFake({ maxConcurrentRequests: 3, latencyMs: 150 });
  const harness = h;
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, index) =>
      content(
        harness.fake,
        'files/upload',
        { path: `/limit/file-${index}.txt` },
        `file ${index}`,
        harness.token,
      ),
    ),
  );
  const refused = answers.filter((answer) => answer.status === 429);
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
  expect(refused).toHaveLength(2);
  for (const answer of refused) {
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.json).toEqual({
      error_summary: 'too_many_requests/..',
      error: { reason: { '.tag': 'too_many_requests' }, retry_after: 1 },
    });
  }
  // Only what was carried out is stored, and the log says which were refused.
  expect(harness.fake.files()).toHaveLength(3);
  const logged = harness.fake.requests.filter((entry) => entry.route === 'files/upload');
  expect(
    logged.filter((entry) => entry.status === 429 && entry.errorTag === 'too_many_requests'),
  ).toHaveLength(2);
});

test('a request that arrives once the others are done is carried out again', async () => {
  h = await startFake({ maxConcurrentRequests: 1, latencyMs: 50 });
  const harness = h;
  const first = await content(harness.fake, 'files/upload', { path: '/one/a.txt' }, 'a', harness.token);
  const second = await content(harness.fake, 'files/upload', { path: '/one/b.txt' }, 'b', harness.token);
  expect([first.status, second.status]).toEqual([200, 200]);
});

test('without the option nothing is refused for concurrency', async () => {
  h = await startFake({ latencyMs: 50 });
  const harness = h;
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, index) =>
      content(harness.fake, 'files/upload', { path: `/free/${index}.txt` }, 'x', harness.token),
    ),
  );
  expect(answers.every((answer) => answer.status === 200)).toBe(true);
});
