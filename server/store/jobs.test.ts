import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { jobsStore } from './jobs.ts';
import { sqliteSql } from './sqlite-sql.ts';

describe('jobs store', () => {
  it('an enqueue inside a transaction that rolls back leaves no job', async () => {
    const sql = sqliteSql(openDb(':memory:'));
    const jobs = jobsStore(sql);
    await expect(
      sql.tx(async () => {
        await jobs.enqueue('extract', { conversationId: 'c1' }, { dedupeKey: 'extract:c1' });
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await jobs.counts()).toEqual({ pending: 0, running: 0, done: 0, dead: 0 });
  });

  it('never hands the same job to two claims while its lease holds', async () => {
    const jobs = jobsStore(sqliteSql(openDb(':memory:')));
    for (let i = 0; i < 3; i++) await jobs.enqueue('extract', { i });
    const first = await jobs.claim(['extract'], 2, 60_000);
    const second = await jobs.claim(['extract'], 5, 60_000);
    expect(first.map((j) => j.payload)).toEqual([{ i: 0 }, { i: 1 }]);
    expect(second.map((j) => j.payload)).toEqual([{ i: 2 }]);
    expect(await jobs.claim(['extract'], 5, 60_000)).toEqual([]);
    expect(first[0]).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('does not claim a job before its run time', async () => {
    const jobs = jobsStore(sqliteSql(openDb(':memory:')));
    await jobs.enqueue('extract', {}, { runAt: Date.now() + 60_000 });
    expect(await jobs.claim(['extract'], 1, 1_000)).toEqual([]);
    expect(await jobs.nextDueAt(['extract'])).toBeGreaterThan(Date.now());
  });

  it('keeps the error of a failed attempt and reschedules it', async () => {
    const jobs = jobsStore(sqliteSql(openDb(':memory:')));
    await jobs.enqueue('extract', {});
    const [job] = await jobs.claim(['extract'], 1, 60_000);
    const later = Date.now() + 5_000;
    await jobs.fail(job!.id, 'timeout', later);
    expect(await jobs.get(job!.id)).toMatchObject({ status: 'pending', runAt: later, lastError: 'timeout', lockedUntil: null });
  });
});
