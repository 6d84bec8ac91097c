/**
 * The insight fact tables: one row per analysed conversation with the figures the dashboard
 * counts, plus its topics/key phrases and expectations. Written after every extraction; writing
 * a conversation again replaces its rows, so re-analysis never counts it twice.
 */
import { localDay } from '../../shared/zoned-time.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { Db } from './db.ts';

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
  quote: string | null;
  terms: { kind: 'topic' | 'phrase'; name: string }[];
  expectations: { kind: string; status: string; text: string }[];
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
  timeZone: string;
  visitorTexts: string[];
}

function safeTimeZone(settingsJson: string): string {
  try {
    const s = SiteSettings.safeParse(JSON.parse(settingsJson));
    return s.success ? s.data.timeZone : 'UTC';
  } catch {
    return 'UTC';
  }
}

export function insightFactsStore(db: Db) {
  db.function('insight_local_day', { deterministic: true }, (ms: unknown, tz: unknown) => localDay(Number(ms), String(tz)));

  const context = db.prepare<[string], { site_id: string; flow_id: string | null; source: string; started_at: number; ended_at: number | null; end_reason: string | null; needs_human: number; settings: string }>(
    `SELECT c.site_id, c.flow_id, c.source, c.started_at, c.ended_at, c.end_reason, c.needs_human, s.settings
     FROM conversations c JOIN sites s ON s.id = c.site_id WHERE c.id = ?`,
  );
  const visitorTexts = db.prepare<[string], string>("SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' ORDER BY seq").pluck();
  const insertFact = db.prepare(
    `INSERT OR REPLACE INTO insight_facts (conversation_id, site_id, flow_id, source, lang, started_at, day, tz, completed, nps, csat, ces,
       sentiment, sentiment_label, follow_up, urgency, opened_at, quote)
     VALUES (@conversationId, @siteId, @flowId, @source, @lang, @startedAt, @day, @tz, @completed, @nps, @csat, @ces,
       @sentiment, @sentimentLabel, @followUp, @urgency, @openedAt, @quote)`,
  );
  const deleteTerms = db.prepare('DELETE FROM insight_terms WHERE conversation_id = ?');
  const insertTerm = db.prepare('INSERT OR IGNORE INTO insight_terms (conversation_id, kind, name) VALUES (?, ?, ?)');
  const deleteExpectations = db.prepare('DELETE FROM insight_expectations WHERE conversation_id = ?');
  const insertExpectation = db.prepare('INSERT INTO insight_expectations (conversation_id, idx, kind, status, text) VALUES (?, ?, ?, ?, ?)');
  const tzOfSite = db.prepare<[string], string>('SELECT settings FROM sites WHERE id = ?').pluck();
  const restamp = db.prepare(`UPDATE insight_facts SET day = insight_local_day(started_at, @tz), tz = @tz WHERE site_id = @siteId AND tz <> @tz`);
  const setFollowUp = db.prepare('UPDATE conversations SET follow_up_status = ? WHERE id = ?');
  const setResolvedAt = db.prepare('UPDATE insight_resolutions SET resolved_at = ? WHERE conversation_id = ?');
  const missing = db.prepare<[number], { id: string; data: string }>(
    `SELECT e.conversation_id AS id, e.data FROM extractions e
     WHERE NOT EXISTS (SELECT 1 FROM insight_facts f WHERE f.conversation_id = e.conversation_id) LIMIT ?`,
  );

  const write = db.transaction((row: FactRow, timeZone: string) => {
    insertFact.run({
      conversationId: row.conversationId,
      siteId: row.siteId,
      flowId: row.flowId,
      source: row.source,
      lang: row.lang,
      startedAt: row.startedAt,
      day: localDay(row.startedAt, timeZone),
      tz: timeZone,
      completed: row.completed ? 1 : 0,
      nps: row.nps,
      csat: row.csat,
      ces: row.ces,
      sentiment: row.sentiment,
      sentimentLabel: row.sentimentLabel,
      followUp: row.followUp ? 1 : 0,
      urgency: row.urgency,
      openedAt: row.openedAt,
      quote: row.quote,
    });
    deleteTerms.run(row.conversationId);
    for (const t of row.terms) insertTerm.run(row.conversationId, t.kind, t.name);
    deleteExpectations.run(row.conversationId);
    row.expectations.forEach((x, i) => insertExpectation.run(row.conversationId, i, x.kind, x.status, x.text));
  });

  return {
    /** the conversation's side of a fact row; null when it is gone */
    context(conversationId: string): FactContext | null {
      const c = context.get(conversationId);
      if (!c) return null;
      return {
        siteId: c.site_id,
        flowId: c.flow_id,
        source: c.source,
        startedAt: c.started_at,
        endedAt: c.ended_at,
        endReason: c.end_reason,
        needsHuman: c.needs_human === 1,
        timeZone: safeTimeZone(c.settings),
        visitorTexts: visitorTexts.all(conversationId),
      };
    },
    /** write (or replace) one conversation's facts, its day in `timeZone` */
    write(row: FactRow, timeZone: string): void {
      write(row, timeZone);
    },
    /** the site's time zone from its settings ('UTC' when unset or the site is gone) */
    timeZoneOf(siteId: string): string {
      const s = tzOfSite.get(siteId);
      return s === undefined ? 'UTC' : safeTimeZone(s);
    },
    /** re-date a site's facts after its time zone changed; returns rows changed (0 when current) */
    restampDays(siteId: string, timeZone: string): number {
      return restamp.run({ siteId, tz: timeZone }).changes;
    },
    /** history (demo seed, tests): a follow-up marked done at a past moment */
    resolveFollowUpAt(conversationId: string, at: number): void {
      setFollowUp.run('done', conversationId);
      setResolvedAt.run(at, conversationId);
    },
    /** extractions without facts (written before insights existed, or by a CLI without the hook) */
    extractionsWithoutFacts(limit: number): { id: string; data: string }[] {
      return missing.all(limit);
    },
  };
}
export type InsightFactsStore = ReturnType<typeof insightFactsStore>;
