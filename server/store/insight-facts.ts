/**
 * The insight fact tables: one row per analysed conversation with the figures the dashboard
 * counts, plus its topics/key phrases and expectations. Written after every extraction; writing
 * a conversation again replaces its rows, so re-analysis never counts it twice.
 */
import type { Asyncify } from './async.ts';
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

export function insightFactsStore(db: Db) {
  const context = db.prepare<
    [string],
    { site_id: string; flow_id: string | null; source: string; started_at: number; ended_at: number | null; end_reason: string | null; needs_human: number; follow_up_status: string; resolved_at: number | null; settings: string }
  >(
    `SELECT c.site_id, c.flow_id, c.source, c.started_at, c.ended_at, c.end_reason, c.needs_human, c.follow_up_status, r.resolved_at, s.settings
     FROM conversations c JOIN sites s ON s.id = c.site_id LEFT JOIN insight_resolutions r ON r.conversation_id = c.id WHERE c.id = ?`,
  );
  const answersOf = db.prepare<[string], { question_id: string; answered: number; answered_at: number }>(
    'SELECT question_id, value IS NOT NULL AS answered, answered_at FROM answers WHERE conversation_id = ?',
  );
  const deleteAnswers = db.prepare('DELETE FROM insight_answers WHERE conversation_id = ?');
  const insertAnswer = db.prepare(
    `INSERT OR IGNORE INTO insight_answers (site_id, day, conversation_id, question_id, flow_id, source, lang, answered, last)
     VALUES (@siteId, @day, @conversationId, @questionId, @flowId, @source, @lang, @answered, @last)`,
  );
  const storedAnswersOf = db.prepare<[string], { question_id: string; answered: number; last: number }>(
    'SELECT question_id, answered, last FROM insight_answers WHERE conversation_id = ?',
  );
  const visitorTexts = db.prepare<[string], string>("SELECT text FROM messages WHERE conversation_id = ? AND author = 'visitor' ORDER BY seq").pluck();
  const insertFact = db.prepare(
    `INSERT INTO insight_facts (site_id, day, conversation_id, flow_id, source, lang, started_at, tz, completed, nps, csat, ces,
       sentiment, sentiment_label, follow_up, urgency, opened_at, unmet_any, follow_up_status, resolved_at, quote)
     VALUES (@siteId, @day, @conversationId, @flowId, @source, @lang, @startedAt, @tz, @completed, @nps, @csat, @ces,
       @sentiment, @sentimentLabel, @followUp, @urgency, @openedAt, @unmetAny, @followUpStatus, @resolvedAt, @quote)`,
  );
  const deleteFact = db.prepare('DELETE FROM insight_facts WHERE conversation_id = ?');
  const deleteTerms = db.prepare('DELETE FROM insight_terms WHERE conversation_id = ?');
  const insertTerm = db.prepare(
    `INSERT OR IGNORE INTO insight_terms (site_id, day, conversation_id, kind, name, flow_id, source, lang, sentiment, started_at)
     VALUES (@siteId, @day, @conversationId, @kind, @name, @flowId, @source, @lang, @sentiment, @startedAt)`,
  );
  const deleteExpectations = db.prepare('DELETE FROM insight_expectations WHERE conversation_id = ?');
  const insertExpectation = db.prepare(
    `INSERT INTO insight_expectations (site_id, day, conversation_id, idx, kind, status, text, flow_id, source, lang, started_at)
     VALUES (@siteId, @day, @conversationId, @idx, @kind, @status, @text, @flowId, @source, @lang, @startedAt)`,
  );
  const tzOfSite = db.prepare<[string], string>('SELECT settings FROM sites WHERE id = ?').pluck();
  const staleRows = db.prepare<[string, string], StoredFact>('SELECT * FROM insight_facts WHERE site_id = ? AND tz <> ?');
  const termsOf = db.prepare<[string], { kind: 'topic' | 'phrase'; name: string }>('SELECT kind, name FROM insight_terms WHERE conversation_id = ?');
  const expectationsOf = db.prepare<[string], { kind: string; status: string; text: string }>(
    'SELECT kind, status, text FROM insight_expectations WHERE conversation_id = ? ORDER BY idx',
  );
  const setFollowUp = db.prepare('UPDATE conversations SET follow_up_status = ? WHERE id = ?');
  const setResolvedAt = db.prepare('UPDATE insight_resolutions SET resolved_at = ? WHERE conversation_id = ?');
  const missing = db.prepare<[number], { id: string; data: string }>(
    `SELECT e.conversation_id AS id, e.data FROM extractions e
     WHERE NOT EXISTS (SELECT 1 FROM insight_facts f WHERE f.conversation_id = e.conversation_id) LIMIT ?`,
  );

  // delete, then insert: the rollup triggers subtract the old contribution and add the new one
  const write = db.transaction((row: FactRow, timeZone: string) => {
    deleteFact.run(row.conversationId);
    deleteTerms.run(row.conversationId);
    deleteExpectations.run(row.conversationId);
    deleteAnswers.run(row.conversationId);
    const common = {
      siteId: row.siteId,
      day: localDay(row.startedAt, timeZone),
      conversationId: row.conversationId,
      flowId: row.flowId ?? '',
      source: row.source,
      lang: row.lang,
      startedAt: row.startedAt,
    };
    insertFact.run({
      ...common,
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
      unmetAny: row.expectations.some((x) => x.status === 'unmet') ? 1 : 0,
      followUpStatus: row.followUpStatus,
      resolvedAt: row.resolvedAt,
      quote: row.quote,
    });
    for (const t of row.terms) insertTerm.run({ ...common, kind: t.kind, name: t.name, sentiment: row.sentiment });
    row.expectations.forEach((x, idx) => insertExpectation.run({ ...common, idx, kind: x.kind, status: x.status, text: x.text }));
    if (row.flowId !== null) {
      for (const a of row.answers) insertAnswer.run({ ...common, questionId: a.questionId, answered: a.answered ? 1 : 0, last: a.last ? 1 : 0 });
    }
  });

  const restamp = db.transaction((siteId: string, timeZone: string): number => {
    const rows = staleRows.all(siteId, timeZone);
    for (const f of rows) {
      write(
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
          terms: termsOf.all(f.conversation_id),
          expectations: expectationsOf.all(f.conversation_id),
          answers: storedAnswersOf.all(f.conversation_id).map((a) => ({ questionId: a.question_id, answered: a.answered === 1, last: a.last === 1 })),
        },
        timeZone,
      );
    }
    return rows.length;
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
        followUpStatus: c.follow_up_status,
        resolvedAt: c.resolved_at,
        timeZone: safeTimeZone(c.settings),
        visitorTexts: visitorTexts.all(conversationId),
        answers: answersOf.all(conversationId).map((a) => ({ questionId: a.question_id, answered: a.answered === 1, answeredAt: a.answered_at })),
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
      return restamp(siteId, timeZone);
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
export type InsightFactsStore = Asyncify<ReturnType<typeof insightFactsStore>>;
