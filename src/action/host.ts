/**
 * The GitHub runner as a run's host: lines, groups and annotations as workflow commands, outputs in
 * GITHUB_OUTPUT, the summary in GITHUB_STEP_SUMMARY. The only module of the engine's hosts that speaks
 * @actions/core; every line and annotation goes through `inert` on its way.
 */
import * as core from '@actions/core';
import type { Annotation } from '../model.ts';
import type { RunHost } from '../report/host.ts';
import { inert } from '../report/inert.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { SummaryModel } from '../report/summary.ts';

export class ActionsHost implements RunHost {
  readonly #masked = new Set<string>();
  /** One overall line every 10 s: enough to see a long run move, not so many that they bury the rest. */
  readonly progressIntervalMs = 10_000;

  info(line: string): void {
    core.info(inert(line));
  }

  debug(line: string): void {
    core.debug(inert(line));
  }

  progress(line: string): void {
    core.info(inert(line));
  }

  annotate(annotation: Annotation): void {
    const properties = annotation.title === undefined ? {} : { title: inert(annotation.title) };
    const message = inert(annotation.message);
    if (annotation.level === 'error') core.error(message, properties);
    else if (annotation.level === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }

  group<T>(title: string, work: () => Promise<T>): Promise<T> {
    return core.group(inert(title), work);
  }

  setSecret(secret: string): void {
    if (secret === '' || this.#masked.has(secret)) return;
    this.#masked.add(secret);
    core.setSecret(secret);
  }

  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }

  async summary(model: SummaryModel): Promise<void> {
    if (!process.env['GITHUB_STEP_SUMMARY']) {
      core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written.');
      return;
    }
    try {
      await core.summary.addRaw(renderMarkdown(model), true).write();
    } catch (error) {
      // A summary is a convenience; failing to write it must not fail the run.
      core.warning(
        inert(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  fail(message: string): void {
    core.setFailed(inert(message));
  }
}
