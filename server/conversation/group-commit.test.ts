import { describe, expect, it } from 'vitest';
import { createTxGate } from '../store/async.ts';
import { openDb, type Db } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { countingSql, ENGINES, useEngine } from '../store/test-helpers.ts';
import { createCommitter, createGroupCommit } from './group-commit.ts';

/** fault injection in this test's own database: it refuses one message text, as it would a bad row */
const REFUSED = 'refused by the database';
const REFUSE_TRIGGER_SQLITE = `
  CREATE TRIGGER refuse_marked_message BEFORE INSERT ON messages WHEN NEW.text = '${REFUSED}'
  BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;`;
const REFUSE_TRIGGER_PG = `
  CREATE FUNCTION refuse_marked_message() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.text = '${REFUSED}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER refuse_marked_message BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_marked_message();`;

/** a table behind the store's transaction gate; `failCommits` refuses that many outer COMMITs (a disk error) */
function table(failCommits = 0) {
  const db = openDb(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
  let commits = 0;
  let refuse = failCommits;
  const errors: unknown[] = [];
  const gate = createTxGate({
    begin: () => db.exec('BEGIN'),
    beforeCommit: () => {
      if (refuse > 0) {
        refuse--;
        throw new Error('disk I/O error');
      }
    },
    commit: () => {
      db.exec('COMMIT');
      commits++;
    },
    rollback: () => db.exec('ROLLBACK'),
    inTransaction: () => db.inTransaction,
    finished: () => undefined,
    savepoint: (name) => db.exec(`SAVEPOINT ${name}`),
    release: (name) => db.exec(`RELEASE ${name}`),
    rollbackTo: (name) => db.exec(`ROLLBACK TO ${name}`),
  });
  return {
    db,
    gate,
    errors,
    onAfterError: (err: unknown) => errors.push(err),
    tx: <T>(fn: () => Promise<T>): Promise<T> => gate.tx(fn),
    rows: () => db.prepare<[], string>('SELECT k FROM t ORDER BY k').pluck().all(),
    commits: () => commits,
  };
}

/** the write a group commit runs per item: async like every store call, deduped like a clientId */
const insertOnce = (db: Db, gate: ReturnType<typeof createTxGate>) => {
  const find = db.prepare<[string], string>('SELECT k FROM t WHERE k = ?').pluck();
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  return async (k: string): Promise<{ k: string; duplicate: boolean }> => {
    if (k === 'bad') throw new Error('refused');
    if ((await gate.call(() => find.get(k))) !== undefined) return { k, duplicate: true };
    await gate.call(() => insert.run(k));
    return { k, duplicate: false };
  };
};

describe('group commit', () => {
  it('writes everything submitted in one tick in one transaction, settling each only after the commit', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db, t.gate));
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

  it('work submitted while a transaction is being written goes out together in the next one, after it', async () => {
    const t = table();
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const insert = insertOnce(t.db, t.gate);
    const order: string[] = [];
    const gc = createGroupCommit(t, async (k: string) => {
      if (k === 'first') await held;
      return insert(k);
    });
    const first = gc.submit('first').then(() => order.push('first'));
    // the first flush has begun and waits inside its transaction
    await new Promise((r) => setImmediate(r));
    const later = ['b', 'c', 'd'].map((k) => gc.submit(k).then(() => order.push(k)));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(t.commits()).toBe(0);
    expect(order).toEqual([]);
    release();
    await Promise.all([first, ...later]);
    expect(t.commits()).toBe(2);
    expect(order).toEqual(['first', 'b', 'c', 'd']);
    expect(t.rows()).toEqual(['b', 'c', 'd', 'first']);
  });

  it('an item that fails is rolled back alone; the rest of its batch commits', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db, t.gate));
    const settled = await Promise.allSettled(['a', 'bad', 'c'].map((k) => gc.submit(k)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(t.rows()).toEqual(['a', 'c']);
  });

  it('a batch whose transaction fails rejects every caller and keeps nothing; resending stores each once', async () => {
    // the outer transaction fails after its writes (a commit refused by the disk); savepoints pass
    const t = table(1);
    const gc = createGroupCommit(t, insertOnce(t.db, t.gate));
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
    const gc = createGroupCommit(t, insertOnce(t.db, t.gate), (committed) => order.push(`after:${committed.map((c) => c.item).join(',')}`));
    await Promise.allSettled(['p', 'bad', 'q'].map((k) => gc.submit(k).then(() => order.push(`ack:${k}`))));
    expect(order).toEqual(['after:p,q', 'ack:p', 'ack:q']);
  });

  it('a failing after-commit step is reported, and every caller still hears its committed result', async () => {
    const t = table();
    const gc = createGroupCommit(t, insertOnce(t.db, t.gate), () => {
      throw new Error('listener broke');
    });
    const results = await Promise.all(['u', 'v'].map((k) => gc.submit(k)));
    expect(results.map((r) => r.k)).toEqual(['u', 'v']);
    expect(t.rows()).toEqual(['u', 'v']);
    expect(t.errors.map((e) => (e as Error).message)).toEqual(['listener broke']);
  });
});

