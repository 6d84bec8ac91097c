/**
 * Ingest throughput: a 10,000-item batch (10 requests of 1,000) through POST /api/v1/feedback on
 * the real HTTP app and a file database, then offline extraction of every item by the job
 * worker; beside raw better-sqlite3 inserts of the same rows (one prepared insert, one
 * transaction per 1,000) in the same run. `npx tsx bench/ingest.ts` prints the table;
 * bench/run.ts calls benchIngest(). PARLEY_BENCH_INGEST_ITEMS changes the count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { FeedbackBatchResponse } from '../shared/feedback.ts';
import { ingestKit } from '../server/ingest/test-kit.ts';
import { row, type BenchRow } from './row.ts';
import { nowMs } from './stats.ts';
import { formatTable } from './table.ts';

const ITEMS = Number(process.env.PARLEY_BENCH_INGEST_ITEMS ?? 10_000);
const BATCH = 1_000;

// Realistic review snippets in four languages, mixed feelings, stray numbers; varied per item.
const OPENERS = [
  'Ordered twice this month,',
  'Bestellung kam nach 6 Tagen,',
  'Commande reçue hier,',
  'El pedido llegó a tiempo,',
  'Support chat took 20 min to answer,',
  'Die App stürzt beim Bezahlen ab,',
  'Le service client était très sympa,',
  'Tried the premium plan for 3 weeks,',
];
const MIDDLES = [
  'the quality is fine but the price went up by 15%',
  'aber die Verpackung war beschädigt',
  'mais il manquait un article',
  'pero la talla no era la correcta',
  'and the refund for order 48213 is still missing',
  'obwohl ich 2 mal neu installiert habe',
  'et le remboursement est arrivé en 48h',
  'honestly worth it, 9/10 would recommend',
];
const CLOSERS = ['', ' Thanks!', ' Sehr ärgerlich.', ' Merci beaucoup.', ' Gracias.', ' Please fix this.', ' Will order again.', ' 2 stars.'];

export function makeItems(n: number): { source: string; externalId: string; author: string; text: string; rating: number; createdAt: number }[] {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    source: i % 3 === 0 ? 'app-store' : i % 3 === 1 ? 'trustpilot' : 'play-store',
    externalId: `bench-${i}`,
    author: `Customer ${i % 997}`,
    text: `${OPENERS[i % OPENERS.length]} ${MIDDLES[(i * 7) % MIDDLES.length]}.${CLOSERS[(i * 3) % CLOSERS.length]} (#${i})`,
    rating: 1 + (i % 5),
    createdAt: t0 + i * 60_000,
  }));
}

function rawInserts(items: ReturnType<typeof makeItems>): number {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-ingest-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, site_id TEXT NOT NULL, source TEXT NOT NULL, external_id TEXT NOT NULL,
             author TEXT, text TEXT NOT NULL, rating REAL, created_at INTEGER NOT NULL, UNIQUE (site_id, source, external_id))`);
    const insert = db.prepare('INSERT INTO items (site_id, source, external_id, author, text, rating, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const batch = db.transaction((rows: typeof items) => {
      for (const r of rows) insert.run('site', r.source, r.externalId, r.author, r.text, r.rating, r.createdAt);
    });
    const t0 = nowMs();
    for (let i = 0; i < items.length; i += BATCH) batch(items.slice(i, i + BATCH));
    return (items.length / (nowMs() - t0)) * 1000;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchIngest(n = ITEMS): Promise<BenchRow[]> {
  const items = makeItems(n);
  const raw = rawInserts(items);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-ingest-'));
  const kit = await ingestKit({ dbPath: join(dir, 'ingest.db') });
  try {
    const t0 = nowMs();
    let created = 0;
    for (let i = 0; i < items.length; i += BATCH) {
      const r = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: items.slice(i, i + BATCH) });
      if (r.status !== 201) throw new Error(`batch at ${i}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      created += r.body.created;
    }
    const ingestMs = nowMs() - t0;
    if (created !== n) throw new Error(`created ${created} of ${n}`);
    await kit.worker.drain();
    const totalMs = nowMs() - t0;
    const analysed = await kit.store.extractions.count();
    if (analysed !== n) throw new Error(`analysed ${analysed} of ${n}`);
    const ingestRate = (n / ingestMs) * 1000;
    const note = 'raw better-sqlite3 inserts of the same rows';
    return [
      row(`ingest: items stored/s via POST /api/v1/feedback (${n} items, ${BATCH}/request)`, ingestRate, 'items/s', raw, note),
      row(`ingest: items stored + analysed/s (offline extraction, ${n} items)`, (n / totalMs) * 1000, 'items/s', raw, note),
      row('ingest: raw better-sqlite3 inserts of the same rows', raw, 'rows/s', null),
    ];
  } finally {
    await kit.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatTable(await benchIngest()));
}
