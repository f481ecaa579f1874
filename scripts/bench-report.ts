/**
 * The pure half of `npm run bench`: physical bounds, the issue's targets, and the tables. bench.ts
 * measures; this module only computes from the measurements, so it can be checked without running any.
 */
import { budgetsFor } from '../src/transfer/budgets.ts';

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
  /** The restore's `downloaded-bytes` output: file content it wrote (R). */
  downloadedBytes: number;
  /** Request-body bytes the server received on the upload routes (files/upload, upload_session/*). */
  contentBytesSent: number;
  requests: number;
  /** Answers with status 429 (too_many_requests or too_many_write_operations). */
  rateLimited: number;
  failedFiles: number;
  exitCode: number | null;
  peakRssBytes: number;
  /** R: whether the restored file had the seeded file's size and SHA-256. */
  restoredExact?: boolean;
}

/**
 * A–D: the throughput scenarios. E: many tiny files (the scale case, at several counts). F: A against
 * a server that answers 429 to more than 16 requests at once. R: a 1 GiB file brought back by the restore.
 */
export type ScenarioId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'R';

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  run: Measurement;
  /** The same scenario at `concurrency: 1`, when it was run. */
  serial?: Measurement;
}

/** The scale case: the same tree of tiny files uploaded at growing counts, to show time grows linearly. */
export interface ScaleResult {
  title: string;
  runs: Measurement[];
}

export interface Check {
  scenario: ScenarioId;
  target: string;
  measured: string;
  pass: boolean;
}

/**
 * Bench A at the default inputs before the pacer widened small files: 6.53 s (README Performance
 * table, 2 vCPU). The pacer's target is at least 1.5× faster than that.
 */
export const A_BEFORE_PACER_MS = 6530;

/** At 429 to more than this many requests at once the fake server refuses (scenario F). */
export const F_SERVER_LIMIT = 16;

/** The issue's bound on the scale case's memory, at 100,000 files. */
export const SCALE_RSS_BOUND_BYTES = 300 * MiB;

/** Requests a small file may go out in at once: the pacer's widest. */
function widest(m: Measurement): number {
  return budgetsFor(m.concurrency).maxRequests;
}

/**
 * The fastest the run could be on this network, in ms. A, E and F: a round trip per file, at the
 * widest the pacer goes; B and R: bytes ÷ min(global cap, concurrency × per-connection cap), as the
 * issues define it (the caps hold download bodies as they hold request bodies); C: the token and the listing's round trips; D: the slot time every byte needs, spread
 * over `concurrency` connections, plus the small files' round trips at the widest, and never faster
 * than the global cap.
 */
export function physicalBoundMs(id: ScenarioId, m: Measurement, net: Network): number {
  const pipe = Math.min(net.globalBytesPerSecond, m.concurrency * net.connectionBytesPerSecond);
  switch (id) {
    case 'A':
    case 'E':
    case 'F':
      return (m.files * net.latencyMs) / widest(m);
    case 'B':
    case 'R':
      return (m.bytes / pipe) * 1000;
    case 'C':
      // Nothing to send: one token refresh and the destination listing's round trips (500 entries a page).
      return (2 + Math.ceil(m.files / 500)) * net.latencyMs;
    case 'D': {
      const bytesMs = (m.bytes / net.connectionBytesPerSecond) * 1000;
      const slotMs = bytesMs / m.concurrency + (m.smallFiles * net.latencyMs) / widest(m);
      return Math.max(slotMs, (m.bytes / net.globalBytesPerSecond) * 1000);
    }
  }
}

/** The issue's bound on memory: 100 MiB + concurrency × chunk-size. */
export function memoryBoundBytes(m: Measurement): number {
  return (100 + m.concurrency * m.chunkSizeMiB) * MiB;
}

export function speedup(result: ScenarioResult): number | undefined {
  return result.serial === undefined ? undefined : result.serial.wallMs / Math.max(1, result.run.wallMs);
}

