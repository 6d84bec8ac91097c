import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

describe('createLimiter', () => {
  it('never runs more than max tasks at once and runs them all', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => limit(() => task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('frees the slot when a task throws', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('createLimiter with a deadline', () => {
  it('fails a waiter whose deadline passes before a slot frees, and runs the next one', async () => {
    const limit = createLimiter(1);
    let release!: () => void;
    const holding = limit(() => new Promise<string>((r) => (release = () => r('first'))));
    const late = limit(() => Promise.resolve('never'), { deadline: Date.now() + 20, onTimeout: () => new Error('queued too long') });
    await expect(late).rejects.toThrow('queued too long');
    const next = limit(() => Promise.resolve('next'));
    release();
    await expect(holding).resolves.toBe('first');
    await expect(next).resolves.toBe('next');
  });
});
