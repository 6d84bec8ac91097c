/**
 * Store tests run on both engines: `describe.each(ENGINES)('... (%s)', (engine) => { const db = useEngine(engine); ... })`.
 * SQLite is a fresh in-memory database per store; PostgreSQL a fresh migrated database per store
 * whose default collation is ICU en-US (as a database created with an English locale: text sorts
 * differently from SQLite's byte order unless a query says otherwise), its pools closed after each test.
 */
import { afterEach } from 'vitest';
import { localInvalidation } from '../cluster/invalidation.ts';
import { openPgSql } from './pg/pg-sql.ts';
import { testDatabase } from '../testing/pg-test.ts';
import { openDb } from './db.ts';
import { createStore, type Store, type StoreOptions } from './index.ts';
import type { Sql } from './sql.ts';
import { sqliteSql } from './sqlite-sql.ts';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A fresh in-memory SQLite store with one site (key "acme"). */
export async function memoryStore(): Promise<{ store: Store; siteId: string }> {
  const store = createStore(openDb(':memory:'));
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
  return { store, siteId: site.id };
}

export interface EngineDatabase {
  engine: Engine;
  /** a runner over this database (for PostgreSQL a pool of its own: another instance) */
  connect(): Sql;
}

/** databases of one engine for a describe block; everything opened is closed after each test */
export function useEngine(engine: Engine) {
  const opened: Sql[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const track = <S extends Sql>(s: S): S => {
    opened.push(s);
    return s;
  };

  /** a fresh empty (migrated) database */
  async function database(): Promise<EngineDatabase> {
    if (engine === 'sqlite') {
      const db = openDb(':memory:');
      let first = true;
      return {
        engine,
        // one in-memory database: every "instance" shares the connection (closed once)
        connect: () => {
          const s = sqliteSql(db);
          if (first) track(s);
          first = false;
          return s;
        },
      };
    }
    const url = await testDatabase('store_test', { migrated: true, collation: 'en-US' });
    return { engine, connect: () => track(openPgSql(url, { max: 3 })) };
  }

  return {
    engine,
    database,
    /**
     * a store over a fresh database; one instance alone (a local invalidation bus), so its caches
     * are in use on both engines
     */
    async store(options: StoreOptions = { invalidation: localInvalidation() }): Promise<Store> {
      return createStore((await database()).connect(), options);
    },
    /** a store over a fresh database with one site (key "acme") */
    async withSite(): Promise<{ store: Store; siteId: string }> {
      const store = await this.store();
      const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
      return { store, siteId: site.id };
    },
  };
}

/**
 * A runner that counts the round trips it would send: each statement, plus two per transaction
 * level (BEGIN/COMMIT or SAVEPOINT/RELEASE). `log` lists them, 'tx' for a level.
 */
export function countingSql(inner: Sql): Sql & { trips: () => number; log: string[] } {
  const log: string[] = [];
  const note = (q: string) => void log.push(q.replace(/\s+/g, ' ').trim());
  return {
    dialect: inner.dialect,
    all: (q, p) => (note(q), inner.all(q, p)),
    get: (q, p) => (note(q), inner.get(q, p)),
    run: (q, p) => (note(q), inner.run(q, p)),
    exec: (q) => (note(q), inner.exec(q)),
    tx: (fn) => (log.push('tx', 'tx'), inner.tx(fn)),
    inTx: () => inner.inTx(),
    beforeCommit: (k, fn) => inner.beforeCommit(k, fn),
    afterCommit: (fn) => inner.afterCommit(fn),
    close: () => inner.close(),
    trips: () => log.length,
    log,
  };
}
