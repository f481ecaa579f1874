/** Retention after a run, against the fake Dropbox: the series listed, the rules applied, delete_batch checked. */
import { describe, expect, test } from '@jest/globals';
import { applyRetention } from '../../../src/backups/retention-phase.ts';
import { titles } from '../../../src/dropbox/explain/explain.ts';
import { connect, refreshCredentials } from '../../support/dropbox.ts';
import {
  dated,
  namesUnder as namesUnderOn,
  seedBackups,
  BackupsFixture,
  logged,
} from '../../support/backups.ts';
import { lastSeq, routesSince } from '../../support/request-log.ts';

const fixture = new BackupsFixture();

const namesUnder = (parent: string): string[] => namesUnderOn(fixture.server, parent);

const WORKFLOW = { owner: 'acme', repo: 'site', ref: 'refs/heads/main' };

/** The series with its look-alikes, and a file named like a run folder. */
function seed(parent: string): void {
  seedBackups(fixture.server, parent);
  fixture.server.putFile(`${parent}/${dated(0)}`, 'a file named like a run folder');
}

describe('applyRetention with keep-last', () => {
  const inputs = { destination: '/keep/site-{datetime}', retention: { last: 5 } };

  test('with 20 dated siblings: exactly the oldest are deleted, the run and the unrelated stay', async () => {
    seed('/keep');
    const current = `/keep/site-2020-02-01T02-00-00Z`;
    fixture.server.putFile(`${current}/dump.sql`, 'today');
    const { api } = connect(refreshCredentials(fixture.server));
    const since = lastSeq(fixture.server);
    const { value } = await logged((log) => applyRetention(api, inputs, current, WORKFLOW, log));
    expect(value.failure).toBeUndefined();
    expect(value.pruned).toEqual(Array.from({ length: 16 }, (_, i) => `/keep/${dated(i + 1)}`));
    expect(namesUnder('/keep')).toEqual(
      [
        'notes.txt',
        'other-2020-01-01T02-00-00Z',
        'site-2020-01-00T02-00-00Z',
        'site-2020-01-01',
        ...[17, 18, 19, 20].map(dated),
        'site-2020-02-01T02-00-00Z',
        'site-manual',
      ].sort(),
    );
    const routes = routesSince(fixture.server, since);
    expect(routes.filter((route) => route === 'files/list_folder')).toHaveLength(1);
    expect(routes.filter((route) => route === 'files/delete_batch')).toHaveLength(1);
    expect(routes).toContain('files/delete_batch/check');
  });

  test('an entry Dropbox refuses is reported; the others are deleted', async () => {
    seed('/refuse');
    fixture.server.setReadOnly(`/refuse/${dated(2)}`);
    const current = '/refuse/site-2020-02-01T02-00-00Z';
    const { api } = connect(refreshCredentials(fixture.server));
    const { value } = await logged((log) =>
      applyRetention(
        api,
        { destination: '/refuse/site-{datetime}', retention: { last: 18 } },
        current,
        WORKFLOW,
        log,
      ),
    );
    expect(value.pruned).toEqual([`/refuse/${dated(1)}`, `/refuse/${dated(3)}`]);
    expect(value.failure?.title).toBe(titles.pruneFailed);
    expect(value.failure?.message).toMatch(
      /^1 of 3 old folder\(s\) could not be deleted; the files of this run did arrive\. \/refuse\/site-2020-01-02T02-00-00Z: Dropbox does not let this account write/,
    );
    expect(namesUnder('/refuse')).toContain(dated(2));
  });

  test('without files.metadata.read the retention is an explained error, and nothing is deleted', async () => {
    seed('/keep-noscope');
    const { api } = connect(refreshCredentials(fixture.server, ['files.content.write']));
    const { value } = await logged((log) =>
      applyRetention(
        api,
        { destination: '/keep-noscope/site-{datetime}', retention: { last: 1 } },
        '/keep-noscope/site-x',
        WORKFLOW,
        log,
      ),
    );
    expect(value).toEqual({ pruned: [], failure: expect.objectContaining({ title: titles.missingScope }) });
    expect(namesUnder('/keep-noscope')).toHaveLength(25);
  });
});
