/**
 * Read side of insights: aggregates over the fact tables (insight-facts.ts) under the dashboard's
 * filters. Every query starts from insight_facts by (site_id, day) or (day), so its cost grows
 * with the conversations in the period, not with the messages table.
 */
import type { Sql, SqlValue } from './sql.ts';

/** Filters with the period as local days (both ends included). */
export interface FactFilter {
  siteId?: string | undefined;
  flowId?: string | undefined;
  source?: string | undefined;
  lang?: string | undefined;
  tag?: string | undefined;
  from: string;
  to: string;
}

/** Sums per local day: the service folds them into buckets and totals. */
export interface DaySums {
  day: string;
  n: number;
  nps_n: number;
  promoters: number;
  detractors: number;
  csat_n: number;
  csat_sum: number;
  csat_sat: number;
  ces_n: number;
  ces_sum: number;
  ces_sq: number;
  sent_n: number;
  sent_sum: number;
  positive: number;
  negative: number;
  follow_up: number;
  unmet_any: number;
}

export interface TermCount {
  kind: 'topic' | 'phrase';
  name: string;
  n: number;
  sentiment: number | null;
}

function where(f: FactFilter, alias: string, opts: { rollup?: 'daily' | 'terms' } = {}): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...p: SqlValue[]) => {
    parts.push(sql);
    params.push(...p);
  };
  // the site leads the clustered key: without one, every site's range is read (few sites per install)
  if (f.siteId !== undefined) add(`${alias}.site_id = ?`, f.siteId);
  else add(`${alias}.site_id IN (SELECT id FROM sites)`);
  add(`${alias}.day BETWEEN ? AND ?`, f.from, f.to);
  if (opts.rollup === 'terms') return { sql: parts.join(' AND '), params };
  if (f.flowId !== undefined) add(`${alias}.flow_id = ?`, f.flowId);
  if (f.source !== undefined) add(`${alias}.source = ?`, f.source);
  if (opts.rollup === 'daily') return { sql: parts.join(' AND '), params };
  if (f.lang !== undefined) add(`${alias}.lang = ?`, f.lang);
  if (f.tag !== undefined) add(`${alias}.conversation_id IN (SELECT t.conversation_id FROM conversation_tags t WHERE t.tag = ?)`, f.tag.toLowerCase());
  return { sql: parts.join(' AND '), params };
}

/** the daily rollup holds site, day, flow and source: enough unless a language or tag is asked for */
const dailyServes = (f: FactFilter) => f.lang === undefined && f.tag === undefined;
/** the daily term rollup holds site and day only */
const termsServe = (f: FactFilter) => dailyServes(f) && f.flowId === undefined && f.source === undefined;

/** 1 when `cond` holds, else 0: summed, it counts rows (both engines; PostgreSQL cannot sum booleans) */
const one = (cond: string): string => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;

const DAY_SUMS_FACTS = `count(*) AS n,
  count(f.nps) AS nps_n, COALESCE(sum(${one('f.nps >= 9')}), 0) AS promoters, COALESCE(sum(${one('f.nps <= 6')}), 0) AS detractors,
  count(f.csat) AS csat_n, COALESCE(sum(f.csat), 0) AS csat_sum, COALESCE(sum(${one('f.csat >= 4')}), 0) AS csat_sat,
  count(f.ces) AS ces_n, COALESCE(sum(f.ces), 0) AS ces_sum, COALESCE(sum(f.ces * f.ces), 0) AS ces_sq,
  count(f.sentiment) AS sent_n, COALESCE(sum(f.sentiment), 0) AS sent_sum,
  COALESCE(sum(${one("f.sentiment_label = 'positive'")}), 0) AS positive, COALESCE(sum(${one("f.sentiment_label = 'negative'")}), 0) AS negative,
  COALESCE(sum(f.follow_up), 0) AS follow_up, COALESCE(sum(f.unmet_any), 0) AS unmet_any`;
