/**
 * The plan stage of an upload: find the files the patterns match and decide where each goes, or say
 * why there is nothing to upload. Returns what it found; the report stage writes it.
 */
import type { ActionInputs, Annotation, UploadPlan } from '../model.ts';
import { workspacePath } from '../local/paths.ts';
import { planUploads } from './plan.ts';
import { findFiles, matchesHiddenFiles } from './search.ts';

/** Broken links named one annotation each, up to this many; the rest are counted in one more. */
export const BROKEN_LINKS_NAMED = 10;

export interface PlanFinding {
  /** Undefined when nothing matched (and if-no-files-found allows that). */
  plan?: UploadPlan;
  annotations: Annotation[];
  /** Lines for the log. */
  lines: string[];
  /** The run ends here: nothing matched and if-no-files-found is error. */
  failure?: string;
}

export interface PlanSettings {
  workspace: string;
  debug: (line: string) => void;
}

export function brokenLinkAnnotations(
  brokenLinks: readonly string[],
  shown: (localPath: string) => string,
): Annotation[] {
  const named = brokenLinks.slice(0, BROKEN_LINKS_NAMED).map((link): Annotation => ({
    level: 'warning',
    title: 'Broken symbolic link',
    message:
      `${shown(link)} matches "path" but is a symbolic link to something that does not exist, so it was not ` +
      'uploaded. Make sure the step that produces its target has run (and wrote where the link points), or ' +
      'leave the link out with a "!" pattern in "path".',
  }));
  const more = brokenLinks.length - named.length;
  if (more > 0) {
    named.push({
      level: 'warning',
      title: 'Broken symbolic link',
      message: `${more} more broken symbolic link(s) match "path" and were not uploaded.`,
    });
  }
  return named;
}

type PlanInputs = Pick<
  ActionInputs,
  'patterns' | 'includeHiddenFiles' | 'followSymbolicLinks' | 'ifNoFilesFound'
>;

/** What to say when nothing matched, with a hint when hidden files would have matched. */
async function noFilesMessage(inputs: PlanInputs): Promise<string> {
  const hidden =
    !inputs.includeHiddenFiles && (await matchesHiddenFiles(inputs.patterns, inputs.followSymbolicLinks));
  const hint = hidden
    ? ' Hidden files and folders (names starting with ".") match it but were left out: set ' +
      '"include-hidden-files: true" to upload them.'
    : '';
  return `No files were found with the provided path: ${inputs.patterns.join(', ')}.${hint} No files were uploaded.`;
}

export async function findUploadPlan(
  inputs: PlanInputs,
  destination: string,
  settings: PlanSettings,
): Promise<PlanFinding> {
  const found = await findFiles(inputs.patterns, {
    includeHiddenFiles: inputs.includeHiddenFiles,
    followSymbolicLinks: inputs.followSymbolicLinks,
    debug: settings.debug,
  });
  const plan =
    found.files.length === 0
      ? undefined
      : planUploads({
          files: found.files,
          folders: found.folders,
          searchPaths: found.searchPaths,
          destination,
          workspace: settings.workspace,
        });
  const annotations = brokenLinkAnnotations(found.brokenLinks, (link) =>
    workspacePath(link, settings.workspace),
  );
  if (plan !== undefined) {
    const bytes = plan.files.reduce((sum, file) => sum + file.size, 0);
    return {
      plan,
      annotations,
      lines: [`${plan.files.length} file(s), ${bytes} bytes, going to Dropbox folder ${plan.destination}`],
    };
  }
  const message = await noFilesMessage(inputs);
  if (inputs.ifNoFilesFound === 'error') return { annotations, lines: [], failure: message };
  if (inputs.ifNoFilesFound === 'warn') {
    return {
      annotations: [...annotations, { level: 'warning', title: 'No files found', message }],
      lines: [],
    };
  }
  return { annotations, lines: [message] };
}
