import { describe, expect, it } from 'vitest';
import { captureLog } from '../hostile/log-sink.ts';
import { createLogger, type Logger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { PermanentJobError } from './permanent-error.ts';
import { createJobWorker, type JobHandler } from './worker.ts';

const log = createLogger('silent');

function setup(handlers: Record<string, JobHandler>, extra: { concurrency?: number; maxAttempts?: number; leaseMs?: number; log?: Logger } = {}) {
  const { jobs } = createStore(openDb(':memory:'));
  const worker = createJobWorker({ jobs, handlers, backoff: { baseMs: 10, maxMs: 40 }, pollMs: 5, log, ...extra });
  return { jobs, worker };
}

describe('job worker', () => {
  it('runs every due job once and marks it done', async () => {
    const seen: unknown[] = [];
    const { jobs, worker } = setup({ extract: async (p) => void seen.push(p) });
    for (let i = 0; i < 5; i++) await jobs.enqueue('extract', { n: i });
    await worker.drain();
    expect(seen).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    expect(await jobs.counts()).toMatchObject({ done: 5, pending: 0, running: 0 });
  });

  it('never runs more jobs at once than its concurrency', async () => {
    let now = 0;
    let peak = 0;
    const { jobs, worker } = setup(
      {
        slow: async () => {
          peak = Math.max(peak, ++now);
          await new Promise((r) => setTimeout(r, 5));
          now--;
        },
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 12; i++) await jobs.enqueue('slow', {});
    await worker.drain();
    expect(peak).toBe(3);
    expect((await jobs.counts()).done).toBe(12);
  });

  it('retries a failing job with growing delays, then succeeds', async () => {
    const at: number[] = [];
    const { jobs, worker } = setup({
      flaky: async () => {
        at.push(Date.now());
        if (at.length < 3) throw new Error(`boom ${at.length}`);
      },
    });
    await jobs.enqueue('flaky', {});
    await worker.drain();
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(10);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(20);
    const [job] = await jobs.listByStatus('done');
    expect(job).toMatchObject({ attempts: 3, lastError: null });
  });

  it('marks a job dead after maxAttempts and keeps its last error', async () => {
    let calls = 0;
    const { jobs, worker } = setup({ broken: async () => void (calls++, (() => { throw new Error(`broken #${calls}`); })()) }, { maxAttempts: 3 });
    await jobs.enqueue('broken', { x: 1 });
    await worker.drain();
    expect(calls).toBe(3);
    const [job] = await jobs.listByStatus('dead');
    expect(job).toMatchObject({ attempts: 3, payload: { x: 1 } });
    expect(job!.lastError).toContain('broken #3');
    // a dead job can be put back by hand
    expect(await jobs.revive(job!.id)).toBe(true);
    expect(await jobs.get(job!.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('ignores a duplicate enqueue while the job is pending, but not after it is done (re-analysis)', async () => {
    let runs = 0;
    const { jobs, worker } = setup({ extract: async () => void runs++ });
    await jobs.enqueue('extract', { id: 'a' }, { dedupeKey: 'extract:a' });
    await jobs.enqueue('extract', { id: 'a' }, { dedupeKey: 'extract:a' });
    await worker.drain();
    expect(runs).toBe(1);
    await jobs.enqueue('extract', { id: 'a' }, { dedupeKey: 'extract:a' });
    await worker.drain();
    expect(runs).toBe(2);
  });

  it('takes over a job whose lease ran out (its worker died) and leaves a leased one alone', async () => {
    const runs: number[] = [];
    const { jobs, worker } = setup({ extract: async (_p, job) => void runs.push(job.id) });
    await jobs.enqueue('extract', {}, { runAt: Date.now() - 120_000 });
    await jobs.enqueue('extract', {}, { runAt: Date.now() - 120_000 });
    // Two workers that died: one claimed just now with a long lease, the other a minute ago with a 1 s lease.
    const [held] = await jobs.claim(['extract'], 1, 60_000);
    const [expired] = await jobs.claim(['extract'], 1, 1_000, Date.now() - 60_000);
    worker.start();
    await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    expect(runs).toEqual([expired!.id]);
    expect(await jobs.get(expired!.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await jobs.get(held!.id)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('drops and logs the outcome of a job that outlived its lease and was claimed again; the new holder settles it', async () => {
    const sink = captureLog('warn');
    let started = (): void => undefined;
    let released: Promise<boolean> = Promise.resolve(false);
    const { jobs, worker } = setup(
      {
        slow: async () => {
          started();
          if (await released) throw new Error('late failure');
        },
      },
      { leaseMs: 1_000, log: sink.log },
    );
    for (const fail of [false, true]) {
      const running = new Promise<void>((r) => (started = r));
      let release!: (fail: boolean) => void;
      released = new Promise<boolean>((r) => (release = r));
      await jobs.enqueue('slow', { fail }, { dedupeKey: `slow:${fail}` });
      worker.start();
      await running;
      // its lease ran out while the handler hung: another worker claimed the job again
      const [taken] = await jobs.claim(['slow'], 1, 60_000, Date.now() + 5_000);
      expect(taken).toMatchObject({ attempts: 2, payload: { fail } });
      release(fail);
      await worker.stop();
      expect(await jobs.get(taken!.id)).toMatchObject({ status: 'running', attempts: 2, lastError: null });
      expect(sink.lines.filter((l) => l.msg?.startsWith('late job outcome dropped'))).toHaveLength(fail ? 2 : 1);
      // no "will retry" or "dead": the holder decides
      expect(sink.lines.some((l) => l.msg === 'job failed; will retry' || l.msg === 'job dead')).toBe(false);
      expect(await jobs.complete(taken!)).toBe(true);
      expect(await jobs.get(taken!.id)).toMatchObject({ status: 'done' });
    }
  });

  it('only claims kinds it has handlers for', async () => {
    const { jobs, worker } = setup({ extract: async () => {} });
    await jobs.enqueue('webhook', {});
    await jobs.enqueue('extract', {});
    await worker.drain();
    expect(await jobs.counts()).toMatchObject({ done: 1, pending: 1 });
  });

  it('stop() waits for running jobs to finish', async () => {
    let finished = false;
    const { jobs, worker } = setup({
      slow: async () => {
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
    });
    await jobs.enqueue('slow', {});
    worker.start();
    await new Promise((r) => setTimeout(r, 5));
    await worker.stop();
    expect(finished).toBe(true);
    expect((await jobs.counts()).done).toBe(1);
  });
});

describe('permanent failures', () => {
  it('a PermanentJobError sends the job dead at once', async () => {
    let calls = 0;
    const { jobs, worker } = setup({
      bad: async () => {
        calls++;
        throw new PermanentJobError('payload can never work');
      },
    });
    await jobs.enqueue('bad', {});
    await worker.drain();
    expect(calls).toBe(1);
    expect((await jobs.listByStatus('dead'))[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('payload can never work') });
  });
});
