/**
 * Read side of insights: aggregates over the fact tables (insight-facts.ts) under the dashboard's
 * filters. Every query starts from insight_facts by (site_id, day) or (day), so its cost grows
 * with the conversations in the period, not with the messages table.
 */
import type { Db } from './db.ts';

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

function where(f: FactFilter, alias = 'f'): { sql: string; params: unknown[] } {
  const parts: string[] = [`${alias}.day BETWEEN ? AND ?`];
  const params: unknown[] = [f.from, f.to];
  if (f.siteId !== undefined) {
    parts.unshift(`${alias}.site_id = ?`);
    params.unshift(f.siteId);
  }
  if (f.flowId !== undefined) (parts.push(`${alias}.flow_id = ?`), params.push(f.flowId));
  if (f.source !== undefined) (parts.push(`${alias}.source = ?`), params.push(f.source));
  if (f.lang !== undefined) (parts.push(`${alias}.lang = ?`), params.push(f.lang));
  if (f.tag !== undefined) (parts.push(`${alias}.conversation_id IN (SELECT t.conversation_id FROM conversation_tags t WHERE t.tag = ?)`), params.push(f.tag.toLowerCase()));
  return { sql: parts.join(' AND '), params };
}

/** hours a follow-up may stay open by urgency before it counts as overdue */
export const FOLLOW_UP_ALLOWANCE_HOURS: ReadonlyMap<string, number> = new Map([
  ['critical', 4],
  ['high', 24],
  ['medium', 72],
  ['low', 168],
]);
const ALLOWANCE_SQL = `CASE f.urgency ${[...FOLLOW_UP_ALLOWANCE_HOURS].map(([u, h]) => `WHEN '${u}' THEN ${h * 3_600_000}`).join(' ')} ELSE ${168 * 3_600_000} END`;

