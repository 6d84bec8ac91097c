import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { connectRedis, type RedisClient } from './adapter.ts';
import { localLoginBackoff, redisLoginBackoff } from './login-backoff.ts';
import { quietLog } from './test-kit.ts';

const POLICY = { windowMs: 15 * 60_000, perEmail: 2, backoffMs: 60_000, maxBackoffMs: 240_000 };

describe('sign-in back-off shared through Redis', () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) if (c.isOpen) await c.close();
    await redis?.close();
  });
  const store = async () => {
    const c = await connectRedis(redis.url, quietLog);
    clients.push(c);
    return redisLoginBackoff(c, POLICY);
  };

  it('failures on A make the same (address, e-mail) wait on B; a success anywhere clears it; other pairs are free', async () => {
    const a = await store();
    const b = await store();
    const pair = '203.0.113.7\nowner@example.org';
    await a.failed(pair);
    // one free failure: no wait yet
    expect(await b.waitMs(pair)).toBe(0);
    // the second (on the other instance) spends the free ones: the next attempt waits a minute
    await b.failed(pair);
    const wait = await b.waitMs(pair);
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // the next failure doubles the wait
    await a.failed(pair);
    expect(await a.waitMs(pair)).toBeGreaterThan(110_000);
    expect(await a.waitMs('198.51.100.1\nowner@example.org')).toBe(0);
    expect(await b.waitMs('203.0.113.7\nsomeone@example.org')).toBe(0);
    await b.succeeded(pair);
    expect(await a.waitMs(pair)).toBe(0);
  });
});

describe('sign-in back-off in one process', () => {
  it('doubles after the free failures up to the maximum and forgets an idle pair', async () => {
    let t = 0;
    const s = localLoginBackoff({ windowMs: 10_000, perEmail: 1, backoffMs: 1_000, maxBackoffMs: 3_000 }, () => t);
    await s.failed('p');
    expect(await s.waitMs('p')).toBe(1_000);
    await s.failed('p');
    expect(await s.waitMs('p')).toBe(2_000);
    await s.failed('p');
    expect(await s.waitMs('p')).toBe(3_000);
    await s.failed('p');
    expect(await s.waitMs('p')).toBe(3_000);
    t = 20_000;
    expect(await s.waitMs('p')).toBe(0);
    // forgotten: counting starts again
    await s.failed('p');
    expect(await s.waitMs('p')).toBe(1_000);
  });
});
