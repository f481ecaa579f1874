/**
 * The restore's decision per file, against what really is at the local path (real temp dirs):
 * download, skip as unchanged or as already there, fail for if-exists: fail, or refuse a path in the way.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PlannedDownload, RestoreIfExists } from '../../../src/model.ts';
import { contentHashOfBuffer } from '../../../src/transfer/content-hash.ts';
import { decideLocal, hashingLimiter, type LocalDecision } from '../../../src/transfer/download-decision.ts';
import { restoreTitles } from '../../../src/transfer/download-explanations.ts';
import { LocalPathBlockedError } from '../../../src/transfer/download-errors.ts';
import { Limiter, type LimiterRunOptions } from '../../../src/transfer/limiter.ts';
import { SocketEntries } from '../../support/sockets.ts';

const LISTED = 'the bytes Dropbox lists';

/** A hashing budget that counts the local files it was asked to hash. */
class CountingLimiter extends Limiter {
  runs = 0;
  override run<T>(task: () => Promise<T>, options?: LimiterRunOptions): Promise<T> {
    this.runs += 1;
    return super.run(task, options);
  }
}

let root: string;
const sockets = new SocketEntries();
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dbx-decide-'));
});
afterEach(async () => {
  await sockets.closeAll();
  await rm(root, { recursive: true, force: true });
});

/** A Unix socket: an entry that is neither a file, a folder nor a link. */
const socketAt = (socketPath: string): Promise<void> => sockets.at(socketPath);

function planned(name: string, content = LISTED): PlannedDownload {
  return {
    dropboxPath: `/Backups/${name}`,
    localPath: path.join(root, name),
    relativePath: name,
    shownPath: name,
    size: Buffer.byteLength(content),
    contentHash: contentHashOfBuffer(Buffer.from(content)),
  };
}

type Local = 'nothing' | 'same bytes' | 'other bytes, same size' | 'other size' | 'a link';

async function place(local: Local, localPath: string): Promise<void> {
  if (local === 'same bytes') await writeFile(localPath, LISTED);
  if (local === 'other bytes, same size') await writeFile(localPath, LISTED.toUpperCase());
  if (local === 'other size') await writeFile(localPath, 'shorter');
  if (local === 'a link') {
    await writeFile(`${localPath}.real`, LISTED);
    await symlink(`${localPath}.real`, localPath);
  }
}

