import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { createClusterFanOut, type ClusterFanOut } from './adapter.ts';
import { createClusterState, type ClusterState } from './state.ts';
import { quietLog } from './test-kit.ts';

describe('cluster state: the backends chosen from the configuration', () => {
  let redis: RedisServer;
  const fanOuts: ClusterFanOut[] = [];
  const states: ClusterState[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const s of states) await s.close();
    for (const f of fanOuts) await f.close();
    await redis?.close();
  });
  const instance = async (redisUrl: string | null) => {
    const fanOut = await createClusterFanOut({ redisUrl, databaseUrl: null }, { log: quietLog });
    fanOuts.push(fanOut);
    const state = await createClusterState(fanOut, quietLog);
    states.push(state);
    return state;
  };

  it('with REDIS_URL two instances share the visitor limits, the sign-in back-off and invalidations', async () => {
    const a = await instance(redis.url);
    const b = await instance(redis.url);
    const spec = { capacity: 1, perSecond: 0.001 };
    expect((await a.rateLimits.limiter('connectionsPerIp', spec).take('203.0.113.9')).ok).toBe(true);
    expect((await b.rateLimits.limiter('connectionsPerIp', spec).take('203.0.113.9')).ok).toBe(false);
    const policy = { windowMs: 60_000, perEmail: 1, backoffMs: 30_000 };
    await a.loginBackoff(policy, 'sign-in').failed('ip\nmail');
    expect(await b.loginBackoff(policy, 'sign-in').waitMs('ip\nmail')).toBeGreaterThan(0);
    // the setup form counts on its own
    expect(await b.loginBackoff(policy, 'setup').waitMs('ip\nmail')).toBe(0);
    expect(a.expressStore('v1')).toBeDefined();
    const heard = new Promise<string | null>((r) => b.invalidation.subscribe('site', r));
    await a.invalidation.publish('site', 'demo');
    expect(await heard).toBe('demo');
  });

  it('in one process everything stays in memory', async () => {
    const one = await instance(null);
    const spec = { capacity: 1, perSecond: 0.001 };
    expect((await one.rateLimits.limiter('connectionsPerIp', spec).take('ip')).ok).toBe(true);
    expect((await one.rateLimits.limiter('connectionsPerIp', spec).take('ip')).ok).toBe(false);
    expect(one.expressStore('v1')).toBeUndefined();
    await one.invalidation.publish('site', 'demo');
    expect(await one.serialQueue('turns').run('c', async () => 'ran')).toBe('ran');
  });
});
