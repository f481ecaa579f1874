/**
 * One pacer for the whole run, against the fake Dropbox: a 429 storm is waited out by every request
 * together and said once per window, a run Dropbox refuses entirely ends after max-attempts windows
 * whatever its file count, and the width of what is in flight narrows on 429 and widens again.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeDropbox } from '../../../fake-dropbox/index.ts';
import type { PlannedFile } from '../../../src/model.ts';
import { transferFiles, type TransferOutcome } from '../../../src/transfer/transfer.ts';
import { connect, refreshCredentials, startFakeDropbox, type Connection } from '../../support/dropbox.ts';
import { planTree } from '../../support/plan.ts';
import { makeTree, MiB, type Tree } from '../../support/tree.ts';

const trees: Tree[] = [];
afterAll(() => Promise.all(trees.map((tree) => tree.cleanup())));

/** `count` small files, in a few folders, with names that need care. */
async function smallFiles(count: number, destination: string): Promise<PlannedFile[]> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index += 1)
    files[`site ${index % 5}/page – ${String(index).padStart(4, '0')}.html`] = `<p>page ${index}</p>`;
  const tree = await makeTree(files);
  trees.push(tree);
  return planTree(tree, destination);
}

interface PacedRun {
  outcome: TransferOutcome;
  connection: Connection;
  elapsedMs: number;
  /** The pacer's width, sampled every few ms while the run lasted. */
  widths: number[];
  /** The width before and after each slow-down answer that changed it. */
  narrowings: [number, number][];
}

async function paced(
  server: FakeDropbox,
  plan: PlannedFile[],
  options: { concurrency: number; maxAttempts?: number },
): Promise<PacedRun> {
  const connection = connect(refreshCredentials(server), options.maxAttempts ?? 5);
  const widths: number[] = [];
  const sampler = setInterval(() => widths.push(connection.api.pacer.width), 5);
  const { pacer } = connection.api;
  const narrowings: [number, number][] = [];
  const slowedDown = pacer.slowedDown.bind(pacer);
  pacer.slowedDown = (...args) => {
    const before = pacer.width;
    slowedDown(...args);
    if (pacer.width !== before) narrowings.push([before, pacer.width]);
  };
  const started = Date.now();
  try {
    const outcome = await transferFiles(plan, connection.api, {
      chunkSizeBytes: 4 * MiB,
      concurrency: options.concurrency,
      ifExists: 'overwrite',
      log: (line) => connection.retryLines.push(line),
      batchPolicy: { maxWaitMs: 50 },
    });
    return { outcome, connection, elapsedMs: Date.now() - started, widths, narrowings };
  } finally {
    clearInterval(sampler);
  }
}

const slowDownLines = (run: PacedRun): string[] =>
  run.connection.retryLines.filter((line) => line.startsWith('Dropbox asked to slow down'));

describe('a 429 on every request: Dropbox refuses the run', () => {
  let server: FakeDropbox;
  beforeAll(async () => {
    server = await startFakeDropbox({ latencyMs: 5 });
  });
  afterAll(() => server.close());

  test('200 files end after max-attempts windows, said once per window, with one "Dropbox rate limit"', async () => {
    const plan = await smallFiles(200, '/storm');
    server.faults.add({
      route: /^files\//,
      every: 1,
      action: { kind: 'rate-limit', retryAfterSeconds: 1, reason: 'too_many_requests' },
    });
    const run = await paced(server, plan, { concurrency: 8, maxAttempts: 4 });
    server.faults.clear();

    expect(run.outcome.stoppedBy?.title).toBe('Dropbox rate limit');
    expect(run.outcome.stoppedBy?.scope).toBe('run');
    expect(run.outcome.stoppedBy?.message).toMatch(/too_many_requests\) 4 time\(s\) in a row/);
    expect(run.outcome.results.map((result) => result.status)).toEqual(plan.map(() => 'failed'));
    expect(new Set(run.outcome.results.map((result) => result.error?.title))).toEqual(
      new Set(['Dropbox rate limit']),
    );
    // Three windows of 1 s waited out by every request together, then the refusal: about
    // (max-attempts - 1) × Retry-After, not 200 files × 3 retries × 1 s spread over the workers.
    expect(run.elapsedMs).toBeGreaterThanOrEqual(3000);
    expect(run.elapsedMs).toBeLessThan(15_000);
    // One line per window (and one for the refusal), none per file.
    const lines = slowDownLines(run);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3)).toEqual(
      lines
        .slice(0, 3)
        .map(() =>
          expect.stringMatching(
            /^Dropbox asked to slow down \(HTTP 429 too_many_requests\): every request waits 1\.0 s/,
          ),
        ),
    );
    expect(lines[3]).toMatch(/4 time\(s\) in a row .* no more requests are sent\.$/);
    expect(run.connection.retryLines.filter((line) => /; retry \d+ of/.test(line))).toEqual([]);
    // Each window let out only the narrowing width, so most files never sent a request.
    const uploads = server.requests.filter((entry) => entry.route === 'files/upload_session/start');
    expect(uploads.length).toBeLessThan(40);
    expect(server.files()).toHaveLength(0);
  });
});