export function filesPerSecond(m: Measurement): number {
  return m.files / Math.max(0.001, m.wallMs / 1000);
}

export function requestsPerFile(m: Measurement): number {
  return m.requests / Math.max(1, m.files);
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const seconds = (ms: number): string => `${fixed(ms / 1000, 2)} s`;
const mib = (bytes: number): string => `${fixed(bytes / MiB)} MiB`;

/**
 * The targets of one big file moved (B uploaded, R restored): speed-up over concurrency 1, the physical
 * bound, memory, no failure; for R also that what arrived is the file that was stored.
 */
function bigFileChecks(result: ScenarioResult, net: Network): Omit<Check, 'scenario'>[] {
  const { id, run, serial } = result;
  const out: Omit<Check, 'scenario'>[] = [];
  const ratio = speedup(result);
  if (ratio !== undefined)
    out.push({
      target: '≥ 3.5× faster than concurrency 1',
      measured: `${fixed(ratio)}×`,
      pass: ratio >= 3.5,
    });
  const bound = physicalBoundMs(id, run, net);
  const overBound = run.wallMs / bound;
  out.push({
    target: 'within 1.3× of bytes ÷ min(global, concurrency × per-connection)',
    measured: `${fixed(overBound, 2)}× (${seconds(run.wallMs)} vs ${seconds(bound)})`,
    pass: overBound <= 1.3,
  });
  const memory = memoryBoundBytes(run);
  out.push({
    target: `peak RSS ≤ 100 MiB + ${run.concurrency} × ${run.chunkSizeMiB} MiB`,
    measured: `${mib(run.peakRssBytes)} (bound ${mib(memory)})`,
    pass: run.peakRssBytes > 0 && run.peakRssBytes <= memory,
  });
  out.push({
    target: '0 failed files',
    measured: `${run.failedFiles} (exit ${run.exitCode})`,
    pass: run.exitCode === 0 && run.failedFiles === 0,
  });
  if (id === 'R') {
    const runs = serial === undefined ? [run] : [run, serial];
    out.push({
      target: 'the restored file byte-exact (size and SHA-256)',
      measured: runs
        .map((m) => `${m.restoredExact === true ? 'exact' : 'NOT exact'} at concurrency ${m.concurrency}`)
        .join(', '),
      pass: runs.every((m) => m.restoredExact === true),
    });
  }
  return out;
}

/** Every target of the issues, with what was measured. */
export function checks(results: readonly ScenarioResult[], net: Network): Check[] {
  const out: Check[] = [];
  const add = (scenario: ScenarioId, target: string, measured: string, pass: boolean): void => {
    out.push({ scenario, target, measured, pass });
  };
  for (const result of results) {
    const { id, run } = result;
    const clean = run.exitCode === 0 && run.failedFiles === 0;
    const failed = `${run.failedFiles} (exit ${run.exitCode})`;
    if (id === 'A') {
      const faster = A_BEFORE_PACER_MS / Math.max(1, run.wallMs);
      add(
        id,
        `≥ 1.5× faster than before the pacer (${seconds(A_BEFORE_PACER_MS)})`,
        `${fixed(faster, 2)}× (${seconds(run.wallMs)})`,
        faster >= 1.5,
      );
      add(id, '0 failed files', failed, clean);
      const perFile = requestsPerFile(run);
      add(id, '≤ 1.1 requests per file', `${fixed(perFile, 3)}`, perFile <= 1.1);
    } else if (id === 'B' || id === 'R') {
      for (const check of bigFileChecks(result, net)) add(id, check.target, check.measured, check.pass);
    } else if (id === 'C') {
      add(
        id,
        'no content sent',
        `${run.contentBytesSent} bytes on upload routes, uploaded-bytes ${run.uploadedBytes}`,
        run.contentBytesSent === 0 && run.uploadedBytes === 0 && run.exitCode === 0,
      );
      add(id, 'under 2 s', seconds(run.wallMs), run.wallMs < 2000);
    } else if (id === 'F') {
      add(
        id,
        `0 failed files with 429 beyond ${F_SERVER_LIMIT} at once`,
        `${run.failedFiles} (exit ${run.exitCode}), ${run.rateLimited} × 429, ${seconds(run.wallMs)}`,
        clean,
      );
    } else {
      add(id, '0 failed files (figures only)', failed, clean);
    }
  }
  return out;
}

/** The scale case's targets: memory at the largest count, no failure, one request a file, linear time. */
export function scaleChecks(scale: ScaleResult): Check[] {
  const out: Check[] = [];
  const runs = [...scale.runs].sort((a, b) => a.files - b.files);
  const smallest = runs[0];
  const largest = runs.at(-1);
  if (smallest === undefined || largest === undefined) return out;
  const count = largest.files.toLocaleString('en-US');
  out.push({
    scenario: 'E',
    target: `peak RSS ≤ ${mib(SCALE_RSS_BOUND_BYTES)} at ${count} files`,
    measured: mib(largest.peakRssBytes),
    pass: largest.peakRssBytes > 0 && largest.peakRssBytes <= SCALE_RSS_BOUND_BYTES,
  });
  const failed = runs.reduce((sum, run) => sum + run.failedFiles, 0);
  out.push({
    scenario: 'E',
    target: '0 failed files',
    measured: `${failed} (exits ${runs.map((run) => run.exitCode).join(', ')})`,
    pass: failed === 0 && runs.every((run) => run.exitCode === 0),
  });
  const perFile = requestsPerFile(largest);
  out.push({
    scenario: 'E',
    target: '≤ 1.1 requests per file',
    measured: fixed(perFile, 3),
    pass: perFile <= 1.1,
  });
  // Linear: a file takes no longer at the largest count than at the smallest (a fixed start-up cost
  // weighs less the more files there are, so the rate may rise; it must not fall by much).
  const slowdown = filesPerSecond(smallest) / filesPerSecond(largest);
  out.push({
    scenario: 'E',
    target: `time grows linearly: files/s at ${count} ≥ 0.8 × at ${smallest.files.toLocaleString('en-US')}`,
    measured: `${fixed(filesPerSecond(largest), 0)} vs ${fixed(filesPerSecond(smallest), 0)} files/s`,
    pass: runs.length > 1 && slowdown <= 1.25,
  });
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
      fixed((m.uploadedBytes + m.downloadedBytes) / MiB / (m.wallMs / 1000)),
      String(m.requests),
      String(m.rateLimited),
      String(m.failedFiles),
      mib(m.peakRssBytes),
      ratio,
      `${fixed(m.wallMs / bound, 2)} (bound ${seconds(bound)})`,
    ]);
  for (const result of results) {
    const ratio = speedup(result);
    lines.push(
      line(
        `${result.id}: ${result.title}`,
        result.run,
        ratio === undefined ? '—' : `${fixed(ratio)}×`,
        physicalBoundMs(result.id, result.run, net),
      ),
    );
  }
  for (const result of results) {
    if (result.serial === undefined) continue;
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

/** The scale case: a row per file count. */
export function scaleTable(scale: ScaleResult, net: Network): string {
  const header = [
    'files',
    'wall',
    'files/s',
    'requests/file',
    '429s',
    'failed files',
    'peak RSS',
    'wall ÷ physical bound',
  ];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const m of [...scale.runs].sort((a, b) => a.files - b.files)) {
    const bound = physicalBoundMs('E', m, net);
    lines.push(
      row([
        m.files.toLocaleString('en-US'),
        seconds(m.wallMs),
        fixed(filesPerSecond(m), 0),
        fixed(requestsPerFile(m), 3),
        String(m.rateLimited),
        String(m.failedFiles),
        mib(m.peakRssBytes),
        `${fixed(m.wallMs / bound, 2)} (bound ${seconds(bound)})`,
      ]),
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
