import { describe, expect, test } from '@jest/globals';
import {
  checks,
  memoryBoundBytes,
  MiB,
  physicalBoundMs,
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
    // A: files × latency ÷ concurrency
    ['A', { files: 1000, smallFiles: 1000 }, 5000],
    ['A', { files: 1000, smallFiles: 1000, concurrency: 1 }, 40_000],
    // B: bytes ÷ min(global, concurrency × per-connection): 1 GiB at 192 MiB/s, and at 200 MiB/s
    ['B', { bytes: 1024 * MiB }, (1024 / 192) * 1000],
    ['B', { bytes: 1024 * MiB, concurrency: 16 }, (1024 / 200) * 1000],
    ['B', { bytes: 1024 * MiB, concurrency: 1 }, (1024 / 24) * 1000],
    // C: a token and the listing's pages
    ['C', { files: 1000 }, 4 * 40],
    // D: slot time (bytes at the per-connection rate plus a round trip per small file) over the slots
    ['D', { files: 203, smallFiles: 200, bytes: 900 * MiB }, ((900 / 24) * 1000 + 200 * 40) / 8],
  ] as const)('%s %j → %d ms', (id, overrides, expected) => {
    expect(physicalBoundMs(id, measured(overrides), net)).toBeCloseTo(expected, 6);
  });

  test('memory bound is 100 MiB + concurrency × chunk-size', () => {
    expect(memoryBoundBytes(measured({ concurrency: 8, chunkSizeMiB: 16 }))).toBe(228 * MiB);
  });
});

describe('targets', () => {
  const result = (id: ScenarioResult['id'], run: Partial<Measurement>, serial: Partial<Measurement>) => ({
    id,
    title: id,
    run: measured(run),
    serial: measured({ concurrency: 1, ...serial }),
  });

  test('A passes at 6× with ≤ 1.1 requests per file, fails below either', () => {
    const pass = checks(
      [result('A', { files: 1000, requests: 1100, wallMs: 5000 }, { wallMs: 30_000 })],
      net,
    );
    expect(pass.map((check) => check.pass)).toEqual([true, true, true]);
    const fail = checks(
      [result('A', { files: 1000, requests: 1101, wallMs: 5001 }, { wallMs: 30_000 })],
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

  test('C fails when any content was sent or it took 2 s', () => {
    const list = checks([result('C', { contentBytesSent: 1, wallMs: 2000 }, {})], net);
    expect(list.map((check) => check.pass)).toEqual([false, false]);
  });

  test('a run that crashed fails its failure check', () => {
    const list = checks([result('D', { exitCode: 1, failedFiles: 0 }, {})], net);
    expect(list.map((check) => check.pass)).toEqual([false]);
  });
});
