/**
 * The insight fact tables: one row per analysed conversation with the figures the dashboard
 * counts, plus its topics/key phrases and expectations. Written after every extraction; writing
 * a conversation again replaces its rows, so re-analysis never counts it twice.
 */
import { localDay } from '../../shared/zoned-time.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { Sql, SqlValue } from './sql.ts';

export interface FactRow {
  conversationId: string;
  siteId: string;
  flowId: string | null;
  source: string;
  lang: string | null;
  startedAt: number;
  completed: boolean;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  sentiment: number | null;
  sentimentLabel: string | null;
  followUp: boolean;
  urgency: string | null;
  openedAt: number | null;
  /** the conversation's follow-up status and when it was marked done (kept current by triggers) */
  followUpStatus: string;
  resolvedAt: number | null;
  quote: string | null;
  terms: { kind: 'topic' | 'phrase'; name: string }[];
  expectations: { kind: string; status: string; text: string }[];
  /** survey answers: which questions got a value, and the last answer of an unfinished run */
  answers: { questionId: string; answered: boolean; last: boolean }[];
}

/** What fact building needs about a conversation besides its extraction. */
export interface FactContext {
  siteId: string;
  flowId: string | null;
  source: string;
  startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  needsHuman: boolean;
  followUpStatus: string;
  resolvedAt: number | null;
  timeZone: string;
  visitorTexts: string[];
  answers: { questionId: string; answered: boolean; answeredAt: number }[];
}

interface StoredFact {
  site_id: string;
  conversation_id: string;
  flow_id: string;
  source: string;
  lang: string | null;
  started_at: number;
  completed: number;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  sentiment: number | null;
  sentiment_label: string | null;
  follow_up: number;
  urgency: string | null;
  opened_at: number | null;
  follow_up_status: string;
  resolved_at: number | null;
  quote: string | null;
}

function safeTimeZone(settingsJson: string): string {
  try {
    const s = SiteSettings.safeParse(JSON.parse(settingsJson));
    return s.success ? s.data.timeZone : 'UTC';
  } catch {
    return 'UTC';
  }
}

/** one multi-row INSERT ... VALUES (...), (...) for `rows` (each the same length) */
function valuesOf(rows: SqlValue[][]): { values: string; params: SqlValue[] } {
  const one = `(${rows[0]!.map(() => '?').join(', ')})`;
  return { values: rows.map(() => one).join(', '), params: rows.flat() };
}

