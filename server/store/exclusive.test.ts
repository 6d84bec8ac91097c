/**
 * Start-up work that reads then writes (the demo site, the first owner) run by several instances
 * starting together against one PostgreSQL database: `store.exclusive` makes them take turns, so
 * each sees what the first wrote instead of failing on a duplicate key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../testing/pg-test.ts';
import { createStore, type Store } from './index.ts';
import { openPgSql, type PgSql } from './pg/pg-sql.ts';

const sqls: PgSql[] = [];
afterEach(async () => {
  await Promise.all(sqls.splice(0).map((s) => s.close()));
});

/** read-then-insert, as seeding the demo site does */
async function ensureSite(store: Store, key: string): Promise<string> {
  const found = await store.sites.getByKey(key);
  if (found) return found.id;
  return (await store.sites.create({ key, name: key, allowedOrigins: [] })).id;
}

describe('store.exclusive on PostgreSQL', () => {
  it('lets instances starting together seed one site once instead of failing on the duplicate key', async () => {
    const url = await testDatabase('exclusive_seed', { migrated: true });
    const stores = Array.from({ length: 4 }, () => {
      const sql = openPgSql(url, { max: 2 });
      sqls.push(sql);
      return createStore(sql);
    });
    const ids = await Promise.all(stores.map((s) => s.exclusive('seed', () => ensureSite(s, 'demo'))));
    expect(new Set(ids).size).toBe(1);
    expect((await stores[0]!.sites.list()).filter((s) => s.key === 'demo')).toHaveLength(1);
  });

  it('never has two instances inside the same name at once', async () => {
    const url = await testDatabase('exclusive_turns', { migrated: true });
    const stores = Array.from({ length: 4 }, () => {
      const sql = openPgSql(url, { max: 2 });
      sqls.push(sql);
      return createStore(sql);
    });
    let inside = 0;
    let most = 0;
    await Promise.all(
      stores.map((s) =>
        s.exclusive('turns', async () => {
          most = Math.max(most, ++inside);
          // several round trips while holding the turn: another instance would get in here
          for (let i = 0; i < 5; i++) await s.ping();
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});