export function insightsStore(db: Db) {
  // filters combine freely, so statements are built per shape and cached
  const cache = new Map<string, ReturnType<typeof db.prepare<unknown[], unknown>>>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare<unknown[], unknown>(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const all = <T>(sql: string, params: unknown[]): T[] => prepared(sql).all(...params) as T[];
  const get = <T>(sql: string, params: unknown[]): T | undefined => prepared(sql).get(...params) as T | undefined;

  return {
    /** the key figures per local day */
    daySums(f: FactFilter): DaySums[] {
      const w = where(f);
      return all<DaySums>(
        `SELECT f.day, count(*) AS n,
           count(f.nps) AS nps_n, coalesce(sum(f.nps >= 9), 0) AS promoters, coalesce(sum(f.nps <= 6), 0) AS detractors,
           count(f.csat) AS csat_n, coalesce(sum(f.csat), 0) AS csat_sum, coalesce(sum(f.csat >= 4), 0) AS csat_sat,
           count(f.ces) AS ces_n, coalesce(sum(f.ces), 0) AS ces_sum, coalesce(sum(f.ces * f.ces), 0) AS ces_sq,
           count(f.sentiment) AS sent_n, coalesce(sum(f.sentiment), 0) AS sent_sum,
           coalesce(sum(f.sentiment_label = 'positive'), 0) AS positive, coalesce(sum(f.sentiment_label = 'negative'), 0) AS negative,
           coalesce(sum(f.follow_up), 0) AS follow_up,
           coalesce(sum(EXISTS (SELECT 1 FROM insight_expectations x WHERE x.conversation_id = f.conversation_id AND x.status = 'unmet')), 0) AS unmet_any
         FROM insight_facts f WHERE ${w.sql} GROUP BY f.day ORDER BY f.day`,
        w.params,
      );
    },
    /** conversations per local day and source */
    volume(f: FactFilter): { day: string; source: string; n: number }[] {
      const w = where(f);
      return all(`SELECT f.day, f.source, count(*) AS n FROM insight_facts f WHERE ${w.sql} GROUP BY f.day, f.source ORDER BY f.day`, w.params);
    },
    byFlow(f: FactFilter): { flow_id: string | null; n: number }[] {
      const w = where(f);
      return all(`SELECT f.flow_id, count(*) AS n FROM insight_facts f WHERE ${w.sql} GROUP BY f.flow_id ORDER BY n DESC`, w.params);
    },
    /** topics (and key phrases) with the conversations mentioning them and their mean sentiment */
    terms(f: FactFilter, kind: 'topic' | 'phrase' | null, limit: number): TermCount[] {
      const w = where(f);
      return all<TermCount>(
        `SELECT t.kind, t.name, count(*) AS n, avg(f.sentiment) AS sentiment
         FROM insight_facts f JOIN insight_terms t ON t.conversation_id = f.conversation_id
         WHERE ${w.sql} ${kind ? 'AND t.kind = ?' : ''}
         GROUP BY t.kind, t.name ORDER BY n DESC, t.name LIMIT ?`,
        [...w.params, ...(kind ? [kind] : []), limit],
      );
    },
    /** per term: conversations in the recent window (day >= windowFrom) and before it */
    termWindows(f: FactFilter, windowFrom: string, minRecent: number): { kind: 'topic' | 'phrase'; name: string; recent: number; baseline: number }[] {
      const w = where(f);
      return all(
        `SELECT t.kind, t.name, sum(f.day >= ?) AS recent, sum(f.day < ?) AS baseline
         FROM insight_facts f JOIN insight_terms t ON t.conversation_id = f.conversation_id
         WHERE ${w.sql} GROUP BY t.kind, t.name HAVING recent >= ?`,
        [windowFrom, windowFrom, ...w.params, minRecent],
      );
    },
    count(f: FactFilter): number {
      const w = where(f);
      return get<{ n: number }>(`SELECT count(*) AS n FROM insight_facts f WHERE ${w.sql}`, w.params)?.n ?? 0;
    },
    /** recent representative visitor quotes of conversations with a term */
    termQuotes(f: FactFilter, kind: 'topic' | 'phrase', name: string, limit: number, worstFirst = false): { conversation_id: string; quote: string }[] {
      const w = where(f);
      return all(
        `SELECT f.conversation_id, f.quote FROM insight_facts f JOIN insight_terms t ON t.conversation_id = f.conversation_id
         WHERE ${w.sql} AND t.kind = ? AND t.name = ? AND f.quote IS NOT NULL ORDER BY ${worstFirst ? 'f.sentiment ASC,' : ''} f.started_at DESC LIMIT ?`,
        [...w.params, kind, name, limit],
      );
    },
    /** a visitor message of the conversation that contains the phrase, if any */
    messageWith(conversationId: string, phrase: string): string | null {
      return (
        get<{ text: string }>(
          "SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' AND instr(lower(text), ?) > 0 ORDER BY seq LIMIT 1",
          [conversationId, phrase.toLowerCase()],
        )?.text ?? null
      );
    },
    expectations(f: FactFilter): { kind: string; total: number; unmet: number; met: number }[] {
      const w = where(f);
      return all(
        `SELECT x.kind, count(*) AS total, sum(x.status = 'unmet') AS unmet, sum(x.status = 'met') AS met
         FROM insight_facts f JOIN insight_expectations x ON x.conversation_id = f.conversation_id
         WHERE ${w.sql} GROUP BY x.kind ORDER BY unmet DESC, total DESC`,
        w.params,
      );
    },
    unmetQuotes(f: FactFilter, kind: string, limit: number): { conversation_id: string; text: string }[] {
      const w = where(f);
      return all(
        `SELECT x.conversation_id, x.text FROM insight_facts f JOIN insight_expectations x ON x.conversation_id = f.conversation_id
         WHERE ${w.sql} AND x.kind = ? AND x.status = 'unmet' ORDER BY f.started_at DESC LIMIT ?`,
        [...w.params, kind, limit],
      );
    },
    /** follow-ups wanted by conversations in the period: how many, resolved, overdue at `now` */
    followUps(f: FactFilter, now: number): { opened: number; resolved: number; overdue: number } {
      const w = where(f);
      const r = get<{ opened: number; resolved: number; overdue: number }>(
        `SELECT count(*) AS opened, coalesce(sum(c.follow_up_status = 'done'), 0) AS resolved,
           coalesce(sum(c.follow_up_status <> 'done' AND coalesce(f.opened_at, f.started_at) + ${ALLOWANCE_SQL} < ?), 0) AS overdue
         FROM insight_facts f JOIN conversations c ON c.id = f.conversation_id
         WHERE ${w.sql} AND f.follow_up = 1`,
        [now, ...w.params],
      );
      return r ?? { opened: 0, resolved: 0, overdue: 0 };
    },
    /** ms from a follow-up being wanted to it being marked done, sorted */
    resolutionTimes(f: FactFilter): number[] {
      const w = where(f);
      return all<{ ms: number }>(
        `SELECT max(0, r.resolved_at - coalesce(f.opened_at, f.started_at)) AS ms
         FROM insight_facts f JOIN insight_resolutions r ON r.conversation_id = f.conversation_id
         WHERE ${w.sql} AND f.follow_up = 1 ORDER BY ms`,
        w.params,
      ).map((r) => r.ms);
    },
    /** per survey flow: conversations analysed and completed */
    flowRuns(f: FactFilter): { site_id: string; flow_id: string; started: number; completed: number }[] {
      const w = where(f);
      return all(
        `SELECT f.site_id, f.flow_id, count(*) AS started, sum(f.completed) AS completed FROM insight_facts f
         WHERE ${w.sql} AND f.flow_id IS NOT NULL GROUP BY f.site_id, f.flow_id ORDER BY started DESC`,
        w.params,
      );
    },
    /** per flow and question: conversations that answered it */
    answeredByQuestion(f: FactFilter): { site_id: string; flow_id: string; question_id: string; n: number }[] {
      const w = where(f);
      return all(
        `SELECT f.site_id, f.flow_id, a.question_id, count(*) AS n FROM insight_facts f JOIN answers a ON a.conversation_id = f.conversation_id
         WHERE ${w.sql} AND f.flow_id IS NOT NULL AND a.value IS NOT NULL GROUP BY f.site_id, f.flow_id, a.question_id`,
        w.params,
      );
    },
    /** per flow and question: unfinished conversations whose last answer it was */
    lastAnswered(f: FactFilter): { site_id: string; flow_id: string; question_id: string; n: number }[] {
      const w = where(f);
      // SQLite: with max(), the bare columns come from the row holding the maximum
      return all(
        `SELECT site_id, flow_id, question_id, count(*) AS n FROM (
           SELECT f.site_id, f.flow_id, a.question_id, max(a.answered_at) FROM insight_facts f JOIN answers a ON a.conversation_id = f.conversation_id
           WHERE ${w.sql} AND f.flow_id IS NOT NULL AND f.completed = 0 GROUP BY f.conversation_id)
         GROUP BY site_id, flow_id, question_id`,
        w.params,
      );
    },
  };
}
export type InsightsStore = ReturnType<typeof insightsStore>;
