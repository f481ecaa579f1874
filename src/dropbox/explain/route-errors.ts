/**
 * Dropbox's route errors (the 409 unions of upload, commit, listing and download), as data: each row
 * is the tags that classify a failure, and the title, scope and message that explain it.
 */
import type { Explanation, IfExists } from '../../model.ts';
import { findField, findTagged, tagOf } from '../error-body.ts';
import { titles, type ExplanationTitle } from './titles.ts';
import { capitalise, type ExplainContext, where } from './words.ts';

/** A failed request as the rules read it: its status, every tag in its body, and the body. */
export interface Failure {
  status: number;
  tags: readonly string[];
  body: unknown;
}

interface Classification {
  /** The rule applies when the body carries any of these tags (or one starting with `tagPrefix`)… */
  tags: readonly string[];
  tagPrefix?: string;
  /** …and, where given, this holds too. */
  also?: (failure: Failure) => boolean;
}

/** A row: how a failure is classified, and what explains it (or the function that does, for a family). */
export type ExplanationRule = Classification &
  (
    | {
        title: ExplanationTitle;
        scope: Explanation['scope'];
        message: (at: string, failure: Failure, context: ExplainContext) => string;
      }
    | { explain: (failure: Failure, context: ExplainContext) => Explanation }
  );

function matches(rule: Classification, failure: Failure): boolean {
  const tagged =
    rule.tags.some((tag) => failure.tags.includes(tag)) ||
    (rule.tagPrefix !== undefined && failure.tags.some((tag) => tag.startsWith(rule.tagPrefix ?? '')));
  return tagged && (rule.also?.(failure) ?? true);
}

/** The first rule that matches, as an explanation. */
export function explainByRules(
  rules: readonly ExplanationRule[],
  failure: Failure,
  context: ExplainContext,
): Explanation | undefined {
  const rule = rules.find((candidate) => matches(candidate, failure));
  if (rule === undefined) return undefined;
  if ('explain' in rule) return rule.explain(failure, context);
  return { title: rule.title, scope: rule.scope, message: rule.message(where(context), failure, context) };
}

const has = (failure: Failure, tag: string): boolean => failure.tags.includes(tag);

/** The kinds of Dropbox's WriteConflictError. */
export type ConflictKind = 'file' | 'folder' | 'file_ancestor';

const IF_EXISTS_CHOICES =
  'To replace it, set "if-exists: overwrite"; to keep both, "if-exists: rename" (Dropbox adds a number ' +
  'to the new name); to leave it as it is and go on, "if-exists: skip".';

/** An existing file, explained in the terms of the if-exists mode in force. */
const EXISTING_FILE: Record<IfExists | 'unknown', (at: string) => string> = {
  overwrite: (at) =>
    `Dropbox refused to overwrite ${at} (conflict): the file changed in Dropbox while it was being ` +
    'replaced, most likely by another upload to the same path. Make sure only one job uploads there at a ' +
    'time, then re-run the job.',
  rename: (at) =>
    `${capitalise(at)} already exists in Dropbox and Dropbox could not pick a new name next to it for ` +
    '"if-exists: rename". Clean up the renamed copies in that folder, or choose another "if-exists" mode. ' +
    IF_EXISTS_CHOICES,
  skip: (at) =>
    `${capitalise(at)} already exists in Dropbox, so with "if-exists: skip" it was left as it is. ${IF_EXISTS_CHOICES}`,
  fail: (at) => `${capitalise(at)} already exists in Dropbox and "if-exists" is "fail". ${IF_EXISTS_CHOICES}`,
  unknown: (at) => `${capitalise(at)} already exists in Dropbox. ${IF_EXISTS_CHOICES}`,
};

/**
 * Something already at the path, or above it. The upload's commit and the decision made before sending
 * (decide.ts, the dry run) both explain a conflict here, so they read the same.
 */
export function explainConflict(kind: string | undefined, context: ExplainContext): Explanation {
  const at = where(context);
  if (kind === 'folder') {
    return {
      title: titles.folderInTheWay,
      scope: 'file',
      message:
        `A folder already exists in Dropbox at ${at}, so the file cannot be written there; no "if-exists" ` +
        'setting replaces a folder. Delete or rename that folder in Dropbox, or set "destination" to another ' +
        'folder.',
    };
  }
  if (kind === 'file' && context.action === 'create-folder') {
    return {
      title: titles.fileInTheWay,
      scope: 'file',
      message:
        `A file exists in Dropbox at ${at}, where the upload would create an empty folder. Delete or rename ` +
        'that file in Dropbox, or set "destination" to another folder.',
    };
  }
  if (kind === 'file_ancestor') {
    return {
      title: titles.fileInTheWay,
      scope: 'file',
      message:
        `A file exists in Dropbox where a folder above ${at} should be, so the path cannot be created. Delete ` +
        'or rename that file in Dropbox, or set "destination" to another folder.',
    };
  }
  return {
    title: titles.fileExists,
    scope: 'file',
    message: EXISTING_FILE[context.ifExists ?? 'unknown'](at),
  };
}

