import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { FakeDropbox, FakeDropboxOptions } from '../../fake-dropbox/index.ts';
import { LIST_PAGE_LIMIT } from '../../src/dropbox/listing.ts';
import { routeDropboxTo, startFakeDropbox } from './dropbox.ts';
import { makeTree, type Tree } from './tree.ts';

/** A run folder of the `site-{datetime}` series, one per day of January 2020. */
export const dated = (day: number): string => `site-2020-01-${String(day).padStart(2, '0')}T02-00-00Z`;

/** Siblings that only look like run folders of the series, or are unrelated. */
export const UNRELATED = ['site-manual', 'notes.txt', 'other-2020-01-01T02-00-00Z', 'site-2020-01-01'];

/** 20 dated run folders of the series under `parent`, plus the UNRELATED entries. */
export function seedBackups(server: FakeDropbox, parent: string): void {
  for (let day = 1; day <= 20; day += 1) server.putFile(`${parent}/${dated(day)}/dump.sql`, `day ${day}`);
  server.putFile(`${parent}/site-manual/dump.sql`, 'manual');
  server.putFile(`${parent}/notes.txt`, 'notes');
  server.putFile(`${parent}/other-2020-01-01T02-00-00Z/dump.sql`, 'other');
  server.putFile(`${parent}/site-2020-01-01/dump.sql`, 'date only');
}

/** The first-level names under a Dropbox folder of the fake server. */
export function namesUnder(server: FakeDropbox, parent: string): string[] {
  const prefix = `${parent.toLowerCase()}/`;
  const names = new Set<string>();
  for (const file of server.files())
    if (file.pathLower.startsWith(prefix)) names.add(file.path.slice(prefix.length).split('/')[0]!);
  return [...names].sort();
}

/**
 * A test file's fake Dropbox for the backup phases, paged as Dropbox pages list_folder (up to 2000 entries
 * for the `limit` asked): faults cleared and fetch routed back to it after each test, and every tree and
 * extra server it made removed at the end.
 */
export class BackupsFixture {
  server!: FakeDropbox;
  readonly #trees: Tree[] = [];
  readonly #extraServers: FakeDropbox[] = [];

  constructor() {
    beforeAll(async () => {
      this.server = await startFakeDropbox({ listPageSize: LIST_PAGE_LIMIT });
    });
    afterEach(() => {
      this.server.faults.clear();
      routeDropboxTo(this.server);
    });
    afterAll(async () => {
      await this.server.close();
      await Promise.all(this.#extraServers.map((extra) => extra.close()));
      await Promise.all(this.#trees.map((tree) => tree.cleanup()));
    });
  }

  async treeOf(files: Record<string, string | Buffer | number>): Promise<Tree> {
    const tree = await makeTree(files);
    this.#trees.push(tree);
    return tree;
  }

  /** Another fake Dropbox, closed with this one. */
  async extraServer(options: FakeDropboxOptions): Promise<FakeDropbox> {
    const extra = await startFakeDropbox(options);
    this.#extraServers.push(extra);
    return extra;
  }
}

/** Runs a phase with a log that keeps its lines, instead of cluttering the output. */
export async function logged<T>(
  fn: (log: (line: string) => void) => Promise<T>,
): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  return { value: await fn((line) => lines.push(line)), lines };
}
