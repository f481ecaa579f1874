/**
 * The run's overall progress: files done of all, bytes done of all, the rate and an ETA. The transfer
 * feeds it (bytes that reached Dropbox, files finished); the pipeline has it said every
 * `progressIntervalMs` while the upload lasts. The line is pure formatting.
 */
import { formatBytes, formatDuration } from '../report/format.ts';

export interface RunProgressSnapshot {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

/** What the transfer tells the run's progress. */
export interface ProgressSink {
  /** Bytes of a file that reached Dropbox (a request carrying them was answered). */
  addBytes(bytes: number): void;
  /**
   * A file is finished, whichever way (uploaded, skipped or failed): whatever of its `size` was not
   * counted yet (`counted` bytes were) counts as done now, so the bytes reach the total with the files.
   */
  fileDone(size: number, counted: number): void;
}

/** `1234567` as `1,234,567`, whatever the runner's locale. */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function filesPerSecond(rate: number): string {
  return rate >= 10 ? groupDigits(rate) : rate.toFixed(1);
}

/**
 * The time left: the files left at the file rate and the bytes left at the byte rate, whichever ends
 * later (a run of small files is bound by the one, a big file by the other). Undefined before anything
 * is done.
 */
export function etaMs(snapshot: RunProgressSnapshot): number | undefined {
  const { filesDone, filesTotal, bytesDone, bytesTotal, elapsedMs } = snapshot;
  if (filesDone >= filesTotal && bytesDone >= bytesTotal) return 0;
  if (elapsedMs <= 0) return undefined;
  const byFiles = filesDone > 0 ? ((filesTotal - filesDone) / filesDone) * elapsedMs : undefined;
  const byBytes = bytesDone > 0 ? ((bytesTotal - bytesDone) / bytesDone) * elapsedMs : undefined;
  if (byFiles === undefined && byBytes === undefined) return undefined;
  return Math.max(byFiles ?? 0, byBytes ?? 0);
}

/** `Progress: 1,234 of 100,000 files, 1.2 MiB of 97.7 MiB, 617 files/s, 620.0 KiB/s, ETA 2 min 40 s` */
export function runProgressLine(snapshot: RunProgressSnapshot): string {
  const { filesDone, filesTotal, bytesDone, bytesTotal, elapsedMs } = snapshot;
  const seconds = elapsedMs / 1000;
  const rates =
    seconds > 0
      ? `, ${filesPerSecond(filesDone / seconds)} files/s, ${formatBytes(bytesDone / seconds)}/s`
      : '';
  const eta = etaMs(snapshot);
  return (
    `Progress: ${groupDigits(filesDone)} of ${groupDigits(filesTotal)} files, ` +
    `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}${rates}, ` +
    `ETA ${eta === undefined ? 'unknown' : formatDuration(eta)}`
  );
}

/** Counts what the transfer finished, from the moment it is made. */
export class RunProgress implements ProgressSink {
  readonly #filesTotal: number;
  readonly #bytesTotal: number;
  readonly #now: () => number;
  readonly #started: number;
  #filesDone = 0;
  #bytesDone = 0;

  constructor(filesTotal: number, bytesTotal: number, now: () => number = Date.now) {
    this.#filesTotal = filesTotal;
    this.#bytesTotal = bytesTotal;
    this.#now = now;
    this.#started = now();
  }

  addBytes(bytes: number): void {
    this.#bytesDone += bytes;
  }

  fileDone(size: number, counted: number): void {
    this.#filesDone += 1;
    this.#bytesDone += Math.max(0, size - counted);
  }

  snapshot(): RunProgressSnapshot {
    return {
      filesDone: this.#filesDone,
      filesTotal: this.#filesTotal,
      bytesDone: Math.min(this.#bytesDone, this.#bytesTotal),
      bytesTotal: this.#bytesTotal,
      elapsedMs: this.#now() - this.#started,
    };
  }

  /**
   * Says the line every `intervalMs` until stopped: a run shorter than one interval says nothing. The
   * timer does not keep the process alive.
   */
  every(intervalMs: number, say: (line: string) => void): { stop: () => void } {
    const timer = setInterval(() => say(runProgressLine(this.snapshot())), intervalMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
}
