/**
 * The pure half of `npm run bench`: physical bounds, the issue's targets, and the tables. bench.ts
 * measures; this module only computes from the measurements, so it can be checked without running any.
 */

export const MiB = 1024 * 1024;

/** What the fake server was told to do: the same network for every scenario. */
export interface Network {
  latencyMs: number;
  commitLockMs: number;
  /** bytes/s */
  connectionBytesPerSecond: number;
  /** bytes/s */
  globalBytesPerSecond: number;
}

/** What one run of the bundled action measured. */
export interface Measurement {
  concurrency: number;
  chunkSizeMiB: number;
  /** Files in the scenario, and their bytes. */
  files: number;
  /** Of those, files that fit in one request (≤ chunk-size): each costs at least one round trip. */
  smallFiles: number;
  bytes: number;
  wallMs: number;
  /** The action's `uploaded-bytes` output: file content it sent. */
  uploadedBytes: number;
  /** Request-body bytes the server received on the upload routes (files/upload, upload_session/*). */
  contentBytesSent: number;
  requests: number;
  /** Answers with status 429 (too_many_requests or too_many_write_operations). */
  rateLimited: number;
  failedFiles: number;
  exitCode: number | null;
  peakRssBytes: number;
}

export type ScenarioId = 'A' | 'B' | 'C' | 'D';

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  run: Measurement;
  /** The same scenario at `concurrency: 1`. */
  serial: Measurement;
}

export interface Check {
  scenario: ScenarioId;
  target: string;
  measured: string;
  pass: boolean;
}

/**
 * The fastest the run could be on this network, in ms. A and C: round trips that cannot overlap beyond
 * `concurrency`; B: bytes ÷ min(global cap, concurrency × per-connection cap), as the issue defines it;
 * D: the slot time every byte and every small file needs, spread over the slots, and never faster
 * than the global cap.
 */
export function physicalBoundMs(id: ScenarioId, m: Measurement, net: Network): number {
  const pipe = Math.min(net.globalBytesPerSecond, m.concurrency * net.connectionBytesPerSecond);
  switch (id) {
    case 'A':
      return (m.files * net.latencyMs) / m.concurrency;
    case 'B':
      return (m.bytes / pipe) * 1000;
    case 'C':
      // Nothing to send: one token refresh and the destination listing's round trips (500 entries a page).
      return (2 + Math.ceil(m.files / 500)) * net.latencyMs;
    case 'D': {
      const slotMs = (m.bytes / net.connectionBytesPerSecond) * 1000 + m.smallFiles * net.latencyMs;
      return Math.max(slotMs / m.concurrency, (m.bytes / net.globalBytesPerSecond) * 1000);
    }
  }
}

/** The issue's bound on memory: 100 MiB + concurrency × chunk-size. */
export function memoryBoundBytes(m: Measurement): number {
  return (100 + m.concurrency * m.chunkSizeMiB) * MiB;
}

export function speedup(result: ScenarioResult): number {
  return result.serial.wallMs / Math.max(1, result.run.wallMs);
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const seconds = (ms: number): string => `${fixed(ms / 1000, 2)} s`;
const mib = (bytes: number): string => `${fixed(bytes / MiB)} MiB`;

/** Every target of the issue, with what was measured. */
export function checks(results: readonly ScenarioResult[], net: Network): Check[] {
  const out: Check[] = [];
  const add = (scenario: ScenarioId, target: string, measured: string, pass: boolean): void => {
    out.push({ scenario, target, measured, pass });
  };
  for (const result of results) {
    const { id, run } = result;
    const ratio = speedup(result);
    const clean = run.exitCode === 0 && run.failedFiles === 0;
    if (id === 'A') {
      add(id, '≥ 6× faster than concurrency 1', `${fixed(ratio)}×`, ratio >= 6);
      add(id, '0 failed files', `${run.failedFiles} (exit ${run.exitCode})`, clean);
      const perFile = run.requests / run.files;
      add(id, '≤ 1.1 requests per file', `${fixed(perFile, 3)}`, perFile <= 1.1);
    } else if (id === 'B') {
      add(id, '≥ 3.5× faster than concurrency 1', `${fixed(ratio)}×`, ratio >= 3.5);
      const bound = physicalBoundMs(id, run, net);
      const overBound = run.wallMs / bound;
      add(
        id,
        'within 1.3× of bytes ÷ min(global, concurrency × per-connection)',
        `${fixed(overBound, 2)}× (${seconds(run.wallMs)} vs ${seconds(bound)})`,
        overBound <= 1.3,
      );
      const memory = memoryBoundBytes(run);
      add(
        id,
        `peak RSS ≤ 100 MiB + ${run.concurrency} × ${run.chunkSizeMiB} MiB`,
        `${mib(run.peakRssBytes)} (bound ${mib(memory)})`,
        run.peakRssBytes > 0 && run.peakRssBytes <= memory,
      );
      add(id, '0 failed files', `${run.failedFiles} (exit ${run.exitCode})`, clean);
    } else if (id === 'C') {
      add(
        id,
        'no content sent',
        `${run.contentBytesSent} bytes on upload routes, uploaded-bytes ${run.uploadedBytes}`,
        run.contentBytesSent === 0 && run.uploadedBytes === 0 && run.exitCode === 0,
      );
      add(id, 'under 2 s', seconds(run.wallMs), run.wallMs < 2000);
    } else {
      add(id, '0 failed files (figures only)', `${run.failedFiles} (exit ${run.exitCode})`, clean);
    }
  }
  return out;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The issue's table: one row per scenario at the default concurrency, then the concurrency-1 runs. */
export function resultsTable(results: readonly ScenarioResult[], net: Network): string {
  const header = [
    'scenario',
    'concurrency',
    'wall',
    'MiB/s',
    'requests',
    '429s',
    'failed files',
    'peak RSS',
    '× vs concurrency 1',
    'wall ÷ physical bound',
  ];
  const lines = [row(header), row(header.map(() => '---'))];
  const line = (label: string, m: Measurement, ratio: string, bound: number): string =>
    row([
      label,
      String(m.concurrency),
      seconds(m.wallMs),
      fixed(m.uploadedBytes / MiB / (m.wallMs / 1000)),
      String(m.requests),
      String(m.rateLimited),
      String(m.failedFiles),
      mib(m.peakRssBytes),
      ratio,
      `${fixed(m.wallMs / bound, 2)} (bound ${seconds(bound)})`,
    ]);
  for (const result of results) {
    lines.push(
      line(
        `${result.id}: ${result.title}`,
        result.run,
        `${fixed(speedup(result))}×`,
        physicalBoundMs(result.id, result.run, net),
      ),
    );
  }
  for (const result of results) {
    lines.push(
      line(
        `${result.id} at concurrency 1`,
        result.serial,
        '1.0×',
        physicalBoundMs(result.id, result.serial, net),
      ),
    );
  }
  return lines.join('\n');
}

export function checksTable(list: readonly Check[]): string {
  const lines = [row(['scenario', 'target', 'measured', 'result']), row(['---', '---', '---', '---'])];
  for (const check of list)
    lines.push(row([check.scenario, check.target, check.measured, check.pass ? 'PASS' : 'FAIL']));
  return lines.join('\n');
}
