/**
 * What a restore run found, handed whole to the report stage (restore-report.ts): the one place that
 * writes its outputs, summary, annotations and the step's failure, however the run ended.
 */
import type { Annotation, DownloadResult, Explanation, FolderResult } from '../model.ts';

export interface RestoreRunOutcome {
  dryRun: boolean;
  /** The resolved Dropbox source as Dropbox displays it; before it was resolved, the input as given. */
  source: string;
  /** The absolute local folder. */
  target: string;
  /** One per file of the source (planned or refused by the plan), in plan order. */
  results: DownloadResult[];
  /** One per empty folder of the source, in plan order. */
  folders: FolderResult[];
  /** What stopped the whole run (credentials, cancellation, a source not found): one annotation stands for it. */
  stoppedBy?: Explanation;
  /** Found along the way (a notice about the credentials or the namespace), in order. */
  annotations: Annotation[];
  /** Why the step fails, besides files that were not restored, each a sentence. */
  failures: string[];
}
