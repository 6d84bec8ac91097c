import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db.ts';
import { createGroupCommit } from './group-commit.ts';

function table(): { db: Db; tx: <T>(fn: () => T) => T; onAfterError: (err: unknown) => void; errors: unknown[]; rows: () => string[]; commits: () => number } {
  const db = openDb(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
  let commits = 0;
  const errors: unknown[] = [];
  return {
    db,
    errors,
    onAfterError: (err) => errors.push(err),
    tx: <T>(fn: () => T): T => {
      const outer = !db.inTransaction;
      const r = db.transaction(fn)();
      if (outer) commits++;
      return r;
    },
    rows: () => db.prepare<[], string>('SELECT k FROM t ORDER BY k').pluck().all(),
    commits: () => commits,
  };
}

const insertOnce = (db: Db) => {
  const find = db.prepare<[string], string>('SELECT k FROM t WHERE k = ?').pluck();
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  return (k: string): { k: string; duplicate: boolean } => {
    if (k === 'bad') throw new Error('refused');
    if (find.get(k) !== undefined) return { k, duplicate: true };
    insert.run(k);
    return { k, duplicate: false };
  };
};

describe('group commit', () => {
  it('writes everything submitted in one tick in one transaction, settling each only after the commit', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db));
    const seenAtSettle: { inTx: boolean; stored: boolean }[] = [];
    const keys = Array.from({ length: 50 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const results = await Promise.all(
      [...keys, 'm07'].map((k) =>
        gc.submit(k).then((r) => {
          seenAtSettle.push({ inTx: t.db.inTransaction, stored: t.rows().includes(k) });
          return r;
        }),
      ),
    );
    expect(t.commits()).toBe(1);
    expect(t.rows()).toEqual(keys);
    expect(seenAtSettle.every((s) => !s.inTx && s.stored)).toBe(true);
    // the resend in the same batch is answered as a duplicate, not stored twice
    expect(results.at(-1)).toEqual({ k: 'm07', duplicate: true });
    expect(results.filter((r) => r.duplicate)).toHaveLength(1);
  });

  it('an item that fails is rolled back alone; the rest of its batch commits', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db));
    const settled = await Promise.allSettled(['a', 'bad', 'c'].map((k) => gc.submit(k)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(t.rows()).toEqual(['a', 'c']);
  });

  it('a batch whose transaction fails rejects every caller and keeps nothing; resending stores each once', async () => {
    const t = table();
    let failNext = true;
    let depth = 0;
    // the outer transaction fails after its writes (a commit refused by the disk); savepoints pass
    const flaky = {
      onAfterError: t.onAfterError,
      tx: <T>(fn: () => T): T => {
        depth++;
        try {
          return t.tx(() => {
            const r = fn();
            if (failNext && depth === 1) {
              failNext = false;
              throw new Error('disk I/O error');
            }
            return r;
          });
        } finally {
          depth--;
        }
      },
    };
    const gc = createGroupCommit(flaky, insertOnce(t.db));
    const first = await Promise.allSettled(['x', 'y', 'z'].map((k) => gc.submit(k)));
    expect(first.every((s) => s.status === 'rejected')).toBe(true);
    expect(t.rows()).toEqual([]);
    const again = await Promise.all(['x', 'y', 'z', 'x'].map((k) => gc.submit(k)));
    expect(again.map((r) => r.duplicate)).toEqual([false, false, false, true]);
    expect(t.rows()).toEqual(['x', 'y', 'z']);
  });

  it('runs the after-commit step once per batch with only what committed, before callers hear back', async () => {
    const t = table();
    const order: string[] = [];
    const gc = createGroupCommit(t, insertOnce(t.db), (committed) => order.push(`after:${committed.map((c) => c.item).join(',')}`));
    await Promise.allSettled(['p', 'bad', 'q'].map((k) => gc.submit(k).then(() => order.push(`ack:${k}`))));
    expect(order).toEqual(['after:p,q', 'ack:p', 'ack:q']);
  });

  it('a failing after-commit step is reported, and every caller still hears its committed result', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db), () => {
      throw new Error('listener broke');
    });
    const results = await Promise.all(['u', 'v'].map((k) => gc.submit(k)));
    expect(results.map((r) => r.k)).toEqual(['u', 'v']);
    expect(t.rows()).toEqual(['u', 'v']);
    expect(t.errors.map((e) => (e as Error).message)).toEqual(['listener broke']);
  });
});
