import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { connectRedis, type RedisClient } from './adapter.ts';
import { redisInvalidation, type InvalidationBus } from './invalidation.ts';
import { quietLog } from './test-kit.ts';

/** a cache of sites by key on one instance, dropping entries the bus names */
function siteCache(bus: InvalidationBus) {
  const entries = new Map<string, string>();
  const dropped: Array<string | null> = [];
  const waiters: Array<() => void> = [];
  bus.subscribe('site', (key) => {
    if (key === null) entries.clear();
    else entries.delete(key);
    dropped.push(key);
    for (const w of waiters.splice(0)) w();
  });
  return {
    entries,
    dropped,
    /** resolves at the next drop */
    nextDrop: () => new Promise<void>((r) => waiters.push(r)),
  };
}

describe('cache invalidation bus over Redis pub/sub', () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  const buses: InvalidationBus[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    for (const c of clients) if (c.isOpen) await c.close();
    await redis?.close();
  });
  const instance = async () => {
    const client = await connectRedis(redis.url, quietLog);
    clients.push(client);
    const bus = await redisInvalidation(client, { log: quietLog });
    buses.push(bus);
    return { client, bus };
  };

  it('a site changed on A is dropped from the caches of the other instances, not from unrelated entries', async () => {
    const a = await instance();
    const b = await instance();
    const c = await instance();
    const cacheA = siteCache(a.bus);
    const cacheB = siteCache(b.bus);
    const cacheC = siteCache(c.bus);
    for (const cache of [cacheA, cacheB, cacheC]) {
      cache.entries.set('demo', 'old settings');
      cache.entries.set('other', 'kept');
    }
    let flowDrops = 0;
    b.bus.subscribe('flow', () => void (flowDrops += 1));

    const droppedOnB = cacheB.nextDrop();
    const droppedOnC = cacheC.nextDrop();
    await a.bus.publish('site', 'demo');
    await Promise.all([droppedOnB, droppedOnC]);
    expect([...cacheB.entries.keys()]).toEqual(['other']);
    expect([...cacheC.entries.keys()]).toEqual(['other']);
    expect(cacheB.dropped).toEqual(['demo']);

    // a message B publishes itself reaches A and C; B drops its own copy itself (no echo)
    const droppedOnA = cacheA.nextDrop();
    const droppedOnC2 = cacheC.nextDrop();
    await b.bus.publish('site', 'other');
    await Promise.all([droppedOnA, droppedOnC2]);
    expect(cacheA.dropped).toEqual(['other']);
    expect(cacheA.entries.has('demo')).toBe(true);
    expect(cacheB.dropped).toEqual(['demo']);
    expect(flowDrops).toBe(0);
  });

  it('after its subscription was down (Redis restarted) an instance drops everything: messages sent meanwhile were lost', async () => {
    const a = await instance();
    const b = await instance();
    const cacheB = siteCache(b.bus);
    cacheB.entries.set('demo', 'maybe stale');
    const lost = once(b.client, 'error');
    await redis.stop();
    await lost;
    await redis.restart();
    if (!b.client.isReady) await once(b.client, 'ready');
    // whatever A changed during the outage, B no longer serves its old copies
    while (cacheB.entries.size > 0) await cacheB.nextDrop();
    expect(cacheB.dropped).toContain(null);
    // and the bus works again after the restart
    cacheB.entries.set('demo', 'fresh');
    const dropped = cacheB.nextDrop();
    const before = cacheB.dropped.length;
    // the subscription is re-made asynchronously: publish until B hears one
    const timer = setInterval(() => void a.bus.publish('site', 'demo'), 50);
    try {
      while (!cacheB.dropped.slice(before).includes('demo')) await cacheB.nextDrop();
    } finally {
      clearInterval(timer);
    }
    await dropped;
    expect(cacheB.entries.has('demo')).toBe(false);
  });
});
