import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../testing/redis.ts';
import { connectRedis, type RedisClient } from './adapter.ts';
import { createRedisSerialQueue } from './serial-queue.ts';
import { quietLog } from './test-kit.ts';

describe('per-conversation serial queue across instances (Redis lock)', () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) if (c.isOpen) await c.close();
    await redis?.close();
  });
  const queue = async () => {
    const c = await connectRedis(redis.url, quietLog);
    clients.push(c);
    return createRedisSerialQueue(c, { name: 'turns', log: quietLog });
  };

  it('a turn for a conversation on B waits until the turn on A is done; another conversation does not wait', async () => {
    const a = await queue();
    const b = await queue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let aStarted!: () => void;
    const started = new Promise<void>((r) => (aStarted = r));

    const onA = a.run('conv-1', async () => {
      log.push('A start');
      aStarted();
      await gate;
      log.push('A end');
      return 'a';
    });
    await started;
    const onB = b.run('conv-1', async () => {
      log.push('B start');
      return 'b';
    });
    // another conversation on B runs while A still holds conv-1
    expect(await b.run('conv-2', async () => 'other')).toBe('other');
    // give B every chance to (wrongly) start conv-1 before A is done
    await new Promise((r) => setTimeout(r, 300));
    expect(log).toEqual(['A start']);
    release();
    expect(await Promise.all([onA, onB])).toEqual(['a', 'b']);
    expect(log).toEqual(['A start', 'A end', 'B start']);
  });

  it('a failed task releases the lock for the next one', async () => {
    const a = await queue();
    const b = await queue();
    await expect(a.run('conv-3', async () => Promise.reject(new Error('engine failed')))).rejects.toThrow('engine failed');
    expect(await b.run('conv-3', async () => 'next')).toBe('next');
  });
});