const DAY_SUMS_DAILY = `sum(d.n) AS n, sum(d.nps_n) AS nps_n, sum(d.promoters) AS promoters, sum(d.detractors) AS detractors,
  sum(d.csat_n) AS csat_n, sum(d.csat_sum) AS csat_sum, sum(d.csat_sat) AS csat_sat, sum(d.ces_n) AS ces_n, sum(d.ces_sum) AS ces_sum,
  sum(d.ces_sq) AS ces_sq, sum(d.sent_n) AS sent_n, sum(d.sent_sum) AS sent_sum, sum(d.positive) AS positive, sum(d.negative) AS negative,
  sum(d.follow_up) AS follow_up, sum(d.unmet_any) AS unmet_any`;

/** hours a follow-up may stay open by urgency before it counts as overdue */
export const FOLLOW_UP_ALLOWANCE_HOURS: ReadonlyMap<string, number> = new Map([
  ['critical', 4],
  ['high', 24],
  ['medium', 72],
  ['low', 168],
]);
const ALLOWANCE_SQL = `CASE f.urgency ${[...FOLLOW_UP_ALLOWANCE_HOURS].map(([u, h]) => `WHEN '${u}' THEN ${h * 3_600_000}`).join(' ')} ELSE ${168 * 3_600_000} END`;

