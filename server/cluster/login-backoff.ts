/**
 * The sign-in back-off of `http/admin/login-limits.ts` (`pairBackoff`: failures per (client
 * address, e-mail) pair; after `perEmail` free failures each further one doubles the wait, up to
 * `maxBackoffMs`; a success clears the pair; a pair idle for `windowMs` is forgotten) with its
 * state behind a store, so a guesser cannot get fresh attempts by landing on another instance.
 *
 * `localLoginBackoff` keeps today's in-memory map; `redisLoginBackoff` keeps one hash per pair
 * (Redis's clock, atomic scripts) and uses the in-memory one while Redis is unreachable.
 */
import type { RedisClient } from './adapter.ts';

export interface BackoffPolicy {
  windowMs: number;
  perEmail: number;
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface LoginBackoffStore {
  /** milliseconds this pair must still wait before trying again; 0 = it may try */
  waitMs(key: string): Promise<number>;
  /** a failed attempt (not a 429): counts it and sets the next wait */
  failed(key: string): Promise<void>;
  /** a successful attempt clears the pair */
  succeeded(key: string): Promise<void>;
}

const policyOf = (p: BackoffPolicy) => ({ window: p.windowMs, free: p.perEmail, base: p.backoffMs ?? 1_000, max: p.maxBackoffMs ?? 60_000 });

export function localLoginBackoff(policy: BackoffPolicy, now: () => number = Date.now): LoginBackoffStore {
  const { window, free, base, max } = policyOf(policy);
  const pairs = new Map<string, { failures: number; waitUntil: number; at: number }>();
  const prune = (t: number) => {
    for (const [k, p] of pairs) if (t - p.at > Math.max(window, max)) pairs.delete(k);
  };
  return {
    async waitMs(key) {
      const t = now();
      if (pairs.size > 10_000) prune(t);
      const pair = pairs.get(key);
      if (!pair) return 0;
      if (t - pair.at > window) {
        pairs.delete(key);
        return 0;
      }
      return Math.max(0, pair.waitUntil - t);
    },
    async failed(key) {
      const t = now();
      const p = pairs.get(key) ?? { failures: 0, waitUntil: 0, at: t };
      p.failures += 1;
      p.at = t;
      const over = p.failures - free;
      if (over >= 0) p.waitUntil = t + Math.min(max, base * 2 ** Math.min(over, 30));
      pairs.set(key, p);
    },
    async succeeded(key) {
      pairs.delete(key);
    },
  };
}

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] pair; returns the wait in ms (a pair idle past the window is gone by its expiry) */
const WAIT_SCRIPT = `${NOW_MS}
local w = tonumber(redis.call('HGET', KEYS[1], 'waitUntil'))
if w == nil or w <= now then return 0 end
return w - now`;

/** KEYS[1] pair; ARGV window, free, base, max */
const FAIL_SCRIPT = `${NOW_MS}
local window = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local f = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local over = f - free
local wait = 0
if over >= 0 then
  wait = math.min(max, base * 2 ^ math.min(over, 30))
  redis.call('HSET', KEYS[1], 'waitUntil', tostring(now + wait))
end
redis.call('PEXPIRE', KEYS[1], math.max(window, wait))
return f`;

export function redisLoginBackoff(client: RedisClient, policy: BackoffPolicy, opts: { prefix?: string } = {}): LoginBackoffStore {
  const prefix = opts.prefix ?? 'parley:login:';
  const { window, free, base, max } = policyOf(policy);
  const fallback = localLoginBackoff(policy);
  const k = (key: string) => `${prefix}${key}`;
  const viaRedis = async <T>(redis: () => Promise<T>, local: () => Promise<T>): Promise<T> => {
    if (!client.isReady) return local();
    try {
      return await redis();
    } catch {
      return local();
    }
  };
  return {
    waitMs: (key) =>
      viaRedis(
        async () => Number(await client.eval(WAIT_SCRIPT, { keys: [k(key)] })),
        () => fallback.waitMs(key),
      ),
    failed: (key) =>
      viaRedis(
        async () => void (await client.eval(FAIL_SCRIPT, { keys: [k(key)], arguments: [String(window), String(free), String(base), String(max)] })),
        () => fallback.failed(key),
      ),
    succeeded: (key) =>
      viaRedis(
        async () => void (await client.del(k(key))),
        () => fallback.succeeded(key),
      ),
  };
}