describe('decideLocal', () => {
  const download: LocalDecision = { action: 'download' };
  const unchanged: LocalDecision = { action: 'skip', reason: 'unchanged' };
  const exists: LocalDecision = { action: 'skip', reason: 'already exists' };
  const fail = { action: 'fail' } as const;

  test.each<[Local, RestoreIfExists, boolean, LocalDecision | typeof fail, number]>([
    // Nothing there: downloaded whatever the settings, nothing hashed.
    ['nothing', 'overwrite', false, download, 0],
    ['nothing', 'skip', true, download, 0],
    ['nothing', 'fail', true, download, 0],
    // skip-unchanged asks first: the same bytes are skipped even where if-exists would fail.
    ['same bytes', 'overwrite', true, unchanged, 1],
    ['same bytes', 'fail', true, unchanged, 1],
    ['same bytes', 'skip', true, unchanged, 1],
    // Other bytes of the same size are hashed, then if-exists decides.
    ['other bytes, same size', 'overwrite', true, download, 1],
    ['other bytes, same size', 'skip', true, exists, 1],
    ['other bytes, same size', 'fail', true, fail, 1],
    // Another size is never hashed.
    ['other size', 'overwrite', true, download, 0],
    ['other size', 'skip', true, exists, 0],
    ['other size', 'fail', true, fail, 0],
    // Without skip-unchanged nothing is hashed, not even the same bytes.
    ['same bytes', 'overwrite', false, download, 0],
    ['same bytes', 'skip', false, exists, 0],
    ['same bytes', 'fail', false, fail, 0],
    // A link is not a file: never hashed (that would read through it), if-exists decides.
    ['a link', 'overwrite', true, download, 0],
    ['a link', 'skip', true, exists, 0],
    ['a link', 'fail', true, fail, 0],
  ])('%s, if-exists %s, skip-unchanged %s', async (local, ifExists, skipUnchanged, expected, hashed) => {
    const file = planned('db dump.sql');
    await place(local, file.localPath);
    const hashing = new CountingLimiter(2);
    const decision = await decideLocal(file, {
      ifExists,
      skipUnchanged,
      hashing,
      signal: new AbortController().signal,
    });
    if (expected === fail) {
      expect(decision.action).toBe('fail');
      if (decision.action !== 'fail') return;
      expect(decision.error.title).toBe(restoreTitles.localFileExists);
      expect(decision.error.scope).toBe('file');
      expect(decision.error.message).toContain(file.localPath);
      expect(decision.error.message).toContain(file.dropboxPath);
    } else {
      expect(decision).toEqual(expected);
    }
    expect(hashing.runs).toBe(hashed);
  });

  test.each(['résumé (1).txt', '日本語 ファイル', 'a\n::error::x', '🎉'])(
    'names like %j are decided like any other',
    async (name) => {
      const file = planned(name);
      await writeFile(file.localPath, LISTED);
      const options = {
        ifExists: 'fail' as const,
        hashing: hashingLimiter(),
        signal: new AbortController().signal,
      };
      expect(await decideLocal(file, { ...options, skipUnchanged: true })).toEqual(unchanged);
      expect((await decideLocal(file, { ...options, skipUnchanged: false })).action).toBe('fail');
    },
  );

  test.each<[string, (at: string) => Promise<unknown>, LocalPathBlockedError['found']]>([
    ['a folder', (at) => mkdir(at), 'folder'],
    ['a socket', (at) => socketAt(at), 'other'],
  ])('%s at the path is in the way, whatever if-exists says', async (_name, make, found) => {
    const file = planned('in-the-way');
    await make(file.localPath);
    for (const ifExists of ['overwrite', 'skip', 'fail'] as const) {
      const error = await decideLocal(file, {
        ifExists,
        skipUnchanged: true,
        hashing: hashingLimiter(),
        signal: new AbortController().signal,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LocalPathBlockedError);
      expect(error).toMatchObject({ localPath: file.localPath, found, needed: 'file' });
    }
  });

  test('a path below a file: that file is what is in the way', async () => {
    await writeFile(path.join(root, 'file'), 'x');
    const file = { ...planned('x'), localPath: path.join(root, 'file', 'below') };
    const error = await decideLocal(file, {
      ifExists: 'overwrite',
      skipUnchanged: false,
      hashing: hashingLimiter(),
      signal: new AbortController().signal,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalPathBlockedError);
    expect(error).toMatchObject({ localPath: path.join(root, 'file'), found: 'file', needed: 'folder' });
  });

  test('a cancelled run stops before hashing', async () => {
    const file = planned('same');
    await writeFile(file.localPath, LISTED);
    const reason = new Error('cancelled by the test');
    const cancelled = new AbortController();
    cancelled.abort(reason);
    await expect(
      decideLocal(file, {
        ifExists: 'overwrite',
        skipUnchanged: true,
        hashing: hashingLimiter(),
        signal: cancelled.signal,
      }),
    ).rejects.toBe(reason);
  });
});

describe('hashingLimiter', () => {
  test('hashes two local files at a time', async () => {
    const limiter = hashingLimiter();
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, () =>
      limiter.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
      }),
    );
    while (release.length > 0 || limiter.active > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    await Promise.all(tasks);
    expect(most).toBe(2);
  });

  test('a fresh budget per run', () => {
    expect(hashingLimiter()).not.toBe(hashingLimiter());
  });
});