export function insightsStore(sql: Sql) {
  // filters combine freely, so statements are built per shape (the runner caches them by text)
  const all = <T>(text: string, params: SqlValue[]): Promise<T[]> => sql.all<T>(text, params);
  const get = <T>(text: string, params: SqlValue[]): Promise<T | undefined> => sql.get<T>(text, params);
  const contains = sql.dialect === 'sqlite' ? 'instr(lower(text), ?) > 0' : 'strpos(lower(text), ?) > 0';

  return {
    /** the key figures per local day */
    async daySums(f: FactFilter): Promise<DaySums[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all<DaySums>(`SELECT d.day, ${DAY_SUMS_DAILY} FROM insight_daily d WHERE ${w.sql} GROUP BY d.day ORDER BY d.day`, w.params);
      }
      const w = where(f, 'f');
      return await all<DaySums>(`SELECT f.day, ${DAY_SUMS_FACTS} FROM insight_facts f WHERE ${w.sql} GROUP BY f.day ORDER BY f.day`, w.params);
    },
    /** conversations per local day and source */
    async volume(f: FactFilter): Promise<{ day: string; source: string; n: number }[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all(`SELECT d.day, d.source, sum(d.n) AS n FROM insight_daily d WHERE ${w.sql} GROUP BY d.day, d.source ORDER BY d.day`, w.params);
      }
      const w = where(f, 'f');
      return await all(`SELECT f.day, f.source, count(*) AS n FROM insight_facts f WHERE ${w.sql} GROUP BY f.day, f.source ORDER BY f.day`, w.params);
    },
    async byFlow(f: FactFilter): Promise<{ flow_id: string | null; n: number }[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all(`SELECT NULLIF(d.flow_id, '') AS flow_id, sum(d.n) AS n FROM insight_daily d WHERE ${w.sql} GROUP BY d.flow_id ORDER BY n DESC`, w.params);
      }
      const w = where(f, 'f');
      return await all(`SELECT NULLIF(f.flow_id, '') AS flow_id, count(*) AS n FROM insight_facts f WHERE ${w.sql} GROUP BY f.flow_id ORDER BY n DESC`, w.params);
    },
    async count(f: FactFilter): Promise<number> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return (await get<{ n: number | null }>(`SELECT sum(d.n) AS n FROM insight_daily d WHERE ${w.sql}`, w.params))?.n ?? 0;
      }
      const w = where(f, 'f');
      return (await get<{ n: number }>(`SELECT count(*) AS n FROM insight_facts f WHERE ${w.sql}`, w.params))?.n ?? 0;
    },
    /** topics (and key phrases) with the conversations mentioning them and their mean sentiment */
    async terms(f: FactFilter, kind: 'topic' | 'phrase' | null, limit: number): Promise<TermCount[]> {
      const k = kind ? 'AND t.kind = ?' : '';
      const kp = kind ? [kind] : [];
      if (termsServe(f)) {
        const w = where(f, 't', { rollup: 'terms' });
        return await all<TermCount>(
          `SELECT t.kind, t.name, sum(t.n) AS n, CAST(sum(t.sent_sum) AS DOUBLE PRECISION) / NULLIF(sum(t.sent_n), 0) AS sentiment FROM insight_daily_terms t
           WHERE ${w.sql} ${k} GROUP BY t.kind, t.name ORDER BY n DESC, t.name LIMIT ?`,
          [...w.params, ...kp, limit],
        );
      }
      const w = where(f, 't');
      return await all<TermCount>(
        `SELECT t.kind, t.name, count(*) AS n, avg(t.sentiment) AS sentiment FROM insight_terms t
         WHERE ${w.sql} ${k} GROUP BY t.kind, t.name ORDER BY n DESC, t.name LIMIT ?`,
        [...w.params, ...kp, limit],
      );
    },
    /** per term: conversations in the recent window (day >= windowFrom) and before it */
    async termWindows(f: FactFilter, windowFrom: string, minRecent: number): Promise<{ kind: 'topic' | 'phrase'; name: string; recent: number; baseline: number }[]> {
      if (termsServe(f)) {
        const w = where(f, 't', { rollup: 'terms' });
        return await all(
          `SELECT t.kind, t.name, sum(CASE WHEN t.day >= ? THEN t.n ELSE 0 END) AS recent, sum(CASE WHEN t.day < ? THEN t.n ELSE 0 END) AS baseline
           FROM insight_daily_terms t WHERE ${w.sql} GROUP BY t.kind, t.name HAVING sum(CASE WHEN t.day >= ? THEN t.n ELSE 0 END) >= ?`,
          [windowFrom, windowFrom, ...w.params, windowFrom, minRecent],
        );
      }
      const w = where(f, 't');
      return await all(
        `SELECT t.kind, t.name, sum(${one('t.day >= ?')}) AS recent, sum(${one('t.day < ?')}) AS baseline
         FROM insight_terms t WHERE ${w.sql} GROUP BY t.kind, t.name HAVING sum(${one('t.day >= ?')}) >= ?`,
        [windowFrom, windowFrom, ...w.params, windowFrom, minRecent],
      );
    },
    /**
     * representative visitor quotes of conversations with a term: the newest (walking the clustered
     * key backwards, so it stops after `limit` hits; UUIDv7 ids follow time), or the unhappiest first
     */
    async termQuotes(f: FactFilter, kind: 'topic' | 'phrase', name: string, limit: number, worstFirst = false): Promise<{ conversation_id: string; quote: string }[]> {
      const w = where(f, 't');
      return await all(
        `SELECT t.conversation_id, f.quote FROM insight_terms t JOIN insight_facts f ON f.conversation_id = t.conversation_id
         WHERE ${w.sql} AND t.kind = ? AND t.name = ? AND f.quote IS NOT NULL ORDER BY ${worstFirst ? 't.sentiment ASC,' : ''} t.day DESC, t.conversation_id DESC LIMIT ?`,
        [...w.params, kind, name, limit],
      );
    },
    /** a visitor message of the conversation that contains the phrase, if any */
    async messageWith(conversationId: string, phrase: string): Promise<string | null> {
      return (
        (
          await get<{ text: string }>(
            `SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' AND ${contains} ORDER BY seq LIMIT 1`,
            [conversationId, phrase.toLowerCase()],
          )
        )?.text ?? null
      );
    },
    async expectations(f: FactFilter): Promise<{ kind: string; total: number; unmet: number; met: number }[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all(
          `SELECT d.kind, sum(d.total) AS total, sum(d.unmet) AS unmet, sum(d.met) AS met FROM insight_daily_expectations d
           WHERE ${w.sql} GROUP BY d.kind ORDER BY unmet DESC, total DESC`,
          w.params,
        );
      }
      const w = where(f, 'x');
      return await all(
        `SELECT x.kind, count(*) AS total, sum(${one("x.status = 'unmet'")}) AS unmet, sum(${one("x.status = 'met'")}) AS met
         FROM insight_expectations x WHERE ${w.sql} GROUP BY x.kind ORDER BY unmet DESC, total DESC`,
        w.params,
      );
    },
    async unmetQuotes(f: FactFilter, kind: string, limit: number): Promise<{ conversation_id: string; text: string }[]> {
      const w = where(f, 'x');
      return await all(
        `SELECT x.conversation_id, x.text FROM insight_expectations x
         WHERE ${w.sql} AND x.kind = ? AND x.status = 'unmet' ORDER BY x.day DESC, x.conversation_id DESC LIMIT ?`,
        [...w.params, kind, limit],
      );
    },
    /** follow-ups wanted by conversations in the period: how many, resolved, overdue at `now` */
    async followUps(f: FactFilter, now: number): Promise<{ opened: number; resolved: number; overdue: number }> {
      const w = where(f, 'f');
      const r = await get<{ opened: number; resolved: number; overdue: number }>(
        `SELECT count(*) AS opened, COALESCE(sum(${one("f.follow_up_status = 'done'")}), 0) AS resolved,
           COALESCE(sum(${one(`f.follow_up_status <> 'done' AND COALESCE(f.opened_at, f.started_at) + ${ALLOWANCE_SQL} < ?`)}), 0) AS overdue
         FROM insight_facts f WHERE ${w.sql} AND f.follow_up = 1`,
        [now, ...w.params],
      );
      return r ?? { opened: 0, resolved: 0, overdue: 0 };
    },
    /** ms from a follow-up being wanted to it being marked done, sorted */
    async resolutionTimes(f: FactFilter): Promise<number[]> {
      const w = where(f, 'f');
      const rows = await all<{ ms: number }>(
        `SELECT CASE WHEN f.resolved_at - COALESCE(f.opened_at, f.started_at) > 0 THEN f.resolved_at - COALESCE(f.opened_at, f.started_at) ELSE 0 END AS ms
         FROM insight_facts f
         WHERE ${w.sql} AND f.follow_up = 1 AND f.follow_up_status = 'done' AND f.resolved_at IS NOT NULL ORDER BY ms`,
        w.params,
      );
      return rows.map((r) => r.ms);
    },
    /** per flow: conversations analysed and completed */
    async flowRuns(f: FactFilter): Promise<{ site_id: string; flow_id: string; started: number; completed: number }[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all(
          `SELECT d.site_id, d.flow_id, sum(d.n) AS started, sum(d.completed) AS completed FROM insight_daily d
           WHERE ${w.sql} AND d.flow_id <> '' GROUP BY d.site_id, d.flow_id ORDER BY started DESC`,
          w.params,
        );
      }
      const w = where(f, 'f');
      return await all(
        `SELECT f.site_id, f.flow_id, count(*) AS started, sum(f.completed) AS completed FROM insight_facts f
         WHERE ${w.sql} AND f.flow_id <> '' GROUP BY f.site_id, f.flow_id ORDER BY started DESC`,
        w.params,
      );
    },
    /** per flow and question: conversations that answered it, and unfinished ones whose last answer it was */
    async answersByQuestion(f: FactFilter): Promise<{ site_id: string; flow_id: string; question_id: string; answered: number; last: number }[]> {
      if (dailyServes(f)) {
        const w = where(f, 'd', { rollup: 'daily' });
        return await all(
          `SELECT d.site_id, d.flow_id, d.question_id, sum(d.answered) AS answered, sum(d.last) AS last FROM insight_daily_answers d
           WHERE ${w.sql} GROUP BY d.site_id, d.flow_id, d.question_id`,
          w.params,
        );
      }
      const w = where(f, 'a');
      return await all(
        `SELECT a.site_id, a.flow_id, a.question_id, sum(a.answered) AS answered, sum(a.last) AS last FROM insight_answers a
         WHERE ${w.sql} GROUP BY a.site_id, a.flow_id, a.question_id`,
        w.params,
      );
    },
  };
}
export type InsightsStore = ReturnType<typeof insightsStore>;
