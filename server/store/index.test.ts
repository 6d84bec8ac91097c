import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDb } from './db.ts';
import { createStore } from './index.ts';

describe('database', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('applies migrations once: reopening the same file applies nothing and keeps the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-db-'));
    dirs.push(dir);
    const path = join(dir, 'p.db');
    const db = openDb(path);
    await createStore(db).sites.create({ key: 'one', name: 'One', allowedOrigins: [] });
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDb(path);
    expect(migrate(again)).toEqual([]);
    expect((await createStore(again).sites.getByKey('one'))?.name).toBe('One');
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.pragma('foreign_keys', { simple: true })).toBe(1);
    again.close();
  });

  it('rolls a transaction back as a whole when it throws', async () => {
    const store = createStore(openDb(':memory:'));
    await expect(
      store.tx(async () => {
        await store.sites.create({ key: 'two', name: 'Two', allowedOrigins: [] });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.sites.getByKey('two')).toBeNull();
  });
});
