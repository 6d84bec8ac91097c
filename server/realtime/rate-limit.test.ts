import { describe, expect, it } from 'vitest';
import { createRateLimiter, NO_RATE_LIMITS } from './rate-limit.ts';

describe('token bucket', () => {
  it('allows a burst, refuses the next with the wait, and refills over time', () => {
    let now = 0;
    const limiter = createRateLimiter({ capacity: 2, perSecond: 1 }, () => now);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(limiter.take('b')).toEqual({ ok: true });
    now = 1000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a').ok).toBe(false);
  });

  it('the "off" setting never refuses', () => {
    const limiter = createRateLimiter(NO_RATE_LIMITS.messagesPerIp);
    for (let i = 0; i < 10_000; i++) expect(limiter.take('ip').ok).toBe(true);
  });
});