export function insightFactsStore(sql: Sql) {
  const column = async (text: string, id: string): Promise<string[]> => (await sql.all<{ v: string }>(text, [id])).map((r) => r.v);

  // delete, then insert: the rollup triggers subtract the old contribution and add the new one
  const writeRows = async (row: FactRow, timeZone: string): Promise<void> => {
    const id = row.conversationId;
    await sql.run('DELETE FROM insight_facts WHERE conversation_id = ?', [id]);
    await sql.run('DELETE FROM insight_terms WHERE conversation_id = ?', [id]);
    await sql.run('DELETE FROM insight_expectations WHERE conversation_id = ?', [id]);
    await sql.run('DELETE FROM insight_answers WHERE conversation_id = ?', [id]);
    const day = localDay(row.startedAt, timeZone);
    const flowId = row.flowId ?? '';
    await sql.run(
      `INSERT INTO insight_facts (site_id, day, conversation_id, flow_id, source, lang, started_at, tz, completed, nps, csat, ces,
         sentiment, sentiment_label, follow_up, urgency, opened_at, unmet_any, follow_up_status, resolved_at, quote)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.siteId,
        day,
        id,
        flowId,
        row.source,
        row.lang,
        row.startedAt,
        timeZone,
        row.completed ? 1 : 0,
        row.nps,
        row.csat,
        row.ces,
        row.sentiment,
        row.sentimentLabel,
        row.followUp ? 1 : 0,
        row.urgency,
        row.openedAt,
        row.expectations.some((x) => x.status === 'unmet') ? 1 : 0,
        row.followUpStatus,
        row.resolvedAt,
        row.quote,
      ],
    );
    if (row.terms.length > 0) {
      const v = valuesOf(row.terms.map((t) => [row.siteId, day, id, t.kind, t.name, flowId, row.source, row.lang, row.sentiment, row.startedAt]));
      await sql.run(
        `INSERT INTO insight_terms (site_id, day, conversation_id, kind, name, flow_id, source, lang, sentiment, started_at)
         VALUES ${v.values} ON CONFLICT DO NOTHING`,
        v.params,
      );
    }
    if (row.expectations.length > 0) {
      const v = valuesOf(
        row.expectations.map((x, idx) => [row.siteId, day, id, idx, x.kind, x.status, x.text, flowId, row.source, row.lang, row.startedAt]),
      );
      await sql.run(
        `INSERT INTO insight_expectations (site_id, day, conversation_id, idx, kind, status, text, flow_id, source, lang, started_at)
         VALUES ${v.values}`,
        v.params,
      );
    }
    if (row.flowId !== null && row.answers.length > 0) {
      const v = valuesOf(
        row.answers.map((a) => [row.siteId, day, id, a.questionId, flowId, row.source, row.lang, a.answered ? 1 : 0, a.last ? 1 : 0]),
      );
      await sql.run(
        `INSERT INTO insight_answers (site_id, day, conversation_id, question_id, flow_id, source, lang, answered, last)
         VALUES ${v.values} ON CONFLICT DO NOTHING`,
        v.params,
      );
    }
  };

  return {
    /** the conversation's side of a fact row; null when it is gone */
    async context(conversationId: string): Promise<FactContext | null> {
      const c = await sql.get<{
        site_id: string;
        flow_id: string | null;
        source: string;
        started_at: number;
        ended_at: number | null;
        end_reason: string | null;
        needs_human: number;
        follow_up_status: string;
        resolved_at: number | null;
        settings: string;
      }>(
        `SELECT c.site_id, c.flow_id, c.source, c.started_at, c.ended_at, c.end_reason, c.needs_human, c.follow_up_status, r.resolved_at, s.settings
         FROM conversations c JOIN sites s ON s.id = c.site_id LEFT JOIN insight_resolutions r ON r.conversation_id = c.id WHERE c.id = ?`,
        [conversationId],
      );
      if (!c) return null;
      const [visitorTexts, answers] = await Promise.all([
        column("SELECT text AS v FROM messages WHERE conversation_id = ? AND author = 'visitor' ORDER BY seq", conversationId),
        sql.all<{ question_id: string; answered: number; answered_at: number }>(
          'SELECT question_id, CASE WHEN value IS NOT NULL THEN 1 ELSE 0 END AS answered, answered_at FROM answers WHERE conversation_id = ?',
          [conversationId],
        ),
      ]);
      return {
        siteId: c.site_id,
        flowId: c.flow_id,
        source: c.source,
        startedAt: c.started_at,
        endedAt: c.ended_at,
        endReason: c.end_reason,
        needsHuman: c.needs_human === 1,
        followUpStatus: c.follow_up_status,
        resolvedAt: c.resolved_at,
        timeZone: safeTimeZone(c.settings),
        visitorTexts,
        answers: answers.map((a) => ({ questionId: a.question_id, answered: a.answered === 1, answeredAt: a.answered_at })),
      };
    },
    /** write (or replace) one conversation's facts, its day in `timeZone` */
    write(row: FactRow, timeZone: string): Promise<void> {
      return sql.tx(() => writeRows(row, timeZone));
    },
    /** the site's time zone from its settings ('UTC' when unset or the site is gone) */
    async timeZoneOf(siteId: string): Promise<string> {
      const s = await sql.get<{ settings: string }>('SELECT settings FROM sites WHERE id = ?', [siteId]);
      return s === undefined ? 'UTC' : safeTimeZone(s.settings);
    },
    /** re-date a site's facts after its time zone changed; returns rows changed (0 when current) */
    restampDays(siteId: string, timeZone: string): Promise<number> {
      return sql.tx(async () => {
        const rows = await sql.all<StoredFact>('SELECT * FROM insight_facts WHERE site_id = ? AND tz <> ?', [siteId, timeZone]);
        for (const f of rows) {
          const [terms, expectations, answers] = await Promise.all([
            sql.all<{ kind: 'topic' | 'phrase'; name: string }>('SELECT kind, name FROM insight_terms WHERE conversation_id = ?', [f.conversation_id]),
            sql.all<{ kind: string; status: string; text: string }>(
              'SELECT kind, status, text FROM insight_expectations WHERE conversation_id = ? ORDER BY idx',
              [f.conversation_id],
            ),
            sql.all<{ question_id: string; answered: number; last: number }>(
              'SELECT question_id, answered, last FROM insight_answers WHERE conversation_id = ?',
              [f.conversation_id],
            ),
          ]);
          await writeRows(
            {
              conversationId: f.conversation_id,
              siteId: f.site_id,
              flowId: f.flow_id === '' ? null : f.flow_id,
              source: f.source,
              lang: f.lang,
              startedAt: f.started_at,
              completed: f.completed === 1,
              nps: f.nps,
              csat: f.csat,
              ces: f.ces,
              sentiment: f.sentiment,
              sentimentLabel: f.sentiment_label,
              followUp: f.follow_up === 1,
              urgency: f.urgency,
              openedAt: f.opened_at,
              followUpStatus: f.follow_up_status,
              resolvedAt: f.resolved_at,
              quote: f.quote,
              terms,
              expectations,
              answers: answers.map((a) => ({ questionId: a.question_id, answered: a.answered === 1, last: a.last === 1 })),
            },
            timeZone,
          );
        }
        return rows.length;
      });
    },
    /** history (demo seed, tests): a follow-up marked done at a past moment */
    async resolveFollowUpAt(conversationId: string, at: number): Promise<void> {
      await sql.run('UPDATE conversations SET follow_up_status = ? WHERE id = ?', ['done', conversationId]);
      await sql.run('UPDATE insight_resolutions SET resolved_at = ? WHERE conversation_id = ?', [at, conversationId]);
    },
    /** extractions without facts (written before insights existed, or by a CLI without the hook) */
    async extractionsWithoutFacts(limit: number): Promise<{ id: string; data: string }[]> {
      return sql.all<{ id: string; data: string }>(
        `SELECT e.conversation_id AS id, e.data FROM extractions e
         WHERE NOT EXISTS (SELECT 1 FROM insight_facts f WHERE f.conversation_id = e.conversation_id) LIMIT ?`,
        [limit],
      );
    },
  };
}
export type InsightFactsStore = ReturnType<typeof insightFactsStore>;
