/**
 * What a restore failure means to the person reading the log: the restore's own cases (local names,
 * local disk and permissions, bytes that did not arrive exact, a source that changed). Dropbox and
 * network failures that a download shares with an upload are explained by explain.ts.
 */
import { httpFailureOf, collectTags } from '../dropbox/error-body.ts';
import { explainDropboxError } from '../dropbox/explain/explain.ts';
import type { Explanation, RestoreProblem } from '../model.ts';
import {
  DownloadHashMismatchError,
  LocalPathBlockedError,
  thingIn,
  LocalWriteError,
  SourceChangedError,
  UnexpectedAnswerError,
} from './download-errors.ts';

/** Every annotation title the restore adds. Stable: the README's Troubleshooting section is keyed by them. */
export const restoreTitles = {
  cancelled: 'Restore cancelled',
  corrupted: 'Download corrupted in transit',
  sourceChanged: 'Dropbox file changed during restore',
  sourceGone: 'Dropbox file gone during the restore',
  notDownloadable: 'Dropbox file cannot be downloaded',
  unexpectedAnswer: 'Dropbox download answer not understood',
  nameNotAllowed: 'Name not allowed on this runner',
  namesCollide: 'Names collide on this runner',
  outsideTarget: 'Path outside the restore folder',
  localFileExists: 'Local file already exists',
  localPathBlocked: 'Local path in the way',
  diskFull: 'Runner disk full',
  noLocalPermission: 'No permission to write on the runner',
  localWriteFailed: 'Could not write local file',
  sourceNotFound: 'Restore source not found in Dropbox',
  noMatchingSource: 'No matching backup in Dropbox',
} as const;

export type RestoreTitle = (typeof restoreTitles)[keyof typeof restoreTitles];

function file(title: RestoreTitle, message: string): Explanation {
  return { title, message, scope: 'file' };
}

function quoted(text: string): string {
  return `"${text}"`;
}

const EXCLUDE_HINT = 'Leave it out with a "!" line in "include"';

/** A file or folder the plan could not place (planRestore's problems). */
export function explainRestoreProblem(problem: RestoreProblem): Explanation {
  const at = quoted(problem.dropboxPath);
  const { reason } = problem;
  switch (reason.kind) {
    case 'reserved-character':
      return file(
        restoreTitles.nameNotAllowed,
        `${at} cannot be restored here: the name ${quoted(reason.name)} holds ${describeCharacter(reason.character)}, ` +
          `which this runner's file system does not allow in a name (Windows refuses < > : " / \\ | ? * and ` +
          `control characters). ${EXCLUDE_HINT}, rename it in Dropbox, or restore on a Linux or macOS runner.`,
      );
    case 'trailing-dot-or-space':
      return file(
        restoreTitles.nameNotAllowed,
        `${at} cannot be restored on Windows: the name ${quoted(reason.name)} ends in a dot or a space, which ` +
          `Windows drops, so the file would get another name. ${EXCLUDE_HINT}, rename it in Dropbox, or restore ` +
          'on a Linux or macOS runner.',
      );
    case 'reserved-name':
      return file(
        restoreTitles.nameNotAllowed,
        `${at} cannot be restored on Windows: ${quoted(reason.name)} is the device name ${reason.device}, ` +
          `which Windows keeps for itself, with or without an extension. ${EXCLUDE_HINT}, rename it in Dropbox, ` +
          'or restore on a Linux or macOS runner.',
      );
    case 'name-too-long':
      return file(
        restoreTitles.nameNotAllowed,
        `${at} cannot be restored here: the name is longer than the runner's file system allows ` +
          `(${reason.limit}). ${EXCLUDE_HINT}, or rename it in Dropbox.`,
      );
    case 'case-collision':
      return file(
        restoreTitles.namesCollide,
        `${at} and ${reason.others.map(quoted).join(', ')} would be the same local path on a file system that ` +
          'ignores letter case or accents (Windows and macOS by default), so one would overwrite the other; ' +
          `none of them was restored. ${EXCLUDE_HINT} for all but one, or rename them in Dropbox.`,
      );
    case 'outside-target':
      return file(
        restoreTitles.outsideTarget,
        `${at} would be written outside the restore folder, so it was not restored: a restore writes only ` +
          `inside "path". ${EXCLUDE_HINT}, or rename it in Dropbox.`,
      );
    case 'not-downloadable':
      return file(
        restoreTitles.notDownloadable,
        `${at} cannot be downloaded as a file: Dropbox can only export it (a Google Doc, Sheet or Slides, or ` +
          `a similar cloud document). Export it in Dropbox to a downloadable format, or ${EXCLUDE_HINT.toLowerCase()}.`,
      );
  }
}

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f)
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return quoted(character);
}

/** The run was cancelled (SIGINT/SIGTERM) before every file arrived. */
export function explainRestoreCancelled(): Explanation {
  return file(
    restoreTitles.cancelled,
    'The workflow run was cancelled (the runner sent SIGINT or SIGTERM), so the restore stopped: the files ' +
      'not yet in place were not written (no partial file is left under their names, and local files they ' +
      'would have replaced are untouched). Re-run the job to restore them.',
  );
}

