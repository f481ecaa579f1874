import { formatBytes, formatDuration } from '../report/format.ts';

/** Files at least this big get progress lines; smaller ones finish before a line would help. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;
export const PROGRESS_INTERVAL_MS = 5000;

export interface ProgressSnapshot {
  name: string;
  sentBytes: number;
  totalBytes: number;
  elapsedMs: number;
}

export function progressLine(snapshot: ProgressSnapshot): string {
  const { name, sentBytes, totalBytes, elapsedMs } = snapshot;
  const percent = totalBytes === 0 ? 100 : (sentBytes / totalBytes) * 100;
  const bytesPerMs = elapsedMs > 0 ? sentBytes / elapsedMs : 0;
  const mibPerSecond = (bytesPerMs * 1000) / (1024 * 1024);
  const eta = bytesPerMs > 0 ? formatDuration((totalBytes - sentBytes) / bytesPerMs) : 'unknown';
  return `${name}: ${percent.toFixed(1)}% (${formatBytes(sentBytes)} of ${formatBytes(totalBytes)}), ${mibPerSecond.toFixed(1)} MiB/s, ETA ${eta}`;
}

/** Logs a line about every 5 s while a big file is in flight. */
export class FileProgress {
  private sent = 0;
  private readonly started: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly name: string;
  private readonly total: number;
  private readonly now: () => number;

  constructor(name: string, total: number, log: (line: string) => void, now: () => number = Date.now) {
    this.name = name;
    this.total = total;
    this.now = now;
    this.started = now();
    if (total >= PROGRESS_MIN_BYTES) {
      this.timer = setInterval(() => log(progressLine(this.snapshot())), PROGRESS_INTERVAL_MS);
      this.timer.unref();
    }
  }

  add(bytes: number): void {
    this.sent += bytes;
  }

  snapshot(): ProgressSnapshot {
    return {
      name: this.name,
      sentBytes: this.sent,
      totalBytes: this.total,
      elapsedMs: this.now() - this.started,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
