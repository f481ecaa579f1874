/**
 * The run's context for destination placeholders outside the GitHub runner: read from GitHub Actions'
 * GITHUB_* variables when present, else from GitLab CI's predefined CI_* variables. Pure: the caller
 * passes the environment.
 */
import {
  parseTemplate,
  resolveTemplate,
  TemplateError,
  type WorkflowContext,
} from '../backups/placeholders.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** Where each part of the context comes from, GitHub's variable first; `--help` and the README list it. */
export const contextVariables = [
  { placeholders: ['{repo}'], github: 'GITHUB_REPOSITORY', gitlab: 'CI_PROJECT_NAME' },
  { placeholders: ['{owner}'], github: 'GITHUB_REPOSITORY', gitlab: 'CI_PROJECT_NAMESPACE' },
  { placeholders: ['{ref}'], github: 'GITHUB_REF', gitlab: 'CI_COMMIT_REF_NAME' },
  { placeholders: ['{sha}', '{short-sha}'], github: 'GITHUB_SHA', gitlab: 'CI_COMMIT_SHA' },
  { placeholders: ['{run-number}'], github: 'GITHUB_RUN_NUMBER', gitlab: 'CI_PIPELINE_IID' },
  { placeholders: ['{run-attempt}'], github: 'GITHUB_RUN_ATTEMPT' },
] as const;

function present(environment: Environment, name: string): string | undefined {
  const value = environment[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function wholeNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

export function readCiContext(environment: Environment): WorkflowContext {
  const found: WorkflowContext = {};
  const repository = /^([^/]+)\/([^/]+)$/.exec(present(environment, 'GITHUB_REPOSITORY') ?? '');
  const repo = repository?.[2] ?? present(environment, 'CI_PROJECT_NAME');
  // A GitLab namespace may be a chain of subgroups (group/sub); as one folder name its slashes become
  // dashes, as a branch name's do in {ref}.
  const owner = repository?.[1] ?? present(environment, 'CI_PROJECT_NAMESPACE')?.replace(/\//g, '-');
  const ref = present(environment, 'GITHUB_REF') ?? present(environment, 'CI_COMMIT_REF_NAME');
  const sha = present(environment, 'GITHUB_SHA') ?? present(environment, 'CI_COMMIT_SHA');
  const runNumber =
    wholeNumber(present(environment, 'GITHUB_RUN_NUMBER')) ??
    wholeNumber(present(environment, 'CI_PIPELINE_IID'));
  const runAttempt = wholeNumber(present(environment, 'GITHUB_RUN_ATTEMPT'));
  if (repo !== undefined) found.repo = repo;
  if (owner !== undefined) found.owner = owner;
  if (ref !== undefined) found.ref = ref;
  if (sha !== undefined) found.sha = sha;
  if (runNumber !== undefined) found.runNumber = runNumber;
  if (runAttempt !== undefined) found.runAttempt = runAttempt;
  return found;
}

/**
 * For a destination whose context placeholders have no value: the variables, GitHub's and GitLab's, that
 * would give each one, as a sentence for the input error. Undefined when nothing is missing.
 */
export function contextHint(template: string, context: WorkflowContext): string | undefined {
  let parts;
  try {
    parts = parseTemplate(template);
  } catch {
    return undefined;
  }
  const missing = new Set<string>();
  for (const part of parts) {
    if (part.kind !== 'placeholder') continue;
    try {
      resolveTemplate(`{${part.name}}`, new Date(0), context);
    } catch (error) {
      if (error instanceof TemplateError) missing.add(`{${part.name}}`);
      else throw error;
    }
  }
  const sources = contextVariables.flatMap((row) => {
    const named = row.placeholders.filter((name) => missing.has(name)).join(' and ');
    if (named === '') return [];
    return [
      `${named}: ${'gitlab' in row ? `${row.github} or GitLab CI's ${row.gitlab}` : `${row.github} only`}`,
    ];
  });
  return sources.length === 0
    ? undefined
    : `On the command line they come from these variables: ${sources.join('; ')}.`;
}