/** if-exists: fail, and a local file is at the target. */
export function explainLocalFileExists(localPath: string, dropboxPath: string): Explanation {
  return file(
    restoreTitles.localFileExists,
    `A local file is already at ${quoted(localPath)}, so ${quoted(dropboxPath)} was not restored: ` +
      '"if-exists" is "fail". To replace it, set "if-exists: overwrite"; to keep it and go on, "if-exists: skip"; ' +
      'or restore into an empty "path".',
  );
}

const LOCAL_PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);
const LOCAL_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const LOCAL_NAME_CODES = new Set(['EINVAL', 'ENAMETOOLONG', 'EILSEQ']);

/** Why a planned file did not arrive: the restore's own failures, else explain.ts's reading of it. */
export function explainDownloadError(
  error: unknown,
  where: { dropboxPath: string; localPath: string },
): Explanation {
  const at = quoted(where.dropboxPath);
  if (error instanceof DownloadHashMismatchError) {
    return file(
      restoreTitles.corrupted,
      `The bytes received for ${at} hash to ${error.receivedHash}, not to the content hash Dropbox lists ` +
        `(${error.expectedHash}), on each of ${error.attempts} downloads, so the file was not put in place. ` +
        'Something between the runner and Dropbox (a proxy, a faulty network card) alters the traffic, or the ' +
        'file changed in Dropbox while it was listed. Re-run the job; if it keeps happening, check the network path.',
    );
  }
  if (error instanceof SourceChangedError) {
    return file(
      restoreTitles.sourceChanged,
      `${at} changed in Dropbox after the restore listed it (listed: revision ${error.listed.rev ?? 'unknown'}, ` +
        `${error.listed.size} bytes; now: revision ${error.answered.rev ?? 'unknown'}, ` +
        `${error.answered.size ?? 'unknown'} bytes), so the restore could not give back the listed version and ` +
        'wrote nothing. Something still writes to the source: restore when it is done (for a backup series, ' +
        'after the backup job), or re-run the job to restore the new version.',
    );
  }
  if (error instanceof UnexpectedAnswerError) {
    return file(
      restoreTitles.unexpectedAnswer,
      `Dropbox answered the download of ${at} in a way the restore does not accept (${error.message.replace(/^.*?: /, '')}), ` +
        'so nothing was written. A proxy between the runner and Dropbox may change the answers. Re-run the job; ' +
        'if it happens again, please open an issue with this log.',
    );
  }
  if (error instanceof LocalPathBlockedError) {
    return file(
      restoreTitles.localPathBlocked,
      `${at} was not restored: ${thingIn(error.found)} is at ${quoted(error.localPath)}, where the restore needs a ` +
        `${error.needed}${error.found === 'symbolic link' ? ' (the restore never writes through a link, so nothing lands outside "path")' : ''}. ` +
        'Remove or rename it, or restore into an empty "path".',
    );
  }
  if (error instanceof LocalWriteError) return explainLocalWrite(error, at);

  const http = httpFailureOf(error);
  if (http !== undefined && http.status === 409) {
    const tags = collectTags(http.body);
    if (tags.includes('not_found') || tags.includes('not_file')) {
      return file(
        restoreTitles.sourceGone,
        `${at} was listed, but when the restore downloaded it Dropbox found no file there ` +
          `(${tags.join('/')}): it was moved, renamed or deleted in the meantime. Nothing was written for it. ` +
          'Re-run the job to restore the source as it is now.',
      );
    }
    if (tags.includes('unsupported_file') || tags.includes('restricted_content')) {
      return file(
        restoreTitles.notDownloadable,
        `Dropbox does not let ${at} be downloaded (${tags.join('/')}): ` +
          (tags.includes('restricted_content')
            ? 'it is restricted, for example for legal reasons.'
            : 'it can only be exported (a cloud document such as a Google Doc).') +
          ` ${EXCLUDE_HINT}.`,
      );
    }
  }
  return explainDropboxError(error, { dropboxPath: where.dropboxPath, action: 'download' });
}

function explainLocalWrite(error: LocalWriteError, at: string): Explanation {
  const local = quoted(error.localPath);
  const code = error.code ?? 'no code';
  if (error.code !== undefined && LOCAL_FULL_CODES.has(error.code)) {
    return file(
      restoreTitles.diskFull,
      `The runner's disk is full (${code}) while writing ${at} to ${local}; the partial file was removed. Free ` +
        'space on the runner (remove build output or caches first, or use a larger runner), restore fewer files ' +
        'with "include", or restore to another disk with "path".',
    );
  }
  if (error.code !== undefined && LOCAL_PERMISSION_CODES.has(error.code)) {
    return file(
      restoreTitles.noLocalPermission,
      `The runner does not allow writing ${local} (${code}, while trying to ${error.operation}), so ${at} was ` +
        "not restored. Make the folder writable for the job's user (a read-only or root-owned folder, or a " +
        'file held open by another program on Windows), or restore into another "path".',
    );
  }
  if (error.code !== undefined && LOCAL_NAME_CODES.has(error.code)) {
    return file(
      restoreTitles.nameNotAllowed,
      `The runner's file system refused the name ${local} (${code}), so ${at} was not restored. ` +
        `${EXCLUDE_HINT}, rename it in Dropbox, or restore on another runner.`,
    );
  }
  return file(
    restoreTitles.localWriteFailed,
    `Could not ${error.operation} ${local} (${code}) while restoring ${at}; no partial file was left under its ` +
      "name. Re-run the job; if it fails again, check the runner's disk.",
  );
}
