/**
 * Token buckets keyed by IP or visitor: `capacity` tokens, refilled at `perSecond`. In memory,
 * so each process limits on its own; idle keys are dropped once their bucket is full again.
 */
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export function createRateLimiter(spec: BucketSpec, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = (spec.capacity / spec.perSecond) * 1000;

  function prune(t: number) {
    for (const [key, b] of buckets) if (t - b.at >= fullAfterMs) buckets.delete(key);
  }

  return {
    take(key: string, cost = 1): Take {
      if (spec.capacity === Number.POSITIVE_INFINITY) return { ok: true };
      const t = now();
      if (buckets.size > 50_000) prune(t);
      const b = buckets.get(key) ?? { tokens: spec.capacity, at: t };
      b.tokens = Math.min(spec.capacity, b.tokens + ((t - b.at) / 1000) * spec.perSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= cost) {
        b.tokens -= cost;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((cost - b.tokens) / spec.perSecond) * 1000) };
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

export interface RateLimits {
  connectionsPerIp: BucketSpec;
  /** every event of one socket, valid or not: a flood costs validation and lookups */
  eventsPerSocket: BucketSpec;
  messagesPerVisitor: BucketSpec;
  messagesPerIp: BucketSpec;
  /** new conversations (each costs bot turns and an analysis job); resuming one is free */
  startsPerVisitor: BucketSpec;
  startsPerIp: BucketSpec;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  // reloads and reconnects of a household or office behind one address
  connectionsPerIp: { capacity: 60, perSecond: 1 },
  eventsPerSocket: { capacity: 300, perSecond: 30 },
  // a person types nowhere near this; a script does
  messagesPerVisitor: { capacity: 20, perSecond: 0.5 },
  messagesPerIp: { capacity: 120, perSecond: 5 },
  // a visitor restarts a survey a few times; an address (an office) starts a few a minute
  startsPerVisitor: { capacity: 10, perSecond: 0.1 },
  startsPerIp: { capacity: 60, perSecond: 0.5 },
};

const UNLIMITED: BucketSpec = { capacity: Number.POSITIVE_INFINITY, perSecond: 1 };
/** PARLEY_RATE_LIMITS=off: benchmarks drive thousands of messages a second from one address */
export const NO_RATE_LIMITS: RateLimits = {
  connectionsPerIp: UNLIMITED,
  eventsPerSocket: UNLIMITED,
  messagesPerVisitor: UNLIMITED,
  messagesPerIp: UNLIMITED,
  startsPerVisitor: UNLIMITED,
  startsPerIp: UNLIMITED,
};
