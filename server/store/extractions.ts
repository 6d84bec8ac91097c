/**
 * Extraction records (one per conversation, replaced on re-analysis) and the reads extraction
 * needs: the transcript, typed answers, rating scales of the flow, the site's topic taxonomy.
 */
import { z } from 'zod';
import { Extraction } from '../../shared/extraction.ts';
import { Flow } from '../../shared/flow.ts';
import { Author } from '../../shared/message.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { ExtractionInput } from '../analysis/extractor-types.ts';
import { answersStore } from './answers.ts';
import type { Sql } from './sql.ts';

interface ConversationRow {
  id: string;
  needs_human: number;
  locale: string | null;
  settings: string;
  definition: string | null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Rating scales by question id; a flow that no longer parses just means default scales. */
function scalesOf(definition: string | null): Record<string, [number, number]> {
  const flow = definition === null ? null : Flow.safeParse(safeJson(definition));
  // question ids are owner-written words ("constructor" is a valid id): no prototype behind the lookups
  const scales = Object.create(null) as Record<string, [number, number]>;
  if (!flow?.success || flow.data.kind !== 'survey') return scales;
  for (const q of flow.data.questions) if (q.type === 'stars') scales[q.id] = [1, q.max];
  return scales;
}

export interface ExtractionFilter {
  siteKey?: string;
  /** conversations started at or after (epoch ms) */
  since?: number;
  until?: number;
  /** only conversations without an extraction, or with one from another extractor version */
  staleFor?: string;
}

export function extractionsStore(sql: Sql) {
  const answers = answersStore(sql);

  return {
    /** what an extractor needs about one conversation; null when it does not exist */
    async loadInput(conversationId: string): Promise<ExtractionInput | null> {
      const c = await sql.get<ConversationRow>(
        `SELECT c.id, c.needs_human, v.locale, s.settings, f.definition
         FROM conversations c JOIN sites s ON s.id = c.site_id
         LEFT JOIN visitors v ON v.id = c.visitor_id
         LEFT JOIN flows f ON f.site_id = c.site_id AND f.id = c.flow_id
         WHERE c.id = ?`,
        [conversationId],
      );
      if (!c) return null;
      const settings = SiteSettings.safeParse(safeJson(c.settings));
      const [messages, answered] = await Promise.all([
        sql.all<{ id: number; author: string; text: string }>('SELECT id, author, text FROM messages WHERE conversation_id = ? ORDER BY seq', [
          conversationId,
        ]),
        answers.list(conversationId),
      ]);
      return {
        conversationId,
        messages: messages.map((m) => ({ id: m.id, author: Author.parse(m.author), text: m.text })),
        answers: answered,
        scales: scalesOf(c.definition),
        topics: settings.success ? settings.data.topics : [],
        needsHuman: c.needs_human === 1,
        // the visitor's browser locale, else the site's default widget language
        locale: c.locale ?? (settings.success ? settings.data.locale : null),
      };
    },
    /** whether the conversation is open (again: a visitor's reply reopened it after an idle end) */
    async isOpen(conversationId: string): Promise<boolean> {
      const row = await sql.get<{ status: string }>('SELECT status FROM conversations WHERE id = ?', [conversationId]);
      return row?.status === 'open';
    },
    /** how many messages the conversation has now (an analysis compares it with what it read) */
    async messageCount(conversationId: string): Promise<number> {
      return Number((await sql.get<{ n: number | string }>('SELECT count(*) AS n FROM messages WHERE conversation_id = ?', [conversationId]))?.n ?? 0);
    },
    /** write (or replace) the conversation's record; validated against the shared schema */
    async save(extraction: z.input<typeof Extraction>): Promise<Extraction> {
      const e = Extraction.parse(extraction);
      await sql.run(
        `INSERT INTO extractions (conversation_id, extractor, extractor_version, data, sentiment_label, sentiment_score, nps_category, follow_up_needed, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET
           extractor = excluded.extractor, extractor_version = excluded.extractor_version, data = excluded.data,
           sentiment_label = excluded.sentiment_label, sentiment_score = excluded.sentiment_score,
           nps_category = excluded.nps_category, follow_up_needed = excluded.follow_up_needed, created_at = excluded.created_at`,
        [
          e.conversationId,
          e.extractor,
          e.extractorVersion,
          JSON.stringify(e),
          e.sentiment.label,
          e.sentiment.score,
          e.npsCategory,
          e.followUp.needed ? 1 : 0,
          e.createdAt,
        ],
      );
      return e;
    },
    async get(conversationId: string): Promise<Extraction | null> {
      const row = await sql.get<{ data: string }>('SELECT data FROM extractions WHERE conversation_id = ?', [conversationId]);
      return row ? Extraction.parse(JSON.parse(row.data)) : null;
    },
    async count(): Promise<number> {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM extractions'))?.n ?? 0;
    },
    /** ended conversations to (re-)analyse, oldest first */
    async listEndedIds(filter: ExtractionFilter = {}): Promise<string[]> {
      const where = ["c.status = 'ended'"];
      const params: (string | number)[] = [];
      if (filter.siteKey !== undefined) where.push('s.key = ?'), params.push(filter.siteKey);
      if (filter.since !== undefined) where.push('c.started_at >= ?'), params.push(filter.since);
      if (filter.until !== undefined) where.push('c.started_at < ?'), params.push(filter.until);
      if (filter.staleFor !== undefined) where.push('(e.conversation_id IS NULL OR e.extractor_version <> ?)'), params.push(filter.staleFor);
      const rows = await sql.all<{ id: string }>(
        `SELECT c.id FROM conversations c JOIN sites s ON s.id = c.site_id
         LEFT JOIN extractions e ON e.conversation_id = c.id
         WHERE ${where.join(' AND ')}
         ORDER BY c.started_at, c.id`,
        params,
      );
      return rows.map((r) => r.id);
    },
  };
}
export type ExtractionsStore = ReturnType<typeof extractionsStore>;
