import { describe, expect, test } from '@jest/globals';
import {
  A_BEFORE_PACER_MS,
  checks,
  memoryBoundBytes,
  MiB,
  physicalBoundMs,
  resultsTable,
  scaleChecks,
  scaleTable,
  type Measurement,
  type Network,
  type ScenarioResult,
} from '../../../scripts/bench-report.ts';

const net: Network = {
  latencyMs: 40,
  commitLockMs: 100,
  connectionBytesPerSecond: 24 * MiB,
  globalBytesPerSecond: 200 * MiB,
};

function measured(overrides: Partial<Measurement>): Measurement {
  return {
    concurrency: 8,
    chunkSizeMiB: 16,
    files: 1,
    smallFiles: 0,
    bytes: 0,
    wallMs: 1000,
    uploadedBytes: 0,
    downloadedBytes: 0,
    contentBytesSent: 0,
    requests: 0,
    rateLimited: 0,
    failedFiles: 0,
    exitCode: 0,
    peakRssBytes: 150 * MiB,
    ...overrides,
  };
}

describe('physical bounds', () => {
  test.each([
    // A: a round trip per file at the pacer's widest (64, or concurrency if more)
    ['A', { files: 1000, smallFiles: 1000 }, 625],
    ['A', { files: 1000, smallFiles: 1000, concurrency: 1 }, 625],
    ['A', { files: 1000, smallFiles: 1000, concurrency: 64 }, 625],
    ['E', { files: 100_000, smallFiles: 100_000 }, 62_500],
    ['F', { files: 1000, smallFiles: 1000 }, 625],
    // B: bytes ÷ min(global, concurrency × per-connection): 1 GiB at 192 MiB/s, and at 200 MiB/s
    ['B', { bytes: 1024 * MiB }, (1024 / 192) * 1000],
    ['B', { bytes: 1024 * MiB, concurrency: 16 }, (1024 / 200) * 1000],
    ['B', { bytes: 1024 * MiB, concurrency: 1 }, (1024 / 24) * 1000],
    // R: the same pipe, downstream
    ['R', { bytes: 1024 * MiB }, (1024 / 192) * 1000],
    ['R', { bytes: 1024 * MiB, concurrency: 1 }, (1024 / 24) * 1000],
    // C: a token and the listing's pages
    ['C', { files: 1000 }, 4 * 40],
    // D: the bytes at the per-connection rate over the connections, plus the small files' round trips
    // at the pacer's widest
    ['D', { files: 203, smallFiles: 200, bytes: 900 * MiB }, ((900 / 24) * 1000) / 8 + (200 * 40) / 64],
  ] as const)('%s %j → %d ms', (id, overrides, expected) => {
    expect(physicalBoundMs(id, measured(overrides), net)).toBeCloseTo(expected, 6);
  });

  test('memory bound is 100 MiB + concurrency × chunk-size', () => {
    expect(memoryBoundBytes(measured({ concurrency: 8, chunkSizeMiB: 16 }))).toBe(228 * MiB);
  });
});

describe('targets', () => {
  const result = (
    id: ScenarioResult['id'],
    run: Partial<Measurement>,
    serial?: Partial<Measurement>,
  ): ScenarioResult => ({
    id,
    title: id,
    run: measured(run),
    ...(serial === undefined ? {} : { serial: measured({ concurrency: 1, ...serial }) }),
  });

  test('A passes at 1.5× faster than before the pacer with ≤ 1.1 requests per file, fails below either', () => {
    const pass = checks([result('A', { files: 1000, requests: 1100, wallMs: A_BEFORE_PACER_MS / 1.5 })], net);
    expect(pass.map((check) => check.pass)).toEqual([true, true, true]);
    const fail = checks(
      [result('A', { files: 1000, requests: 1101, wallMs: A_BEFORE_PACER_MS / 1.5 + 1 }, { wallMs: 30_000 })],
      net,
    );
    expect(fail.map((check) => check.pass)).toEqual([false, true, false]);
  });

  test('B checks speed-up, physical bound, memory and failures', () => {
    const boundMs = (1024 / 192) * 1000;
    const list = checks(
      [
        result(
          'B',
          { bytes: 1024 * MiB, wallMs: boundMs * 1.3, peakRssBytes: 229 * MiB },
          { wallMs: boundMs * 1.3 * 3.5 },
        ),
      ],
      net,
    );
    expect(list.map((check) => [check.target.slice(0, 12), check.pass])).toEqual([
      ['≥ 3.5× faste', true],
      ['within 1.3× ', true],
      ['peak RSS ≤ 1', false],
      ['0 failed fil', true],
    ]);
  });

  test.each([
    // wall ÷ bound, × vs concurrency 1, peak RSS in MiB, failed, exact at 8, exact at 1 → pass per check
    [1.3, 3.5, 228, 0, true, true, [true, true, true, true, true]],
    [1.31, 3.4, 229, 1, true, true, [false, false, false, false, true]],
    [1.0, 5, 200, 0, false, true, [true, true, true, true, false]],
    [1.0, 5, 200, 0, true, undefined, [true, true, true, true, false]],
  ] as const)(
    'R at %s× its bound, %s× concurrency 1, %s MiB, %s failed, exact %s / %s → %j',
    (overBound, faster, peakMiB, failedFiles, exact, serialExact, expected) => {
      const boundMs = (1024 / 192) * 1000;
      const list = checks(
        [
          result(
            'R',
            {
              bytes: 1024 * MiB,
              wallMs: boundMs * overBound,
              peakRssBytes: peakMiB * MiB,
              failedFiles,
              restoredExact: exact,
            },
            {
              bytes: 1024 * MiB,
              wallMs: boundMs * overBound * faster,
              ...(serialExact === undefined ? {} : { restoredExact: serialExact }),
            },
          ),
        ],
        net,
      );
      expect(list.map((check) => check.scenario)).toEqual(['R', 'R', 'R', 'R', 'R']);
      expect(list.map((check) => check.pass)).toEqual(expected);
    },
  );

  test('R says at which concurrency the restored file was not exact', () => {
    const list = checks(
      [result('R', { bytes: 1024 * MiB, restoredExact: true }, { bytes: 1024 * MiB, restoredExact: false })],
      net,
    );
    expect(list.at(-1)).toEqual({
      scenario: 'R',
      target: 'the restored file byte-exact (size and SHA-256)',
      measured: 'exact at concurrency 8, NOT exact at concurrency 1',
      pass: false,
    });
  });

  test('C fails when any content was sent or it took 2 s', () => {
    const list = checks([result('C', { contentBytesSent: 1, wallMs: 2000 }, {})], net);
    expect(list.map((check) => check.pass)).toEqual([false, false]);
  });

  test('F passes with 0 failed files and says how many 429s it took', () => {
    const [pass] = checks([result('F', { files: 1000, rateLimited: 37, wallMs: 5000 })], net);
    expect(pass).toMatchObject({ pass: true, measured: '0 (exit 0), 37 × 429, 5.00 s' });
    const [fail] = checks([result('F', { files: 1000, failedFiles: 1, exitCode: 1 })], net);
    expect(fail?.pass).toBe(false);
  });

  test('a run that crashed fails its failure check', () => {
    const list = checks([result('D', { exitCode: 1, failedFiles: 0 }, {})], net);
    expect(list.map((check) => check.pass)).toEqual([false]);
  });
});

