import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { createClusterFanOut, type ClusterFanOut } from './adapter.ts';
import { connectTo, emitUntilReceived, joinRoom, nextEvent, quietLog, startInstance, type TestInstance } from './test-kit.ts';

describe('cluster fan-out over Redis streams (two socket.io servers, one real Redis)', () => {
  let redis: RedisServer;
  const fanOuts: ClusterFanOut[] = [];
  const instances: TestInstance[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const i of instances) await i.close();
    for (const f of fanOuts) await f.close();
    await redis?.close();
  });

  const instance = async (): Promise<TestInstance> => {
    const fanOut = await createClusterFanOut({ redisUrl: redis.url, databaseUrl: null }, { log: quietLog });
    fanOuts.push(fanOut);
    expect(fanOut.kind).toBe('redis');
    const inst = await startInstance(fanOut.adapter);
    instances.push(inst);
    return inst;
  };

  it('a broadcast from B reaches a client on A in the room, and keeps arriving after Redis restarts', async () => {
    const a = await instance();
    const b = await instance();
    const visitor = await connectTo(a.url);
    const outsider = await connectTo(a.url);
    await joinRoom(visitor, 'visitor:v1');

    let outsiderGot = 0;
    outsider.on('reply', () => void (outsiderGot += 1));
    const first = await emitUntilReceived((p) => b.io.to('visitor:v1').emit('reply', p), visitor, 'reply', 'before');
    expect(first).toMatch(/^before:\d+$/);

    // a single broadcast once the instances are subscribed: delivered once, only to the room
    const once = nextEvent(visitor, 'reply');
    b.io.to('visitor:v1').emit('reply', 'before:exact');
    expect(await once).toBe('before:exact');

    await redis.restart();
    const after = await emitUntilReceived((p) => b.io.to('visitor:v1').emit('reply', p), visitor, 'reply', 'after-restart');
    expect(after).toMatch(/^after-restart:\d+$/);
    // and the other direction too: A's emit reaches a client of B after the restart
    const agent = await connectTo(b.url);
    await joinRoom(agent, 'site:s1');
    const back = await emitUntilReceived((p) => a.io.to('site:s1').emit('message', p), agent, 'message', 'a-to-b');
    expect(back).toMatch(/^a-to-b:\d+$/);

    // a sentinel broadcast to everyone, last: the outsider sees it, so it has seen all it would
    const sentinel = nextEvent(outsider, 'done');
    b.io.emit('done', 'x');
    await sentinel;
    expect(outsiderGot).toBe(0);
    for (const s of [visitor, outsider, agent]) s.disconnect();
  });

  it('a visitor cut off from A recovers its session on B with the broadcasts it missed (connection-state recovery)', async () => {
    const recovery = { connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true } };
    const instanceWith = async () => {
      const fanOut = await createClusterFanOut({ redisUrl: redis.url, databaseUrl: null }, { log: quietLog });
      fanOuts.push(fanOut);
      const inst = await startInstance(fanOut.adapter, recovery);
      instances.push(inst);
      return inst;
    };
    const a = await instanceWith();
    const b = await instanceWith();
    const visitor = await connectTo(a.url, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
    await joinRoom(visitor, 'visitor:v2');
    await emitUntilReceived((p) => b.io.to('visitor:v2').emit('reply', p), visitor, 'reply', 'warm');
    const id = visitor.id;

    // the visitor loses its connection to A; meanwhile B sends to its room
    const gone = new Promise<void>((r) => visitor.once('disconnect', () => r()));
    // (a load balancer would send the reconnect elsewhere: point the client's manager at B)
    Reflect.set(visitor.io, 'uri', b.url);
    const onA = id === undefined ? undefined : a.io.of('/').sockets.get(id);
    if (!onA) throw new Error('the visitor is not connected to A');
    onA.conn.close();
    await gone;
    b.io.to('visitor:v2').emit('reply', 'missed-while-away');

    const got: unknown[] = [];
    visitor.on('reply', (p: unknown) => got.push(p));
    await new Promise<void>((r) => visitor.once('connect', () => r()));
    expect(visitor.recovered).toBe(true);
    expect(visitor.id).toBe(id);
    // the missed broadcast is replayed at once; a later one arrives as usual
    const later = nextEvent(visitor, 'reply');
    b.io.to('visitor:v2').emit('reply', 'after-recovery');
    await later;
    while (!got.includes('after-recovery')) await nextEvent(visitor, 'reply');
    expect(got).toContain('missed-while-away');
    expect(got.indexOf('missed-while-away')).toBeLessThan(got.indexOf('after-recovery'));
    visitor.disconnect();
  });

  it('a server closed right after start leaves no failed subscribe behind once ready() resolved', async () => {
    // the adapter subscribes in the background; closing before that ends rejects the SUBSCRIBE with
    // nobody listening (vitest fails the run on it; a Node process would end on it)
    for (let i = 0; i < 3; i++) {
      const fanOut = await createClusterFanOut({ redisUrl: redis.url, databaseUrl: null }, { log: quietLog });
      const inst = await startInstance(fanOut.adapter);
      inst.io.of('/visitor');
      await fanOut.ready(inst.io);
      const counts = await fanOut.redis!.pubSubNumSub([`parley:socket.io#/visitor#${String(Reflect.get(inst.io.of('/visitor').adapter, 'uid'))}#`]);
      expect(Object.values(counts)).toEqual([1]);
      await inst.close();
      await fanOut.close();
    }
  });

  it('tells clearly when Redis cannot be reached at start-up', async () => {
    const gone = await startRedis();
    const url = gone.url;
    await gone.close();
    await expect(createClusterFanOut({ redisUrl: url, databaseUrl: null }, { log: quietLog, connectTimeoutMs: 500 })).rejects.toThrow(
      /Redis at redis:\/\/127\.0\.0\.1:\d+ .*REDIS_URL/,
    );
  });

  it('installs no adapter for one process (neither REDIS_URL nor DATABASE_URL)', async () => {
    const none = await createClusterFanOut({ redisUrl: null, databaseUrl: null }, { log: quietLog });
    expect(none).toMatchObject({ kind: 'none', adapter: undefined, redis: null, pool: null });
    await none.close();
  });
});
