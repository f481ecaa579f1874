/**
 * A terminal as a run's host: the command-line programs' readable log. Groups become headings, annotations
 * coloured lines, debug lines show only with --verbose, progress is one live line on a terminal (a line
 * every so often otherwise), and the summary prints as a plain-text table. Every line goes through `inert`
 * and has every registered secret replaced by ***, as the runner masks them; nothing here speaks the
 * runner's protocol.
 */
import type { Annotation } from '../model.ts';
import type { RunHost } from '../report/host.ts';
import { inert } from '../report/inert.ts';
import type { SummaryModel } from '../report/summary.ts';
import { renderText, TEXT_ROW_LIMIT, type TextLimits } from '../report/text.ts';

/** Where the log goes: process.stderr, or a recording stream in tests. */
export interface TerminalStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface TerminalOptions {
  /** Show debug lines. */
  verbose: boolean;
  /** ANSI colours on annotations, headings and debug lines. */
  color: boolean;
  /** Progress as one line rewritten in place (a terminal), rather than a line each time. */
  live: boolean;
  /** How the summary is cut, and where every row can be found instead. */
  summary?: TextLimits;
}

/**
 * Colours only on a terminal, and never when NO_COLOR is set to anything (no-color.org) or the terminal
 * says it is dumb; a live line needs a terminal that is not dumb.
 */
export function terminalOptions(
  stream: TerminalStream,
  environment: Readonly<Record<string, string | undefined>>,
  verbose: boolean,
): TerminalOptions {
  const terminal = stream.isTTY === true && environment['TERM'] !== 'dumb';
  return { verbose, color: terminal && !environment['NO_COLOR'], live: terminal };
}

const style = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  red: ['\x1b[31m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
} as const;

type Style = keyof typeof style;

const levelStyle: Record<Annotation['level'], Style> = { error: 'red', warning: 'yellow', notice: 'cyan' };

/** Erases the line the cursor is on and goes back to its start. */
const clearLine = '\r\x1b[2K';

/** Progress lines on a terminal come every second; elsewhere every 10 s, as in the action's log. */
const LIVE_PROGRESS_MS = 1000;
const LINE_PROGRESS_MS = 10_000;

export class TerminalHost implements RunHost {
  readonly progressIntervalMs: number;
  /** The outputs the run set, by name (`files`, `files-json`, the counts). */
  readonly outputs: Record<string, string> = {};
  /** Why the run failed, in order; empty when it did not. */
  readonly failures: string[] = [];
  readonly #stream: TerminalStream;
  readonly #options: TerminalOptions;
  readonly #secrets: string[] = [];
  /** The live progress line, shown below the log; redrawn after each log line. */
  #live: string | undefined;

  constructor(stream: TerminalStream, options: TerminalOptions) {
    this.#stream = stream;
    this.#options = options;
    this.progressIntervalMs = options.live ? LIVE_PROGRESS_MS : LINE_PROGRESS_MS;
  }

  info(line: string): void {
    this.#print(this.#shown(line));
  }

  debug(line: string): void {
    if (this.#options.verbose) this.#print(this.#paint('dim', `debug: ${this.#shown(line)}`));
  }

  progress(line: string): void {
    if (!this.#options.live) {
      this.#print(this.#shown(line));
      return;
    }
    // Cut to the terminal's width: a live line that wraps can no longer be erased in place.
    const width = Math.max(20, (this.#stream.columns ?? 80) - 1);
    const shown = [...this.#shown(line)];
    this.#live = shown.length > width ? `${shown.slice(0, width - 1).join('')}…` : shown.join('');
    this.#stream.write(`${clearLine}${this.#live}`);
  }

  annotate(annotation: Annotation): void {
    const level = this.#paint(levelStyle[annotation.level], `${annotation.level}:`);
    const title =
      annotation.title === undefined ? '' : `${this.#paint('bold', this.#shown(annotation.title))}: `;
    this.#print(`${level} ${title}${this.#shown(annotation.message)}`);
  }

  async group<T>(title: string, work: () => Promise<T>): Promise<T> {
    // Progress belongs to the stretch it was said in: a new one starts without the last one's line.
    this.#endLive();
    this.#print(this.#paint('bold', `== ${this.#shown(title)} ==`));
    return work();
  }

  setSecret(secret: string): void {
    if (secret === '' || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    // Longest first, so a secret that holds a shorter one is hidden whole.
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }

  async summary(model: SummaryModel): Promise<void> {
    this.#endLive();
    this.#stream.write('\n');
    for (const line of renderText(model, this.#options.summary ?? { maxRows: TEXT_ROW_LIMIT }))
      this.#stream.write(`${this.#shown(line)}\n`);
    this.#stream.write('\n');
  }

  fail(message: string): void {
    this.failures.push(message);
    this.#print(`${this.#paint('red', 'error:')} ${this.#shown(message)}`);
  }

  /** Every registered secret replaced by ***, in `text` as it is and as shown. */
  mask(text: string): string {
    let masked = text;
    for (const secret of this.#secrets) masked = masked.split(secret).join('***');
    return masked;
  }

  /** Ends the live line, if one is shown, so that what follows starts on a line of its own. */
  close(): void {
    this.#endLive();
  }

  #shown(text: string): string {
    return this.mask(inert(this.mask(text)));
  }

  #paint(name: Style, text: string): string {
    if (!this.#options.color) return text;
    const [open, close] = style[name];
    return `${open}${text}${close}`;
  }

  #print(line: string): void {
    if (this.#live === undefined) {
      this.#stream.write(`${line}\n`);
      return;
    }
    this.#stream.write(`${clearLine}${line}\n${this.#live}`);
  }

  #endLive(): void {
    if (this.#live === undefined) return;
    this.#stream.write(clearLine);
    this.#live = undefined;
  }
}
