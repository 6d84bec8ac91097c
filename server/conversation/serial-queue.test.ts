import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial-queue.ts';

describe('serial queue', () => {
  it('runs tasks of one key in order, one at a time, and keeps going after a failure', async () => {
    const q = createSerialQueue();
    const log: string[] = [];
    const task = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const a = q.run('k', task('a'));
    const b = q.run('k', task('b', true));
    const c = q.run('k', task('c'));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('does not hold one key back for another', async () => {
    const q = createSerialQueue();
    let releaseSlow: () => void = () => undefined;
    const slow = q.run('slow', () => new Promise<string>((r) => (releaseSlow = () => r('slow'))));
    await expect(q.run('fast', async () => 'fast')).resolves.toBe('fast');
    releaseSlow();
    await expect(slow).resolves.toBe('slow');
    await q.idle();
  });
});
