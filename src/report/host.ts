/**
 * Where a run's lines, annotations, outputs and summary go. Each front door gives one: the GitHub
 * runner (workflow commands) or a terminal (the command-line programs). The engine only sees this.
 */
import type { Annotation } from '../model.ts';
import type { SummaryModel } from './summary.ts';

export interface RunHost {
  /** A line for the log. Hosts make outside text in it inert; callers pass it as it is. */
  info(line: string): void;
  /** A line only shown when asked for (the runner's debug logging, a command line's --verbose). */
  debug(line: string): void;
  /**
   * The run's overall progress, said every `progressIntervalMs` while a run lasts: the runner logs it as
   * a line; a terminal keeps it as one live line that the next log line replaces.
   */
  progress(line: string): void;
  readonly progressIntervalMs: number;
  annotate(annotation: Annotation): void;
  /** A titled, foldable stretch of the log around `work`. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** Registers a credential, or a token minted from one, so that it is never shown. */
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  /** The run's summary: a job summary on the runner, a table on a terminal. */
  summary(model: SummaryModel): Promise<void>;
  /** Marks the run failed, with why; may be called more than once. */
  fail(message: string): void;
}
