/** A host that keeps what a run hands it: lines, annotations, outputs, summaries and failures. */
import type { Annotation } from '../../src/model.ts';
import type { RunHost } from '../../src/report/host.ts';
import type { SummaryModel } from '../../src/report/summary.ts';

export class RecordingHost implements RunHost {
  readonly lines: string[] = [];
  readonly debugLines: string[] = [];
  readonly annotations: Annotation[] = [];
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly failures: string[] = [];
  readonly summaries: SummaryModel[] = [];
  readonly groups: string[] = [];
  readonly progressLines: string[] = [];
  progressIntervalMs = 10_000;

  info(line: string): void {
    this.lines.push(line);
  }

  debug(line: string): void {
    this.debugLines.push(line);
  }

  progress(line: string): void {
    this.progressLines.push(line);
  }

  annotate(annotation: Annotation): void {
    this.annotations.push(annotation);
  }

  group<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.groups.push(title);
    return work();
  }

  setSecret(secret: string): void {
    this.secrets.push(secret);
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }

  async summary(model: SummaryModel): Promise<void> {
    this.summaries.push(model);
  }

  fail(message: string): void {
    this.failures.push(message);
  }
}