class RefusedEarly extends Error {}

describe.each(ENGINES)('group commit without savepoints (%s)', (engine) => {
  const pg = useEngine(engine);

  async function setUp(refusedBeforeWriting?: (error: unknown) => boolean) {
    const sql = countingSql((await pg.database()).connect());
    await sql.exec(engine === 'postgres' ? REFUSE_TRIGGER_PG : REFUSE_TRIGGER_SQLITE);
    const store = createStore(sql);
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], identitySecret: 'secret' });
    const c = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'nps' });
    const committer = createCommitter((fn) => store.tx(fn), { savepoints: 'on-failure' });
    const gc = createGroupCommit(
      { tx: (fn) => store.tx(fn), onAfterError: () => undefined, committer, ...(refusedBeforeWriting ? { refusedBeforeWriting } : {}) },
      async (m: { conversationId: string; text: string; clientId: string }) => {
        if (m.conversationId === 'refused-before-writing') throw new RefusedEarly();
        return store.messages.append(m.conversationId, { author: 'visitor', text: m.text, clientId: m.clientId });
      },
    );
    return { sql, store, c, gc };
  }

  it('a batch of good messages is one transaction of one statement per message (SQLite: three, and the search index)', async () => {
    const { sql, store, c, gc } = await setUp();
    const before = sql.trips();
    const acks = await Promise.all(['a', 'b', 'c', 'd'].map((t) => gc.submit({ conversationId: c.id, text: t, clientId: `client-${t}-01` })));
    // BEGIN + COMMIT + one statement per message (SQLite: the conversation's read, the insert and
    // the bump, and one statement indexing the batch's messages for search); no savepoint
    expect(sql.trips() - before).toBe(engine === 'postgres' ? 2 + 4 : 2 + 3 * 4 + 1);
    expect(acks.map((a) => a.message.seq)).toEqual([1, 2, 3, 4]);
    expect((await store.messages.list(c.id)).map((m) => m.text)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a message the database refuses or for a missing conversation fails alone; the rest commit with gapless seqs', async () => {
    const { store, c, gc } = await setUp();
    const items = [
      { conversationId: c.id, text: 'first', clientId: 'client-first-1' },
      // the statement fails (a trigger refuses it) and aborts the transaction
      { conversationId: c.id, text: REFUSED, clientId: 'client-nul-01' },
      { conversationId: c.id, text: 'second', clientId: 'client-second1' },
      { conversationId: 'no-such-conversation', text: 'lost', clientId: 'client-lost-01' },
      { conversationId: c.id, text: 'first again', clientId: 'client-first-1' },
    ];
    const settled = await Promise.allSettled(items.map((m) => gc.submit(m)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const values = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect(values.map((v) => v && [v.message.seq, v.message.text, v.duplicate])).toEqual([[1, 'first', false], null, [2, 'second', false], null, [1, 'first', true]]);
    expect((await store.messages.list(c.id)).map((m) => [m.seq, m.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect((await store.conversations.get(c.id))?.lastSeq).toBe(2);
    // the next batch goes on from there
    const next = await gc.submit({ conversationId: c.id, text: 'third', clientId: 'client-third-1' });
    expect(next.message.seq).toBe(3);
  });
  it('an item refused before it wrote anything fails alone without the batch being written again', async () => {
    const run = async (early: boolean) => {
      const { sql, store, c, gc } = await setUp(early ? (e) => e instanceof RefusedEarly : undefined);
      const before = sql.trips();
      const settled = await Promise.allSettled(
        ['a', 'b'].map((t) => gc.submit({ conversationId: t === 'a' ? c.id : 'refused-before-writing', text: t, clientId: `client-${t}-01` })),
      );
      const trips = sql.trips() - before;
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
      expect((await store.messages.list(c.id)).map((m) => m.text)).toEqual(['a']);
      return trips;
    };
    const once = await run(true);
    const again = await run(false);
    // written once: BEGIN, one message, COMMIT; without the predicate the batch is rolled back and
    // written again with savepoints
    expect(once).toBe(engine === 'postgres' ? 2 + 1 : 2 + 3 + 1);
    expect(again).toBeGreaterThan(once + 2);
  });
});