describe('the results table', () => {
  test('MiB/s counts what was uploaded or downloaded, and R has its concurrency-1 row', () => {
    const table = resultsTable(
      [
        {
          id: 'R',
          title: 'one 1 GiB file restored',
          run: measured({ bytes: 1024 * MiB, downloadedBytes: 1024 * MiB, wallMs: 6400, requests: 66 }),
          serial: measured({
            concurrency: 1,
            bytes: 1024 * MiB,
            downloadedBytes: 1024 * MiB,
            wallMs: 44_800,
          }),
        },
        {
          id: 'B',
          title: 'one 1 GiB file',
          run: measured({ bytes: 1024 * MiB, uploadedBytes: 1024 * MiB, wallMs: 8000 }),
        },
      ],
      net,
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| R: one 1 GiB file restored | 8 | 6.40 s | 160.0 | 66 | 0 | 0 | 150.0 MiB | 7.0× | 1.20 (bound 5.33 s) |',
      '| B: one 1 GiB file | 8 | 8.00 s | 128.0 | 0 | 0 | 0 | 150.0 MiB | — | 1.50 (bound 5.33 s) |',
      '| R at concurrency 1 | 1 | 44.80 s | 22.9 | 0 | 0 | 0 | 150.0 MiB | 1.0× | 1.05 (bound 42.67 s) |',
    ]);
  });
});

describe('the scale case', () => {
  const run = (files: number, wallMs: number, peakMiB: number): Measurement =>
    measured({ files, smallFiles: files, wallMs, requests: files + 103, peakRssBytes: peakMiB * MiB });

  test('passes at ≤ 300 MiB, one request a file, no failure, and files/s that hold as the count grows', () => {
    const list = scaleChecks({
      title: 'tiny',
      runs: [run(100_000, 100_000, 290), run(25_000, 27_000, 200), run(50_000, 51_000, 240)],
    });
    expect(list.map((check) => [check.target, check.measured, check.pass])).toEqual([
      ['peak RSS ≤ 300.0 MiB at 100,000 files', '290.0 MiB', true],
      ['0 failed files', '0 (exits 0, 0, 0)', true],
      ['≤ 1.1 requests per file', '1.001', true],
      ['time grows linearly: files/s at 100,000 ≥ 0.8 × at 25,000', '1000 vs 926 files/s', true],
    ]);
  });

  test('fails over 300 MiB, or when a file takes much longer at the largest count', () => {
    const list = scaleChecks({ title: 'tiny', runs: [run(25_000, 20_000, 200), run(100_000, 120_000, 301)] });
    expect(list.map((check) => check.pass)).toEqual([false, true, true, false]);
  });

  test('its table has a row per count, smallest first', () => {
    const table = scaleTable(
      { title: 'tiny', runs: [run(100_000, 100_000, 290), run(25_000, 27_000, 200)] },
      net,
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| 25,000 | 27.00 s | 926 | 1.004 | 0 | 0 | 200.0 MiB | 1.73 (bound 15.63 s) |',
      '| 100,000 | 100.00 s | 1000 | 1.001 | 0 | 0 | 290.0 MiB | 1.60 (bound 62.50 s) |',
    ]);
  });
});
