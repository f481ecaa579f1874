/** Which explanations stop a whole run, the one stop a run keeps, and how a run the pacer gave up on is explained. */
import { describe, expect, test } from '@jest/globals';
import { DropboxResponseError } from 'dropbox';
import { titles } from '../../../src/dropbox/explain/titles.ts';
import type { Explanation } from '../../../src/model.ts';
import { explainRefusedRun, RunStop, stopsTheRun } from '../../../src/transfer/run-stops.ts';

describe('stopsTheRun', () => {
  test.each<[Explanation['scope'], boolean]>([
    ['file', false],
    ['run', true],
    ['credentials', true],
  ])('scope %s: %s', (scope, stops) => {
    expect(stopsTheRun({ title: 't', message: 'm', scope })).toBe(stops);
  });
});

function slowDown(status: number, reason: string, headers: Record<string, string> = {}): unknown {
  return new DropboxResponseError(status, new Headers({ 'content-type': 'application/json', ...headers }), {
    error_summary: `${reason}/`,
    error: { reason: { '.tag': reason }, retry_after: 1 },
  });
}

describe('explainRefusedRun', () => {
  test.each<[string, unknown, number, string, string]>([
    [
      'a 429 rate limit',
      slowDown(429, 'too_many_requests'),
      3,
      titles.rateLimit,
      'HTTP 429 too_many_requests',
    ],
    [
      'namespace lock contention',
      slowDown(429, 'too_many_write_operations'),
      5,
      titles.rateLimit,
      'HTTP 429 too_many_write_operations',
    ],
    [
      'a 503 that says how long to wait',
      new DropboxResponseError(503, new Headers({ 'retry-after': '2' }), ''),
      2,
      titles.serverFailing,
      'HTTP 503',
    ],
  ])('%s: run-wide, titled as a single refusal would be', (_name, error, windows, title, failure) => {
    const explanation = explainRefusedRun(error, windows);
    expect(explanation.scope).toBe('run');
    expect(stopsTheRun(explanation)).toBe(true);
    expect(explanation.title).toBe(title);
    expect(explanation.message).toContain(`(${failure}) ${windows} time(s) in a row`);
    expect(explanation.message).toContain('the job summary lists them');
    expect(explanation.message).toContain('"max-attempts"');
  });
});

describe('RunStop', () => {
  const explanation = (title: string): Explanation => ({ title, message: `${title}.`, scope: 'run' });
  const cancelled = (): Explanation => explanation('Cancelled');

  test('runs until stopped; the first stop is kept, and aborts the signal with its title', () => {
    const stop = new RunStop(undefined, cancelled);
    expect(stop.stoppedBy).toBeUndefined();
    expect(stop.signal.aborted).toBe(false);
    const full = explanation('Dropbox is out of space');
    expect(stop.stop(full)).toBe(full);
    expect(stop.stop(explanation('later'))).toBe(full);
    expect(stop.stoppedBy).toBe(full);
    expect(stop.signal.aborted).toBe(true);
    expect((stop.signal.reason as Error).message).toBe('Dropbox is out of space');
  });

  test("the caller's cancellation stops the run, explained as cancelled", () => {
    const cancellation = new AbortController();
    const stop = new RunStop(cancellation.signal, cancelled);
    cancellation.abort(new Error('SIGINT'));
    expect(stop.stoppedBy?.title).toBe('Cancelled');
    expect(stop.signal.aborted).toBe(true);
  });

  test('a cancellation that came first stops the run from the start', () => {
    const stop = new RunStop(AbortSignal.abort(new Error('SIGTERM')), cancelled);
    expect(stop.stoppedBy?.title).toBe('Cancelled');
    expect(stop.signal.aborted).toBe(true);
  });

  test('a cancellation after the run stopped keeps what stopped it', () => {
    const cancellation = new AbortController();
    const stop = new RunStop(cancellation.signal, cancelled);
    stop.stop(explanation('Dropbox refresh token rejected'));
    cancellation.abort();
    expect(stop.stoppedBy?.title).toBe('Dropbox refresh token rejected');
  });

  test("stopping the run does not abort the caller's signal", () => {
    const cancellation = new AbortController();
    new RunStop(cancellation.signal, cancelled).stop(explanation('stopped'));
    expect(cancellation.signal.aborted).toBe(false);
  });
});
