/**
 * The run's GitHub context for destination placeholders: the environment edge of placeholders.ts.
 * @actions/github reads GITHUB_REPOSITORY, GITHUB_REF, GITHUB_SHA, GITHUB_RUN_NUMBER and GITHUB_RUN_ATTEMPT.
 */
import { context } from '@actions/github';
import type { WorkflowContext } from '../backups/placeholders.ts';

export function readWorkflowContext(): WorkflowContext {
  const found: WorkflowContext = {};
  try {
    // Throws when neither GITHUB_REPOSITORY nor the event payload names the repository.
    const { owner, repo } = context.repo;
    found.owner = owner;
    found.repo = repo;
  } catch {
    // Left out: a placeholder that needs it says so.
  }
  if (context.ref) found.ref = context.ref;
  if (context.sha) found.sha = context.sha;
  if (Number.isFinite(context.runNumber)) found.runNumber = context.runNumber;
  if (Number.isFinite(context.runAttempt)) found.runAttempt = context.runAttempt;
  return found;
}
