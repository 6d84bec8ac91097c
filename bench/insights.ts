/**
 * Insights at scale: a generated database of 100,000 analysed conversations and 1,000,000
 * messages (bulk insert, one transaction, prepared statements), then every dashboard, emerging
 * topic and comparison query, median and p95 per query, beside one full scan of the messages
 * table in the same run (the cost the fact tables avoid). Aim: every dashboard query < 100 ms p95.
 *
 *   npx tsx bench/insights.ts [--conversations 100000] [--messages-per 10] [--runs 15]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays, localDay } from '../shared/zoned-time.ts';
import { dashboard, expectations, factFilter, followUps, resolveFilters, topics, type InsightContext } from '../server/insights/dashboard.ts';
import { compare } from '../server/insights/compare.ts';
import { emerging } from '../server/insights/emerging.ts';
import { seededRandom } from '../server/insights/rng.ts';
import { openDb, type Db } from '../server/store/db.ts';
import { createStore } from '../server/store/index.ts';
import { uuidv7 } from '../server/store/ids.ts';
import { row, type BenchRow } from './row.ts';
import { median, nowMs, percentile } from './stats.ts';

export interface InsightBenchOptions {
  conversations: number;
  messagesPer: number;
  days: number;
  runs: number;
}

export const INSIGHT_BENCH_DEFAULTS: InsightBenchOptions = { conversations: 100_000, messagesPer: 10, days: 365, runs: 15 };

const TOPICS = ['Delivery', 'Returns & refunds', 'Product quality', 'Sizing & fit', 'Pricing', 'Payment & billing', 'Website & checkout', 'Customer service', 'Stock & availability', 'Account & orders'];
const PHRASES = ['tracking number', 'refund', 'runs small', 'discount code', 'checkout page', 'no reply', 'out of stock', 'charged twice', 'free shipping', 'gift card'];
const SOURCES = ['widget', 'widget', 'widget', 'api', 'feed', 'import'];
const FLOWS = ['nps', 'nps', 'support', 'product-feedback'];
const LANGS = ['en', 'en', 'de', 'fr', 'es'];
const KINDS = ['delivery', 'feature', 'price', 'response_time', 'quality', 'other'];
const WORDS = 'the parcel arrived late again and nobody answered my emails but the jumper itself is lovely warm and fits well shipping costs too much'.split(' ');

/** bulk insert: conversations, messages, answers, insight facts, terms, expectations; returns seconds */
function generate(db: Db, siteId: string, o: InsightBenchOptions, now: number): { seconds: number } {
  const t0 = nowMs();
  const rand = seededRandom(11);
  // one long transaction over 1M rows: a page cache that holds the working set avoids spilling
  db.pragma('cache_size = -262144');
  const conv = db.prepare(
    `INSERT INTO conversations (id, site_id, visitor_id, flow_id, source, status, follow_up_status, last_seq, started_at, last_activity_at, ended_at, end_reason)
     VALUES (?, ?, NULL, ?, ?, 'ended', ?, ?, ?, ?, ?, ?)`,
  );
  const msg = db.prepare('INSERT INTO messages (conversation_id, seq, author, text, created_at) VALUES (?, ?, ?, ?, ?)');
  const answer = db.prepare('INSERT INTO answers (conversation_id, question_id, type, value, raw, answered_at) VALUES (?, ?, ?, ?, ?, ?)');
  // the same rows the insights store writes (its rollup triggers run too)
  const fact = db.prepare(
    `INSERT INTO insight_facts (site_id, day, conversation_id, flow_id, source, lang, started_at, tz, completed, nps, csat, ces, sentiment, sentiment_label, follow_up, urgency, opened_at, unmet_any, follow_up_status, quote)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'Europe/Berlin', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const term = db.prepare(
    'INSERT OR IGNORE INTO insight_terms (site_id, day, conversation_id, kind, name, flow_id, source, lang, sentiment, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const expect = db.prepare(
    'INSERT INTO insight_expectations (site_id, day, conversation_id, idx, kind, status, text, flow_id, source, lang, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const resolved = db.prepare('INSERT INTO insight_resolutions (conversation_id, resolved_at) VALUES (?, ?)');
  const answered = db.prepare(
    'INSERT INTO insight_answers (site_id, day, conversation_id, question_id, flow_id, source, lang, answered, last) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)',
  );
  // rows inserted here bypass the messages store, which writes the full-text index (migration 011
  // removed the per-row trigger): the index is rebuilt in bulk after
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const text = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const span = o.days * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < o.conversations; i++) {
      // oldest first, so UUIDv7 ids follow time as in production
      const startedAt = now - span + Math.floor((i / o.conversations) * span) + Math.floor(rand() * 60_000);
      const id = uuidv7(startedAt);
      const flow = pick(FLOWS);
      const source = pick(SOURCES);
      const sentiment = Math.round((rand() * 2 - 1) * 100) / 100;
      const followUp = sentiment < -0.6 && rand() < 0.6;
      const status = followUp ? (rand() < 0.6 ? 'done' : 'open') : 'none';
      const endedAt = startedAt + o.messagesPer * 20_000;
      const completed = rand() < 0.85;
      conv.run(id, siteId, flow, source, status, o.messagesPer, startedAt, endedAt, endedAt, completed ? 'completed' : 'idle');
      for (let s = 1; s <= o.messagesPer; s++) msg.run(id, s, s % 2 ? 'bot' : 'visitor', text(6 + Math.floor(rand() * 10)), startedAt + s * 20_000);
      const nps = flow === 'nps' ? Math.max(0, Math.min(10, Math.round(7 + sentiment * 3.5 + (rand() - 0.5) * 3))) : null;
      const csat = flow === 'support' || (flow === 'nps' && completed) ? Math.max(1, Math.min(5, Math.round(3.2 + sentiment * 1.8))) : null;
      const ces = flow === 'product-feedback' ? Math.max(1, Math.min(7, Math.round(4.5 + sentiment * 2))) : null;
      const survey: string[] = nps === null ? [] : completed ? ['nps', 'why', 'delivery_csat'] : rand() < 0.5 ? ['nps'] : ['nps', 'why'];
      if (nps !== null) {
        answer.run(id, 'nps', 'nps', String(nps), String(nps), startedAt + 20_000);
        if (survey.includes('why')) answer.run(id, 'why', 'text', JSON.stringify(text(8)), 'why', startedAt + 40_000);
        if (completed) answer.run(id, 'delivery_csat', 'csat', String(csat), String(csat), startedAt + 60_000);
      }
      const day = localDay(startedAt, 'Europe/Berlin');
      const lang = pick(LANGS);
      const unmet = rand() < 0.4 ? (rand() < 0.55 ? 'unmet' : 'met') : null;
      fact.run(siteId, day, id, flow, source, lang, startedAt, completed ? 1 : 0, nps, csat, ces, sentiment,
        sentiment > 0.25 ? 'positive' : sentiment < -0.25 ? 'negative' : 'neutral', followUp ? 1 : 0, followUp ? 'medium' : null, followUp ? endedAt : null,
        unmet === 'unmet' ? 1 : 0, status, text(14));
      const termRow = (kind: string, name: string) => term.run(siteId, day, id, kind, name, flow, source, lang, sentiment, startedAt);
      termRow('topic', pick(TOPICS));
      if (rand() < 0.5) termRow('topic', pick(TOPICS));
      if (rand() < 0.6) termRow('phrase', pick(PHRASES));
      if (unmet) expect.run(siteId, day, id, 0, pick(KINDS), unmet, text(7), flow, source, lang, startedAt);
      if (status === 'done') resolved.run(id, endedAt + Math.floor(rand() * 48 * 3_600_000));
      survey.forEach((qid, k) => answered.run(siteId, day, id, qid, flow, source, lang, !completed && k === survey.length - 1 ? 1 : 0));
    }
  })();
  db.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
  db.exec('ANALYZE');
  return { seconds: (nowMs() - t0) / 1000 };
}

/** each run awaited: the store answers with promises, and a query's time is until its answer */
async function time(runs: number, fn: () => unknown): Promise<{ median: number; p95: number }> {
  await fn();
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = nowMs();
    await fn();
    samples.push(nowMs() - t);
  }
  return { median: median(samples), p95: percentile(samples, 95) };
}

export async function benchInsights(opts: Partial<InsightBenchOptions> = {}): Promise<BenchRow[]> {
  const o = { ...INSIGHT_BENCH_DEFAULTS, ...opts };
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-insights-'));
  const db = openDb(join(dir, 'insights.db'), { checkpointMs: 0 });
  try {
    const store = createStore(db);
    const site = await store.sites.create({ key: 'bench', name: 'Bench', allowedOrigins: [], settings: { timeZone: 'Europe/Berlin' } });
    const now = Date.now();
    const gen = generate(db, site.id, o, now);
    const counts = db.prepare<[], { c: number; m: number }>('SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM messages) AS m').get();
    process.stderr.write(`bench insights: ${counts?.c} conversations, ${counts?.m} messages generated in ${gen.seconds.toFixed(1)} s\n`);

    const ctx: InsightContext = { store, now: () => now };
    const q = store.insights.queries;
    const today = localDay(now, 'Europe/Berlin');
    const month = await resolveFilters(ctx, { siteId: site.id, from: addDays(today, -27), to: today });
    const year = await resolveFilters(ctx, { siteId: site.id, from: addDays(today, -364), to: today });
    const filtered = await resolveFilters(ctx, { siteId: site.id, flowId: 'nps', source: 'widget', lang: 'de', from: addDays(today, -27), to: today });
    const allSites = await resolveFilters(ctx, { from: addDays(today, -27), to: today });
    const f = factFilter(month);

    const scan = await time(Math.max(3, Math.floor(o.runs / 3)), () => db.prepare('SELECT count(*), sum(length(text)) FROM messages').get());
    const rows: BenchRow[] = [row('insights: generate 100k conversations + 1M messages', gen.seconds, 's', null)];
    const queries: [string, () => unknown][] = [
      ['key figures by day, 28 days', () => q.daySums(f)],
      ['key figures by day, 365 days', () => q.daySums(factFilter(year))],
      ['key figures, 28 days, flow+source+language', () => q.daySums(factFilter(filtered))],
      ['key figures, 28 days, all sites', () => q.daySums(factFilter(allSites))],
      ['volume by day and source', () => q.volume(f)],
      ['volume by flow', () => q.byFlow(f)],
      ['top topics with change', () => topics(ctx, month)],
      ['unmet expectations with quotes', () => expectations(ctx, month)],
      ['follow-ups and median resolution', () => followUps(ctx, month)],
      ['survey answered and drop-off per question', () => q.answersByQuestion(f)],
      ['survey answered and drop-off, 365 days', () => q.answersByQuestion(factFilter(year))],
      ['survey per question, 28 days, language filter', () => q.answersByQuestion(factFilter(filtered))],
      ['follow-ups, 365 days', () => followUps(ctx, year)],
      ['unmet expectations, 365 days', () => expectations(ctx, year)],
      ['unmet quotes of one kind', () => q.unmetQuotes(f, 'delivery', 12)],
      ['topic quotes', () => q.termQuotes(f, 'topic', 'Delivery', 12)],
      ['whole dashboard, 28 days by day', () => dashboard(ctx, { ...month, granularity: 'day' })],
      ['whole dashboard, 365 days by week', () => dashboard(ctx, { ...year, granularity: 'week' })],
      ['emerging topics (7 vs 28 days)', () => emerging(ctx, { siteId: site.id, to: today, windowDays: 7, baselineDays: 28 })],
      ['compare flows (nps vs support), 28 days', () => compare(ctx, { a: { ...month, flowId: 'nps' }, b: { ...month, flowId: 'support' } })],
      ['compare period vs previous, 28 days', () => compare(ctx, { a: { ...month, from: addDays(month.from, -28), to: addDays(month.from, -1) }, b: month })],
    ];
    for (const [name, fn] of queries) {
      const t = await time(o.runs, fn);
      rows.push(row(`insights p95: ${name}`, t.p95, 'ms', scan.median, 'one full scan of messages (median)'));
      rows.push(row(`insights median: ${name}`, t.median, 'ms', scan.median, 'one full scan of messages (median)'));
    }
    rows.push(row('insights: full scan of messages', scan.median, 'ms', null));
    return rows;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const { formatTable } = await import('./table.ts');
  const rows = await benchInsights({
    ...(arg('conversations') ? { conversations: arg('conversations') } : {}),
    ...(arg('messages-per') ? { messagesPer: arg('messages-per') } : {}),
    ...(arg('runs') ? { runs: arg('runs') } : {}),
  });
  console.log(formatTable(rows));
}
