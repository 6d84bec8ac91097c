import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../testing/pg-test.ts';
import { createClusterFanOut, POSTGRES_PAYLOAD_THRESHOLD, type ClusterFanOut } from './adapter.ts';
import { postgresInvalidation, type InvalidationBus } from './invalidation.ts';
import { createClusterState, type ClusterState } from './state.ts';
import { connectTo, emitUntilReceived, joinRoom, nextEvent, quietLog, startInstance, type TestInstance } from './test-kit.ts';

describe('cluster fan-out over PostgreSQL (no Redis): two socket.io servers, one real PostgreSQL', () => {
  let url: string;
  const fanOuts: ClusterFanOut[] = [];
  const instances: TestInstance[] = [];
  const pools: pg.Pool[] = [];
  const buses: InvalidationBus[] = [];
  const states: ClusterState[] = [];

  beforeAll(async () => {
    // the migrated schema holds the adapter's socket_io_attachments table
    url = await testDatabase('cluster_fanout', { migrated: true });
  });
  afterAll(async () => {
    for (const s of states) await s.close();
    for (const b of buses) await b.close();
    for (const i of instances) await i.close();
    for (const f of fanOuts) await f.close();
    for (const p of pools) await p.end();
  });

  const instance = async (): Promise<TestInstance> => {
    const fanOut = await createClusterFanOut({ redisUrl: null, databaseUrl: url }, { log: quietLog });
    fanOuts.push(fanOut);
    expect(fanOut.kind).toBe('postgres');
    const inst = await startInstance(fanOut.adapter);
    instances.push(inst);
    return inst;
  };

  it('a broadcast from B reaches a client on A in the room, large ones (through the attachments table) too', async () => {
    const a = await instance();
    const b = await instance();
    const visitor = await connectTo(a.url);
    await joinRoom(visitor, 'visitor:v1');
    const first = await emitUntilReceived((p) => b.io.to('visitor:v1').emit('reply', p), visitor, 'reply', 'pg');
    expect(first).toMatch(/^pg:\d+$/);

    // over pg_notify's 8000-byte limit: goes through socket_io_attachments
    const big = 'x'.repeat(POSTGRES_PAYLOAD_THRESHOLD + 2_000);
    const arrives = nextEvent(visitor, 'big');
    b.io.to('visitor:v1').emit('big', big);
    expect(await arrives).toBe(big);
    visitor.disconnect();
  });

  it('the LISTEN/NOTIFY invalidation bus drops a changed entry on the other instance', async () => {
    const poolA = new pg.Pool({ connectionString: url, max: 2 });
    const poolB = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(poolA, poolB);
    const a = await postgresInvalidation(poolA, { log: quietLog });
    const b = await postgresInvalidation(poolB, { log: quietLog });
    buses.push(a, b);
    const droppedOnB: Array<string | null> = [];
    const heard = new Promise<void>((resolve) =>
      b.subscribe('kb', (key) => {
        droppedOnB.push(key);
        resolve();
      }),
    );
    let echoed = 0;
    a.subscribe('kb', () => void (echoed += 1));
    await a.publish('kb', 'site-1');
    await heard;
    expect(droppedOnB).toEqual(['site-1']);

    // inside a transaction the message goes out at COMMIT, not before, and not after a ROLLBACK
    const client = await poolA.connect();
    try {
      await client.query('BEGIN');
      const q = a.notifySql('kb', 'rolled-back');
      await client.query(q.text, q.values);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      const c = a.notifySql('kb', 'committed');
      await client.query(c.text, c.values);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    while (!droppedOnB.includes('committed')) await new Promise<void>((r) => b.subscribe('kb', () => r()));
    expect(droppedOnB).toEqual(['site-1', 'committed']);
    expect(echoed).toBe(0);
  });

  it('with DATABASE_URL alone the cluster state invalidates caches through PostgreSQL and limits per process', async () => {
    const state = async () => {
      const fanOut = await createClusterFanOut({ redisUrl: null, databaseUrl: url }, { log: quietLog });
      fanOuts.push(fanOut);
      const s = await createClusterState(fanOut, quietLog);
      states.push(s);
      return s;
    };
    const a = await state();
    const b = await state();
    const heard = new Promise<string | null>((r) => b.invalidation.subscribe('flow', r));
    await a.invalidation.publish('flow', 'site-1\u0000flow-1');
    expect(await heard).toBe('site-1\u0000flow-1');
    expect(a.expressStore('v1')).toBeUndefined();
  });
});
