import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDropbox } from '../../fake-dropbox/index.ts';
import { content, startFake } from './helpers.ts';

test('servers sharing a storageDir keep apart and clean up after themselves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-storage-'));
  try {
    const one = await startFake({ storageDir: dir });
    const two = await startFake({ storageDir: dir });
    expect(readdirSync(dir)).toHaveLength(2);
    await content(one.fake, 'files/upload', { path: '/a.txt' }, 'one', one.token);
    await content(two.fake, 'files/upload', { path: '/a.txt' }, 'two', two.token);
    expect(one.fake.readFile('/a.txt').toString()).toBe('one');
    expect(two.fake.readFile('/a.txt').toString()).toBe('two');

    // Failed and refused requests leave no spooled bytes behind.
    await content(one.fake, 'files/upload', { path: '/a.txt' }, 'conflict', one.token);
    await content(one.fake, 'files/upload', { path: '/b.txt', content_hash: '0'.repeat(64) }, 'x', one.token);
    const root = join(dir, readdirSync(dir).sort()[0]!);
    expect(readdirSync(join(root, 'spool')).filter((name) => name.startsWith('req-'))).toEqual([]);

    await one.fake.close();
    await two.fake.close();
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('close() is idempotent and ends keep-alive connections', async () => {
  const fake = await FakeDropbox.start();
  const response = await fetch(`${fake.url}/2/users/get_current_account`, { method: 'POST' });
  expect(response.status).toBe(400);
  await Promise.all([fake.close(), fake.close()]);
  await fake.close();
  await expect(fetch(`${fake.url}/2/users/get_current_account`, { method: 'POST' })).rejects.toThrow(
    'fetch failed',
  );
});

test('a fixed port is honoured', async () => {
  const probe = await FakeDropbox.start();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  const fake = await FakeDropbox.start({ port });
  try {
    expect(fake.url).toBe(`http://127.0.0.1:${port}`);
  } finally {
    await fake.close();
  }
});

test('latencyMs delays every response', async () => {
  const h = await startFake({ latencyMs: 100 });
  try {
    const began = Date.now();
    await h.dbx.usersGetCurrentAccount();
    expect(Date.now() - began).toBeGreaterThanOrEqual(95);
  } finally {
    await h.fake.close();
  }
});
