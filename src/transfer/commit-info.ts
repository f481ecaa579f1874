import type { files } from 'dropbox';
import type { IfExists } from '../model.ts';

/** The CommitInfo that carries out `if-exists` for one file. */
export function commitFor(dropboxPath: string, ifExists: IfExists): files.CommitInfo {
  switch (ifExists) {
    case 'overwrite':
      return { path: dropboxPath, mode: { '.tag': 'overwrite' }, autorename: false, mute: true };
    case 'rename':
      return { path: dropboxPath, mode: { '.tag': 'add' }, autorename: true, mute: true };
    case 'skip':
    case 'fail':
      // strict_conflict: an identical file that already exists is still "existing" for skip and fail.
      return {
        path: dropboxPath,
        mode: { '.tag': 'add' },
        autorename: false,
        mute: true,
        strict_conflict: true,
      };
  }
}
