import { describe, expect, it } from 'vitest';
import { ENGINES, useEngine } from './test-helpers.ts';

describe.each(ENGINES)('jobs store (%s)', (engine) => {
  const db = useEngine(engine);

  it('an enqueue inside a transaction that rolls back leaves no job', async () => {
    const store = await db.store();
    const jobs = store.jobs;
    await expect(
      store.tx(async () => {
        await jobs.enqueue('extract', { conversationId: 'c1' }, { dedupeKey: 'extract:c1' });
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await jobs.counts()).toEqual({ pending: 0, running: 0, done: 0, dead: 0 });
  });

  it('never hands the same job to two claims while its lease holds', async () => {
    const { jobs } = await db.store();
    for (let i = 0; i < 3; i++) await jobs.enqueue('extract', { i });
    const first = await jobs.claim(['extract'], 2, 60_000);
    const second = await jobs.claim(['extract'], 5, 60_000);
    expect(first.map((j) => j.payload)).toEqual([{ i: 0 }, { i: 1 }]);
    expect(second.map((j) => j.payload)).toEqual([{ i: 2 }]);
    expect(await jobs.claim(['extract'], 5, 60_000)).toEqual([]);
    expect(first[0]).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('does not claim a job before its run time', async () => {
    const { jobs } = await db.store();
    await jobs.enqueue('extract', {}, { runAt: Date.now() + 60_000 });
    expect(await jobs.claim(['extract'], 1, 1_000)).toEqual([]);
    expect(await jobs.nextDueAt(['extract'])).toBeGreaterThan(Date.now());
  });

  it('keeps the error of a failed attempt and reschedules it', async () => {
    const { jobs } = await db.store();
    await jobs.enqueue('extract', {});
    const [job] = await jobs.claim(['extract'], 1, 60_000);
    const later = Date.now() + 5_000;
    await jobs.fail(job!, 'timeout', later);
    expect(await jobs.get(job!.id)).toMatchObject({ status: 'pending', runAt: later, lastError: 'timeout', lockedUntil: null });
  });

  it('records an outcome only from the claim that holds the job: a late one after the lease ran out and the job was claimed again changes nothing', async () => {
    const { jobs } = await db.store();
    await jobs.enqueue('extract', { conversationId: 'c1' }, { dedupeKey: 'extract:c1' });
    const t0 = Date.now();
    const [slow] = await jobs.claim(['extract'], 1, 1_000, t0);
    // the lease ran out (a hung worker): another worker claims the job again
    const [again] = await jobs.claim(['extract'], 1, 60_000, t0 + 5_000);
    expect(again).toMatchObject({ id: slow!.id, attempts: 2 });

    // the first worker wakes up: neither its success nor its failure is written
    expect(await jobs.complete(slow!, t0 + 6_000, 'stale note')).toBe(false);
    expect(await jobs.fail(slow!, 'stale failure', t0 + 7_000, t0 + 6_000)).toBe(false);
    expect(await jobs.fail(slow!, 'stale failure', null, t0 + 6_000)).toBe(false);
    expect(await jobs.get(slow!.id)).toMatchObject({ status: 'running', attempts: 2, lockedUntil: t0 + 65_000, lastError: null, dedupeKey: 'extract:c1' });
    // the dedupe key still guards the job in flight
    await jobs.enqueue('extract', { conversationId: 'c1' }, { dedupeKey: 'extract:c1' });
    expect(await jobs.counts()).toEqual({ pending: 0, running: 1, done: 0, dead: 0 });

    // the holder's outcome counts, once
    expect(await jobs.fail(again!, 'timeout', null, t0 + 8_000)).toBe(true);
    expect(await jobs.get(slow!.id)).toMatchObject({ status: 'dead', lastError: 'timeout' });
    expect(await jobs.complete(again!, t0 + 9_000)).toBe(false);
    expect(await jobs.get(slow!.id)).toMatchObject({ status: 'dead', lastError: 'timeout' });

    // revived, claimed anew (attempts count from 1 again): the first claim still holds nothing
    expect(await jobs.revive(slow!.id, t0 + 10_000)).toBe(true);
    const [third] = await jobs.claim(['extract'], 1, 1_000, t0 + 10_000);
    expect(third).toMatchObject({ id: slow!.id, attempts: 1 });
    expect(await jobs.complete(slow!, t0 + 10_500)).toBe(false);
    expect(await jobs.complete(third!, t0 + 10_500)).toBe(true);
    expect(await jobs.get(slow!.id)).toMatchObject({ status: 'done', dedupeKey: null });
  });
});
