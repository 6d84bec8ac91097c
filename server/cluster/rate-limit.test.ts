import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { connectRedis, type RedisClient } from './adapter.ts';
import { expressRateLimitStore, localRateLimits, redisRateLimits } from './rate-limit.ts';
import { quietLog } from './test-kit.ts';

// a bucket that practically never refills during a test: 3 tokens, one more every ~17 minutes
const SLOW = { capacity: 3, perSecond: 0.001 };

describe('rate limits shared through Redis by two instances', () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections(), s.close();
    for (const c of clients) if (c.isOpen) await c.close();
    await redis?.close();
  });
  const instanceClient = async () => {
    const c = await connectRedis(redis.url, quietLog);
    clients.push(c);
    return c;
  };

  it('counts one budget across instances: what A spent, B cannot spend again', async () => {
    const a = redisRateLimits(await instanceClient()).limiter('messagesPerIp', SLOW);
    const b = redisRateLimits(await instanceClient()).limiter('messagesPerIp', SLOW);
    expect(await a.take('203.0.113.7')).toEqual({ ok: true });
    expect(await a.take('203.0.113.7')).toEqual({ ok: true });
    expect(await b.take('203.0.113.7')).toEqual({ ok: true });
    const refused = await b.take('203.0.113.7');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(900_000);
    expect((await a.take('203.0.113.7')).ok).toBe(false);
    // another address, and the same address in another bucket family, have their own budgets
    expect(await b.take('198.51.100.1')).toEqual({ ok: true });
    const other = redisRateLimits(clients[0]!).limiter('startsPerIp', SLOW);
    expect(await other.take('203.0.113.7')).toEqual({ ok: true });
  });

  it('takes several buckets in one call, charging each as separate takes would', async () => {
    const backendA = redisRateLimits(await instanceClient());
    const backendB = redisRateLimits(await instanceClient());
    const perVisitorA = backendA.limiter('perVisitor', { capacity: 1, perSecond: 0.001 });
    const perIpA = backendA.limiter('perIp', { capacity: 2, perSecond: 0.001 });
    const perIpB = backendB.limiter('perIp', { capacity: 2, perSecond: 0.001 });
    expect(await backendA.takeAll([{ limiter: perVisitorA, key: 'v1', cost: 1 }, { limiter: perIpA, key: 'ip1' }])).toEqual({ ok: true });
    // the visitor bucket is empty: refused, and the IP bucket was still charged (as today)
    expect((await backendA.takeAll([{ limiter: perVisitorA, key: 'v1' }, { limiter: perIpA, key: 'ip1' }])).ok).toBe(false);
    expect((await perIpB.take('ip1')).ok).toBe(false);
    // unlimited specs (PARLEY_RATE_LIMITS=off) never refuse
    const unlimited = backendB.limiter('perIp', { capacity: Number.POSITIVE_INFINITY, perSecond: 1 });
    for (let i = 0; i < 5; i++) expect(await unlimited.take('ip1')).toEqual({ ok: true });
  });

  it('keeps limiting per process while Redis is down, and shares again after it is back', async () => {
    const client = await instanceClient();
    const limits = redisRateLimits(client, { log: quietLog });
    const perIp = limits.limiter('outage', { capacity: 2, perSecond: 0.001 });
    expect(await perIp.take('ip')).toEqual({ ok: true });
    const lost = once(client, 'error');
    await redis.stop();
    await lost;
    // the per-process fallback answers at once and still refuses a flood
    const during = [await perIp.take('ip'), await perIp.take('ip'), await perIp.take('ip')];
    expect(during.map((t) => t.ok)).toEqual([true, true, false]);
    await redis.restart();
    if (!client.isReady) await once(client, 'ready');
    // an empty Redis after the restart: a fresh shared budget, refused once it is spent
    const other = redisRateLimits(await instanceClient()).limiter('outage', { capacity: 2, perSecond: 0.001 });
    expect(await perIp.take('ip')).toEqual({ ok: true });
    expect(await other.take('ip')).toEqual({ ok: true });
    expect((await perIp.take('ip')).ok).toBe(false);
  });

  it('does not wait for a hung Redis: the per-process buckets answer meanwhile', async () => {
    const admin = await instanceClient();
    const a = redisRateLimits(await instanceClient()).limiter('hung', { capacity: 1, perSecond: 0.001 });
    const b = redisRateLimits(await instanceClient(), { log: quietLog, timeoutMs: 200 }).limiter('hung', { capacity: 1, perSecond: 0.001 });
    expect(await a.take('ip')).toEqual({ ok: true });
    // Redis stops answering commands (the connection stays open)
    await admin.sendCommand(['CLIENT', 'PAUSE', '20000', 'ALL']);
    try {
      // the shared bucket is empty, so an answer from Redis would be a refusal: this one is B's own
      expect(await b.take('ip')).toEqual({ ok: true });
      expect((await b.take('ip')).ok).toBe(false);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  });

  it('the one-process backend has the same behaviour in memory', async () => {
    let t = 0;
    const limits = localRateLimits(() => t);
    const perIp = limits.limiter('perIp', { capacity: 2, perSecond: 1 });
    expect((await perIp.take('ip')).ok).toBe(true);
    expect((await perIp.take('ip')).ok).toBe(true);
    expect(await perIp.take('ip')).toEqual({ ok: false, retryAfterMs: 1000 });
    t = 1000;
    expect((await limits.takeAll([{ limiter: perIp, key: 'ip' }])).ok).toBe(true);
  });

  it('an express-rate-limit store shared by two instances: the API limit counts requests to both', async () => {
    const app = async (client: RedisClient) => {
      const a = express();
      a.use(rateLimit({ windowMs: 60_000, limit: 3, standardHeaders: 'draft-8', legacyHeaders: false, store: expressRateLimitStore(client, 'v1') }));
      a.get('/', (_req, res) => void res.send('ok'));
      const server = createServer(a);
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    };
    const urlA = await app(await instanceClient());
    const urlB = await app(await instanceClient());
    const statuses: number[] = [];
    for (const url of [urlA, urlB, urlA, urlB, urlA]) statuses.push((await fetch(url)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