describe('a server that answers 429 beyond 6 requests at once', () => {
  let server: FakeDropbox;
  beforeAll(async () => {
    server = await startFakeDropbox({ latencyMs: 25, maxConcurrentRequests: 6 });
  });
  afterAll(() => server.close());

  test('the width grows past it, halves on the 429, stays below it, and no file fails', async () => {
    const plan = await smallFiles(150, '/limited');
    const since = server.requests.length;
    const run = await paced(server, plan, { concurrency: 2 });

    expect(run.outcome.stoppedBy).toBeUndefined();
    expect(run.outcome.results.map((result) => result.status)).toEqual(plan.map(() => 'uploaded'));
    expect(server.files().filter((file) => file.path.startsWith('/limited/'))).toHaveLength(150);
    const refused = server.requests.slice(since).filter((entry) => entry.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // Widened from concurrency 2 until Dropbox refused, then halved at each window; a window or two
    // later (our count of what was in flight overestimates what the server held), held below the limit.
    expect(Math.max(...run.widths)).toBeGreaterThan(6);
    expect(run.narrowings.length).toBeGreaterThanOrEqual(1);
    for (const [before, after] of run.narrowings) expect(after).toBe(Math.max(1, Math.floor(before / 2)));
    const windows = slowDownLines(run);
    expect(windows.length).toBeGreaterThanOrEqual(1);
    expect(windows.length).toBeLessThanOrEqual(3);
    expect(run.connection.api.pacer.width).toBeLessThanOrEqual(6);
    expect(run.connection.api.pacer.width).toBeGreaterThanOrEqual(3);
    for (const line of slowDownLines(run))
      expect(line).toMatch(/every request waits 1\.0 s, then at most [1-6] at once\.$/);
  });
});

describe('a server that never asks to slow down', () => {
  let server: FakeDropbox;
  beforeAll(async () => {
    server = await startFakeDropbox({ latencyMs: 20 });
  });
  afterAll(() => server.close());

  test('many small files widen the width from concurrency to the cap of 64', async () => {
    const plan = await smallFiles(400, '/wide');
    const run = await paced(server, plan, { concurrency: 2 });
    expect(run.outcome.results.every((result) => result.status === 'uploaded')).toBe(true);
    expect(run.widths[0]).toBe(2);
    expect(Math.max(...run.widths)).toBe(64);
    expect(slowDownLines(run)).toEqual([]);
  });

  test('one 429 in the middle halves the width, which then grows back by one per round', async () => {
    const plan = await smallFiles(600, '/wide-again');
    server.faults.add({
      route: 'files/upload_session/start',
      nth: 150,
      action: { kind: 'rate-limit', retryAfterSeconds: 1, reason: 'too_many_requests' },
    });
    const run = await paced(server, plan, { concurrency: 2 });
    server.faults.clear();
    expect(run.outcome.results.every((result) => result.status === 'uploaded')).toBe(true);
    expect(run.narrowings).toHaveLength(1);
    const [before, after] = run.narrowings[0] as [number, number];
    expect(after).toBe(Math.floor(before / 2));
    const narrowedAt = run.widths.lastIndexOf(after);
    expect(Math.max(...run.widths.slice(narrowedAt))).toBeGreaterThan(after);
    expect(slowDownLines(run)).toHaveLength(1);
  });
});
