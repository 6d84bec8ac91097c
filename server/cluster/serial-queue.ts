/**
 * `conversation/serial-queue.ts` runs tasks one after another per key (a conversation's bot turns,
 * a visitor's conversation starts) inside one process. With several instances two tabs of one
 * visitor can sit on two instances and send at once: two engine turns over the same state. This
 * queue keeps the same interface and adds a Redis lock per key around each task:
 *
 * - tasks of this process still queue in memory first (order kept, no Redis traffic to wait);
 * - then `SET lock token NX PX ttl`, retried with a short back-off while another instance holds
 *   it; the lock is extended every ttl/3 while the task runs and released (only by its holder)
 *   after it, so a crashed instance blocks a key for at most `ttlMs`;
 * - while Redis is unreachable tasks run with the in-process order only (as one instance would).
 */
import { randomUUID } from 'node:crypto';
import { createSerialQueue } from '../conversation/serial-queue.ts';
import type { Logger } from '../logger.ts';
import type { RedisClient } from './adapter.ts';

export type SerialQueue = ReturnType<typeof createSerialQueue>;

export interface RedisSerialQueueOptions {
  /** namespace of the lock keys, e.g. 'turns' or 'starts' */
  name: string;
  /** lock lifetime without renewal (crash recovery bound) */
  ttlMs?: number;
  /** give up waiting for another instance after this long and run anyway (logged) */
  maxWaitMs?: number;
  log?: Logger;
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export function createRedisSerialQueue(client: RedisClient, opts: RedisSerialQueueOptions): SerialQueue {
  const local = createSerialQueue();
  const ttl = opts.ttlMs ?? 30_000;
  const maxWait = opts.maxWaitMs ?? 60_000;
  const prefix = `parley:lock:${opts.name}:`;

  /** resolves with the token once held, or null when Redis cannot be used */
  const acquire = async (key: string): Promise<string | null> => {
    const token = randomUUID();
    const started = Date.now();
    let pause = 5;
    for (;;) {
      if (!client.isReady) return null;
      try {
        const ok = await client.set(prefix + key, token, { condition: 'NX', expiration: { type: 'PX', value: ttl } });
        if (ok === 'OK') return token;
      } catch {
        return null;
      }
      if (Date.now() - started > maxWait) {
        opts.log?.warn({ key, lock: opts.name }, 'serial queue: waited too long for another instance; running anyway');
        return null;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 100);
    }
  };

  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      return local.run(key, async () => {
        const token = await acquire(key);
        if (token === null) return await task();
        const renew = setInterval(() => {
          client.eval(EXTEND, { keys: [prefix + key], arguments: [token, String(ttl)] }).catch(() => undefined);
        }, Math.max(1_000, Math.floor(ttl / 3)));
        try {
          return await task();
        } finally {
          clearInterval(renew);
          await client.eval(RELEASE, { keys: [prefix + key], arguments: [token] }).catch(() => undefined);
        }
      });
    },
    idle: () => local.idle(),
  };
}
