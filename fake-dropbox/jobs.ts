import type { Args } from './args.ts';
import { ok, routeError, type Json, type Reply } from './errors.ts';
import { randomToken } from './metadata.ts';

/**
 * Results of the async batch routes (finish_batch v1, delete_batch). The work is done when the job is
 * created, so the first check already reports `complete`.
 */
export class AsyncJobs {
  readonly #results = new Map<string, Json>();

  create(result: Json): string {
    const id = `dbjid:${randomToken(36)}`;
    this.#results.set(id, result);
    return id;
  }

  result(id: string): Json | undefined {
    return this.#results.get(id);
  }
}

/** finish_batch/check and delete_batch/check. */
export function checkJob(ctx: { state: { jobs: AsyncJobs } }, args: Args | null): Reply {
  const result = ctx.state.jobs.result(args!.str('async_job_id'));
  if (result === undefined) throw routeError({ '.tag': 'invalid_async_job_id' });
  return ok(result);
}
