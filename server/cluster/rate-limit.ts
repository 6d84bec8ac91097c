/**
 * Rate limits shared by every instance of a cluster (issue 13).
 *
 * 1. Token buckets (`realtime/rate-limit.ts` semantics: `capacity` tokens refilled at `perSecond`)
 *    kept in Redis by one Lua script: atomic per bucket, Redis's own clock (instances' clocks may
 *    differ), several buckets in one round trip (`takeAll`: the message path charges per-visitor
 *    and per-IP together). While Redis is unreachable each instance falls back to its own
 *    in-memory buckets: limits stay on (per process) instead of blocking or failing requests.
 * 2. `expressRateLimitStore(prefix)`: an express-rate-limit Store over `rate-limit-redis`, with the
 *    same fallback to express-rate-limit's MemoryStore while Redis is down.
 *
 * `localRateLimits()` is the one-process backend with the same interface (no Redis configured).
 */
import { MemoryStore, type ClientRateLimitInfo, type IncrementResponse, type Options as ErlOptions, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createRateLimiter, type BucketSpec, type Take } from '../realtime/rate-limit.ts';
import type { Logger } from '../logger.ts';
import type { RedisClient } from './adapter.ts';

export interface SharedRateLimiter {
  readonly name: string;
  readonly spec: BucketSpec;
  take(key: string, cost?: number): Promise<Take>;
}

export interface BucketTake {
  limiter: SharedRateLimiter;
  key: string;
  cost?: number;
}

export interface RateLimitBackend {
  /** one named bucket family; the same name on two instances is the same buckets */
  limiter(name: string, spec: BucketSpec): SharedRateLimiter;
  /**
   * charge several buckets in one round trip; each is charged on its own (as two separate takes
   * would be) and the answer is the first refusal, or ok
   */
  takeAll(takes: readonly BucketTake[]): Promise<Take>;
}

const firstRefusal = (takes: readonly Take[]): Take => takes.find((t) => !t.ok) ?? { ok: true };

/** one process: the in-memory buckets of realtime/rate-limit.ts behind the shared interface */
export function localRateLimits(now: () => number = Date.now): RateLimitBackend {
  const buckets = new Map<string, ReturnType<typeof createRateLimiter>>();
  const local = (name: string, spec: BucketSpec) => {
    let b = buckets.get(name);
    if (!b) buckets.set(name, (b = createRateLimiter(spec, now)));
    return b;
  };
  return {
    limiter(name, spec) {
      const bucket = local(name, spec);
      return { name, spec, take: async (key, cost = 1) => bucket.take(key, cost) };
    },
    async takeAll(takes) {
      return firstRefusal(takes.map((t) => local(t.limiter.name, t.limiter.spec).take(t.key, t.cost ?? 1)));
    },
  };
}

/**
 * KEYS: bucket keys; ARGV: capacity, perSecond, cost per key. Returns per key 0 (taken) or the
 * milliseconds until `cost` tokens are there. Idle buckets expire once they would be full again.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[3 * i - 2])
  local rate = tonumber(ARGV[3 * i - 1])
  local cost = tonumber(ARGV[3 * i])
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(b[1])
  local at = tonumber(b[2])
  if tokens == nil or at == nil then
    tokens = cap
    at = now
  end
  tokens = math.min(cap, tokens + math.max(0, now - at) / 1000 * rate)
  local wait = 0
  if tokens >= cost then
    tokens = tokens - cost
  else
    wait = math.ceil((cost - tokens) / rate * 1000)
  end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((cap - tokens) / rate * 1000) + 1000)
  out[i] = wait
end
return out
`;

export interface RedisRateLimitOptions {
  /** key prefix, so several deployments can share one Redis */
  prefix?: string;
  log?: Logger;
  /** a Redis answer slower than this (a hung server) is not waited for: the local buckets decide */
  timeoutMs?: number;
}

export function redisRateLimits(client: RedisClient, opts: RedisRateLimitOptions = {}): RateLimitBackend {
  const prefix = opts.prefix ?? 'parley:rl:';
  const fallback = localRateLimits();
  const timeoutMs = opts.timeoutMs ?? 500;
  let sha: string | null = null;
  let warned = false;

  const run = async (keys: string[], args: string[]): Promise<number[]> => {
    if (sha) {
      try {
        return toWaits(await client.evalSha(sha, { keys, arguments: args }));
      } catch (err) {
        // a restarted Redis has forgotten the script: EVAL loads it again
        if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      }
    }
    const reply = await client.eval(TAKE_SCRIPT, { keys, arguments: args });
    sha ??= await client.scriptLoad(TAKE_SCRIPT);
    return toWaits(reply);
  };

  const takeAll = async (takes: readonly BucketTake[]): Promise<Take> => {
    const counted = takes.filter((t) => t.limiter.spec.capacity !== Number.POSITIVE_INFINITY);
    if (counted.length === 0) return { ok: true };
    if (!client.isReady) return fallback.takeAll(counted);
    const keys = counted.map((t) => `${prefix}${t.limiter.name}:${t.key}`);
    const args = counted.flatMap((t) => [String(t.limiter.spec.capacity), String(t.limiter.spec.perSecond), String(t.cost ?? 1)]);
    let timer: NodeJS.Timeout | undefined;
    try {
      const waits = await Promise.race([
        run(keys, args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      warned = false;
      return firstRefusal(waits.map((w): Take => (w > 0 ? { ok: false, retryAfterMs: w } : { ok: true })));
    } catch (err) {
      if (!warned) opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'rate limits: Redis failed; limiting per process meanwhile');
      warned = true;
      return fallback.takeAll(counted);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    limiter(name, spec) {
      const limiter: SharedRateLimiter = { name, spec, take: (key, cost = 1) => takeAll([{ limiter, key, cost }]) };
      return limiter;
    },
    takeAll,
  };
}

function toWaits(reply: unknown): number[] {
  if (!Array.isArray(reply)) throw new Error('rate limit script: unexpected reply');
  return reply.map((w) => (typeof w === 'number' ? w : Number(w)));
}

/**
 * An express-rate-limit Store shared through Redis (rate-limit-redis), one per limiter (give each
 * its own `prefix`: express-rate-limit refuses a store used by two limiters). While Redis is not
 * ready, counts go to a per-process MemoryStore instead, so a Redis outage neither blocks nor
 * opens the limited routes.
 */
export function expressRateLimitStore(client: RedisClient, prefix: string): Store {
  const redis = new RedisStore({
    prefix: `parley:erl:${prefix}:`,
    sendCommand: (...args: string[]) => client.sendCommand(args) as Promise<never>,
  });
  const memory = new MemoryStore();
  const useRedis = () => client.isReady;
  return {
    prefix,
    async init(options: ErlOptions) {
      memory.init(options);
      await redis.init(options);
    },
    async get(key: string): Promise<ClientRateLimitInfo | undefined> {
      if (useRedis()) {
        try {
          return await redis.get(key);
        } catch {
          // fall through to the per-process counts
        }
      }
      return memory.get(key);
    },
    async increment(key: string): Promise<IncrementResponse> {
      if (useRedis()) {
        try {
          return await redis.increment(key);
        } catch {
          // fall through
        }
      }
      return memory.increment(key);
    },
    async decrement(key: string): Promise<void> {
      if (useRedis()) {
        try {
          return await redis.decrement(key);
        } catch {
          // fall through
        }
      }
      await memory.decrement(key);
    },
    async resetKey(key: string): Promise<void> {
      await memory.resetKey(key);
      if (useRedis()) await redis.resetKey(key).catch(() => undefined);
    },
    shutdown() {
      memory.shutdown();
    },
  };
}