export const ROUTE_RULES: readonly ExplanationRule[] = [
  {
    tags: ['content_hash_mismatch'],
    title: titles.corrupted,
    scope: 'file',
    message: (at) =>
      `The bytes Dropbox received for ${at} differ from the ones read from the local file ` +
      '(content_hash_mismatch), so Dropbox refused them. Was the file still being written while it was ' +
      'uploaded? Make sure the step that produces it has finished, then re-run the job.',
  },
  {
    tags: ['conflict'],
    explain: (failure, context) =>
      explainConflict(tagOf(findTagged(failure.body, 'conflict')?.['conflict']), context),
  },
  {
    tags: ['insufficient_space'],
    title: titles.outOfSpace,
    scope: 'run',
    message: (at) =>
      `Dropbox has no room for ${at}: the account (or the team's shared space) is full. Free up space in ` +
      'Dropbox or upgrade the plan, then re-run the job.',
  },
  {
    tags: ['no_write_permission', 'access_restricted'],
    title: titles.noWritePermission,
    scope: 'file',
    message: (at) =>
      `Dropbox does not let this account write to ${at}. The folder may be a shared folder the account can ` +
      'only view, or a team folder where it lacks edit rights. Ask the owner for edit access, or choose ' +
      'another "destination".',
  },
  {
    tags: ['disallowed_name'],
    title: titles.disallowedName,
    scope: 'file',
    message: (at) =>
      `Dropbox does not allow the name of ${at} (it refuses names such as desktop.ini, thumbs.db and ` +
      '.ds_store). Leave the file out with a "!" pattern in "path", e.g. "!**/.DS_Store".',
  },
  {
    tags: ['malformed_path'],
    title: titles.malformedPath,
    scope: 'file',
    message: (at) =>
      `Dropbox says ${at} is not a valid path. Check the "destination" input and the file name for ` +
      'characters Dropbox refuses, rename the file or change "destination", and re-run the job.',
  },
  {
    tags: ['team_folder'],
    title: titles.teamFolder,
    scope: 'file',
    message: (at) =>
      `${capitalise(at)} is a team folder, which an upload cannot replace. Set "destination" to a folder ` +
      'inside the team folder instead.',
  },
  {
    tags: ['too_large'],
    title: titles.fileTooLarge,
    scope: 'file',
    message: (at) =>
      `${capitalise(at)} is larger than Dropbox allows for one file (2,199,019,061,248 bytes, about 2 TiB; ` +
      'older limit 350 GB). Split it, e.g. into a multi-part archive, and upload the parts.',
  },
  {
    tags: ['encryption_not_supported'],
    title: titles.encryptedFolder,
    scope: 'file',
    message: (at) =>
      `${capitalise(at)} is in an encrypted Dropbox folder, which the API cannot upload to. Choose a ` +
      '"destination" outside encrypted folders.',
  },
  {
    tags: ['locked'],
    title: titles.fileLocked,
    scope: 'file',
    message: (at) =>
      `${capitalise(at)} is locked in Dropbox (someone locked it for editing). Ask them to unlock it, or ` +
      'upload to another path, then re-run the job.',
  },
  {
    tags: ['incorrect_offset'],
    title: titles.sessionOutOfSync,
    scope: 'file',
    message: (at, failure) => {
      const correct = findField(failure.body, 'correct_offset');
      const known = typeof correct === 'number' ? `; Dropbox has ${correct} bytes` : '';
      return (
        `Dropbox and the action disagree on how much of ${at} was already sent (incorrect_offset${known}). ` +
        'Re-run the job; if it happens again, please open an issue with this log.'
      );
    },
  },
  {
    // An upload session's lookup, not a path's.
    tags: ['not_found'],
    also: (failure) =>
      has(failure, 'lookup_failed') || !(has(failure, 'path') || has(failure, 'path_lookup')),
    title: titles.sessionExpired,
    scope: 'file',
    message: (at) =>
      `Dropbox no longer knows the upload session of ${at} (not_found): sessions expire after 7 days, or ` +
      'the session was already finished. Re-run the job to upload the file again.',
  },
  {
    tags: ['not_found', 'not_folder', 'not_file'],
    title: titles.pathNotFound,
    scope: 'file',
    message: (at, failure) =>
      `Dropbox found no folder or file where it expected one for ${at} (${failure.tags.join('/')}). Check ` +
      '"destination" and that nothing in Dropbox was moved during the upload, then re-run the job.',
  },
  {
    tags: ['closed', 'not_closed'],
    tagPrefix: 'concurrent_',
    title: titles.sessionRefused,
    scope: 'file',
    message: (at, failure) => {
      const tag = failure.tags.find(
        (t) => ['closed', 'not_closed'].includes(t) || t.startsWith('concurrent_'),
      );
      return (
        `Dropbox refused the upload session of ${at} (${tag ?? 'session'}). This points to a bug in the action: ` +
        're-run the job, and if it happens again, please open an issue with this log.'
      );
    },
  },
];
