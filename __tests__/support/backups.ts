import type { FakeDropbox } from '../../fake-dropbox/index.ts';

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
