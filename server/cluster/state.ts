/**
 * The shared-state backends for one process, chosen by what the cluster fan-out has: Redis
 * (REDIS_URL) shares rate limits, the sign-in back-off and cache invalidation between instances;
 * PostgreSQL alone (DATABASE_URL without REDIS_URL) shares cache invalidation (LISTEN/NOTIFY)
 * while limits stay per process; one process keeps everything in memory as before.
 *
 * main.ts builds this once after `createClusterFanOut` and hands the parts to the adapters
 * (see the report of the cluster branch for the call sites).
 */
import type { Store } from 'express-rate-limit';
import type { Logger } from '../logger.ts';
import type { ClusterFanOut } from './adapter.ts';
import { localInvalidation, postgresInvalidation, redisInvalidation, type InvalidationBus } from './invalidation.ts';
import { localLoginBackoff, redisLoginBackoff, type BackoffPolicy, type LoginBackoffStore } from './login-backoff.ts';
import { createSerialQueue } from '../conversation/serial-queue.ts';
import { createRedisSerialQueue, type SerialQueue } from './serial-queue.ts';
import { expressRateLimitStore, localRateLimits, redisRateLimits, type RateLimitBackend } from './rate-limit.ts';

export interface ClusterState {
  /** token buckets (visitor connections, messages, conversation starts) */
  rateLimits: RateLimitBackend;
  /** a store for one express-rate-limit limiter (undefined = its default MemoryStore) */
  expressStore(prefix: string): Store | undefined;
  /** the sign-in / setup back-off per (address, e-mail) */
  loginBackoff(policy: BackoffPolicy, name: string): LoginBackoffStore;
  invalidation: InvalidationBus;
  /** per-key serial queue (bot turns per conversation, starts per visitor) across instances */
  serialQueue(name: string): SerialQueue;
  close(): Promise<void>;
}

export async function createClusterState(fanOut: ClusterFanOut, log: Logger): Promise<ClusterState> {
  const redis = fanOut.redis;
  if (redis) {
    const invalidation = await redisInvalidation(redis, { log });
    return {
      rateLimits: redisRateLimits(redis, { log }),
      expressStore: (prefix) => expressRateLimitStore(redis, prefix),
      loginBackoff: (policy, name) => redisLoginBackoff(redis, policy, { prefix: `parley:login:${name}:` }),
      invalidation,
      serialQueue: (name) => createRedisSerialQueue(redis, { name, log }),
      close: () => invalidation.close(),
    };
  }
  const invalidation = fanOut.pool ? await postgresInvalidation(fanOut.pool, { log }) : localInvalidation();
  return {
    rateLimits: localRateLimits(),
    expressStore: () => undefined,
    loginBackoff: (policy) => localLoginBackoff(policy),
    invalidation,
    // without Redis: in-process order only (PostgreSQL-only clusters: see the report)
    serialQueue: () => createSerialQueue(),
    close: () => invalidation.close(),
  };
}
