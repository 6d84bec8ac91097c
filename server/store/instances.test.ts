/**
 * Several instances over one PostgreSQL database (two pools = two server processes): what one
 * writes, the other's caches (sites by key, the union of allowed origins, flows, knowledge base)
 * stop serving once the invalidation bus delivered the write, over PostgreSQL LISTEN/NOTIFY and
 * over Redis pub/sub.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../cluster/adapter.ts';
import { postgresInvalidation, redisInvalidation, type InvalidationBus, type InvalidationKind } from '../cluster/invalidation.ts';
import { quietLog } from '../cluster/test-kit.ts';
import { testDatabase } from '../testing/pg-test.ts';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { createStore, type Store } from './index.ts';
import { openPgSql, type PgSql } from './pg/pg-sql.ts';
import { useEngine } from './test-helpers.ts';

type Backend = 'postgres' | 'redis';

/** resolves once `bus` delivered a drop of `key` of `kind` (the store's own subscriber ran first) */
function nextDrop(bus: InvalidationBus, kind: InvalidationKind, key: string): Promise<void> {
  return new Promise((resolve) => {
    const off = bus.subscribe(kind, (k) => {
      if (k === key || k === null) {
        off();
        resolve();
      }
    });
  });
}

describe.each<Backend>(['postgres', 'redis'])('two instances over one PostgreSQL database, invalidation over %s', (backend) => {
  let redis: RedisServer | null = null;
  const sqls: PgSql[] = [];
  const buses: InvalidationBus[] = [];
  const clients: RedisClient[] = [];

  beforeAll(async () => {
    if (backend === 'redis') redis = await startRedis();
  });
  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close();
    for (const c of clients.splice(0)) if (c.isOpen) await c.close();
    await Promise.all(sqls.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await redis?.close();
  });

  /** an instance: a pool of its own and a bus of its own */
  async function instance(url: string): Promise<{ store: Store; bus: InvalidationBus }> {
    const sql = openPgSql(url, { max: 3 });
    sqls.push(sql);
    let bus: InvalidationBus;
    if (backend === 'postgres') bus = await postgresInvalidation(sql.pool, { log: quietLog });
    else {
      const client = await connectRedis(redis!.url, quietLog);
      clients.push(client);
      bus = await redisInvalidation(client, { log: quietLog });
    }
    buses.push(bus);
    return { store: createStore(sql, { invalidation: bus }), bus };
  }

  async function pair() {
    const url = await testDatabase('store_instances', { migrated: true });
    return { url, a: await instance(url), b: await instance(url) };
  }

  it("a site's allowed origins changed on A are served by B", async () => {
    const { url, a, b } = await pair();
    const site = await a.store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://old.test'] });
    // B reads (and caches) the site and the union of origins
    expect((await b.store.sites.getByKey('acme'))?.allowedOrigins).toEqual(['https://old.test']);
    expect(await b.store.sites.allOriginPatterns()).toEqual(['https://old.test']);
    // an instance without a bus keeps serving its copy: the cache is real
    const loneSql = openPgSql(url, { max: 1 });
    sqls.push(loneSql);
    const lone = createStore(loneSql);
    expect((await lone.sites.getByKey('acme'))?.allowedOrigins).toEqual(['https://old.test']);

    const dropped = Promise.all([nextDrop(b.bus, 'site', 'acme'), nextDrop(b.bus, 'site-origins', '*')]);
    await a.store.sites.update(site.id, { allowedOrigins: ['https://new.test'] });
    await dropped;
    expect((await b.store.sites.getByKey('acme'))?.allowedOrigins).toEqual(['https://new.test']);
    expect(await b.store.sites.allOriginPatterns()).toEqual(['https://new.test']);
    expect((await lone.sites.getByKey('acme'))?.allowedOrigins).toEqual(['https://old.test']);

    // and a site removed on A is gone on B
    const gone = nextDrop(b.bus, 'site', 'acme');
    await a.store.sites.remove(site.id);
    await gone;
    expect(await b.store.sites.getByKey('acme')).toBeNull();
  });

  it('a write inside a transaction is announced at its commit, a rolled-back one leaves B serving the committed row', async () => {
    const { a, b } = await pair();
    const site = await a.store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    expect((await b.store.sites.getByKey('acme'))?.name).toBe('Acme');
    await expect(
      a.store.tx(async () => {
        await a.store.sites.update(site.id, { name: 'Undone' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await b.store.sites.getByKey('acme'))?.name).toBe('Acme');
    expect((await a.store.sites.getByKey('acme'))?.name).toBe('Acme');
    const dropped = nextDrop(b.bus, 'site', 'acme');
    await a.store.tx(async () => {
      await a.store.sites.update(site.id, { name: 'Acme 2' });
    });
    await dropped;
    expect((await b.store.sites.getByKey('acme'))?.name).toBe('Acme 2');
  });

  it('a flow edited or removed on A is served so by B', async () => {
    const { a, b } = await pair();
    const site = await a.store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    const flow = { id: 'help', kind: 'support' as const, name: 'Help', intro: 'Hi!' };
    await a.store.flows.upsert(site.id, flow);
    expect((await b.store.flows.get(site.id, 'help'))?.intro).toBe('Hi!');
    const key = `${site.id}\u0000help`;
    let dropped = nextDrop(b.bus, 'flow', key);
    await a.store.flows.upsert(site.id, { ...flow, intro: 'Hello again' });
    await dropped;
    expect((await b.store.flows.get(site.id, 'help'))?.intro).toBe('Hello again');
    dropped = nextDrop(b.bus, 'flow', key);
    await a.store.flows.remove(site.id, 'help');
    await dropped;
    expect(await b.store.flows.get(site.id, 'help')).toBeNull();
  });

  it('a site deleted on A: B refuses its key and serves none of its flows or knowledge base, and keeps the other sites', async () => {
    const { a, b } = await pair();
    const site = await a.store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'] });
    const other = await a.store.sites.create({ key: 'other', name: 'Other', allowedOrigins: ['https://other.test'] });
    for (const s of [site, other]) {
      await a.store.flows.upsert(s.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Hi!' });
      await a.store.kb.upsert(s.id, { id: 'reset', title: 'Reset a password', body: 'Use the link.', tags: [] });
    }
    // B serves (and caches) all of it
    expect(await b.store.sites.getByKey('acme')).not.toBeNull();
    expect(await b.store.sites.allOriginPatterns()).toEqual(['https://acme.test', 'https://other.test']);
    for (const s of [site, other]) {
      expect((await b.store.flows.get(s.id, 'help'))?.intro).toBe('Hi!');
      expect(await b.store.kb.list(s.id)).toHaveLength(1);
    }

    const dropped = Promise.all([
      nextDrop(b.bus, 'site', 'acme'),
      nextDrop(b.bus, 'site-origins', '*'),
      nextDrop(b.bus, 'site-flows', site.id),
      nextDrop(b.bus, 'kb', site.id),
    ]);
    await a.store.tx(async () => {
      await a.store.sites.remove(site.id);
    });
    await dropped;
    expect(await b.store.sites.getByKey('acme')).toBeNull();
    expect(await b.store.sites.allOriginPatterns()).toEqual(['https://other.test']);
    expect(await b.store.flows.get(site.id, 'help')).toBeNull();
    expect(await b.store.kb.list(site.id)).toEqual([]);
    expect((await b.store.flows.get(other.id, 'help'))?.intro).toBe('Hi!');
    expect(await b.store.kb.list(other.id)).toHaveLength(1);
  });

  it('a knowledge-base entry edited or removed on A is served so by B', async () => {
    const { a, b } = await pair();
    const site = await a.store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    const entry = (id: string, title: string) => ({ id, title, body: `${title}: how it works`, tags: ['help'] });
    await a.store.kb.upsert(site.id, entry('reset', 'Reset a password'));
    expect((await b.store.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset a password']);
    let dropped = nextDrop(b.bus, 'kb', site.id);
    await a.store.kb.upsert(site.id, entry('reset', 'Reset your password'));
    await dropped;
    expect((await b.store.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset your password']);
    dropped = nextDrop(b.bus, 'kb', site.id);
    await a.store.kb.remove(site.id, 'reset');
    await dropped;
    expect(await b.store.kb.list(site.id)).toEqual([]);
  });
});

describe('two instances over one PostgreSQL database, no invalidation bus', () => {
  const db = useEngine('postgres');

  it('keep no copy of the knowledge base: an edit on A is served by B at once', async () => {
    const shared = await db.database();
    const a = createStore(shared.connect());
    const b = createStore(shared.connect());
    const site = await a.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    await a.kb.upsert(site.id, { id: 'reset', title: 'Reset a password', body: 'b', tags: [] });
    expect((await b.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset a password']);
    await a.kb.upsert(site.id, { id: 'reset', title: 'Reset your password', body: 'b', tags: [] });
    expect((await b.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset your password']);
  });
});

describe('one instance on PostgreSQL: reads on other connections while a write is not committed yet', () => {
  const db = useEngine('postgres');

  it('the old rows read meanwhile are not served after the commit', async () => {
    const store = await db.store();
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    await store.flows.upsert(site.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Hi!' });
    await store.kb.upsert(site.id, { id: 'reset', title: 'Reset a password', body: 'b', tags: [] });
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    let goOn!: () => void;
    const proceed = new Promise<void>((r) => (goOn = r));
    const tx = store.tx(async () => {
      await store.sites.update(site.id, { name: 'Acme 2' });
      await store.flows.upsert(site.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Hello' });
      await store.kb.upsert(site.id, { id: 'reset', title: 'Reset your password', body: 'b', tags: [] });
      wrote();
      // (a test only: a transaction must otherwise await nothing but store calls)
      await proceed;
    });
    await written;
    // outside the transaction (another pooled connection): the committed rows, which may be cached
    expect((await store.sites.getByKey('acme'))?.name).toBe('Acme');
    expect((await store.flows.get(site.id, 'help'))?.intro).toBe('Hi!');
    expect((await store.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset a password']);
    goOn();
    await tx;
    expect((await store.sites.getByKey('acme'))?.name).toBe('Acme 2');
    expect((await store.flows.get(site.id, 'help'))?.intro).toBe('Hello');
    expect((await store.kb.list(site.id)).map((e) => e.title)).toEqual(['Reset your password']);
  });
});
