/**
 * What the store adds on top of SQLite for a visitor message: raw better-sqlite3 inserts into the
 * same messages table (one commit per message, as message:send commits before acking) against
 * store.messages.append (client-id dedupe lookup + seq bump + insert in one transaction).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../server/store/db.ts';
import { createStore } from '../server/store/index.ts';
import { row, type BenchRow } from './row.ts';
import { nowMs } from './stats.ts';

export interface InsertOptions {
  rows: number;
  maxMs: number;
  conversations: number;
}

export const INSERT_DEFAULTS: InsertOptions = { rows: 20_000, maxMs: 3_000, conversations: 100 };

async function setUp(db: Db, conversations: number): Promise<string[]> {
  const store = createStore(db);
  const site = await store.sites.create({ key: 'bench', name: 'Bench', allowedOrigins: [] });
  const { visitor } = await store.visitors.create(site.id, 'en');
  const ids: string[] = [];
  for (let i = 0; i < conversations; i++) ids.push((await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'support' })).id);
  return ids;
}

/** rows per second, stopping at `rows` or `maxMs` (the raw insert: synchronous, no await per row) */
function timed(o: InsertOptions, insert: (i: number) => void): number {
  const t0 = nowMs();
  let i = 0;
  // check the clock every 100 rows so the check does not dominate
  while (i < o.rows && (i % 100 !== 0 || nowMs() - t0 < o.maxMs)) insert(i++);
  return (i / (nowMs() - t0)) * 1000;
}

/** the same for an insert through the asynchronous store: each row awaited before the next */
async function timedAsync(o: InsertOptions, insert: (i: number) => Promise<void>): Promise<number> {
  const t0 = nowMs();
  let i = 0;
  while (i < o.rows && (i % 100 !== 0 || nowMs() - t0 < o.maxMs)) await insert(i++);
  return (i / (nowMs() - t0)) * 1000;
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-sql-'));
  const db = openDb(join(dir, 'bench.db'));
  try {
    return await fn(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSqliteInserts(o: InsertOptions = INSERT_DEFAULTS): Promise<BenchRow[]> {
  const raw = await withDb(async (db) => {
    const ids = await setUp(db, o.conversations);
    const seqs = new Map<string, number>();
    const insert = db.prepare(
      `INSERT INTO messages (conversation_id, seq, client_id, author, text, created_at) VALUES (?, ?, ?, 'visitor', ?, ?)`,
    );
    return timed(o, (i) => {
      const c = ids[i % ids.length]!;
      const seq = (seqs.get(c) ?? 0) + 1;
      seqs.set(c, seq);
      insert.run(c, seq, `raw-${i}-client`, 'How do I reset my password?', Date.now());
    });
  });
  const viaStore = await withDb(async (db) => {
    const ids = await setUp(db, o.conversations);
    const store = createStore(db);
    return timedAsync(o, async (i) => {
      await store.messages.append(ids[i % ids.length]!, { author: 'visitor', clientId: `store-${i}-client`, text: 'How do I reset my password?' });
    });
  });
  return [
    row('sqlite raw insert (1 commit/msg)', Math.round(raw), 'rows/s', null, 'baseline'),
    row('store messages.append (1 commit/msg)', Math.round(viaStore), 'rows/s', Math.round(raw), 'raw insert'),
  ];
}
