/**
 * Extraction records (one per conversation, replaced on re-analysis) and the reads extraction
 * needs: the transcript, typed answers, rating scales of the flow, the site's topic taxonomy.
 */
import type { Asyncify } from './async.ts';
import { z } from 'zod';
import { Extraction } from '../../shared/extraction.ts';
import { Flow } from '../../shared/flow.ts';
import { Author } from '../../shared/message.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { ExtractionInput } from '../analysis/extractor-types.ts';
import { answersStore } from './answers.ts';
import type { Db } from './db.ts';

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

export function extractionsStore(db: Db) {
  const conversation = db.prepare<[string], ConversationRow>(
    `SELECT c.id, c.needs_human, v.locale, s.settings, f.definition
     FROM conversations c JOIN sites s ON s.id = c.site_id
     LEFT JOIN visitors v ON v.id = c.visitor_id
     LEFT JOIN flows f ON f.site_id = c.site_id AND f.id = c.flow_id
     WHERE c.id = ?`,
  );
  const messages = db.prepare<[string], { id: number; author: string; text: string }>(
    'SELECT id, author, text FROM messages WHERE conversation_id = ? ORDER BY seq',
  );
  const answers = answersStore(db);
  const upsert = db.prepare(
    `INSERT INTO extractions (conversation_id, extractor, extractor_version, data, sentiment_label, sentiment_score, nps_category, follow_up_needed, created_at)
     VALUES (@conversationId, @extractor, @extractorVersion, @data, @sentimentLabel, @sentimentScore, @npsCategory, @followUpNeeded, @createdAt)
     ON CONFLICT (conversation_id) DO UPDATE SET
       extractor = excluded.extractor, extractor_version = excluded.extractor_version, data = excluded.data,
       sentiment_label = excluded.sentiment_label, sentiment_score = excluded.sentiment_score,
       nps_category = excluded.nps_category, follow_up_needed = excluded.follow_up_needed, created_at = excluded.created_at`,
  );
  const byId = db.prepare<[string], { data: string }>('SELECT data FROM extractions WHERE conversation_id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM extractions');
  const ended = db.prepare<[{ siteKey: string | null; since: number | null; until: number | null; staleFor: string | null }], { id: string }>(
    `SELECT c.id FROM conversations c JOIN sites s ON s.id = c.site_id
     LEFT JOIN extractions e ON e.conversation_id = c.id
     WHERE c.status = 'ended'
       AND (@siteKey IS NULL OR s.key = @siteKey)
       AND (@since IS NULL OR c.started_at >= @since)
       AND (@until IS NULL OR c.started_at < @until)
       AND (@staleFor IS NULL OR e.conversation_id IS NULL OR e.extractor_version <> @staleFor)
     ORDER BY c.started_at, c.id`,
  );

  return {
    /** what an extractor needs about one conversation; null when it does not exist */
    loadInput(conversationId: string): ExtractionInput | null {
      const c = conversation.get(conversationId);
      if (!c) return null;
      const settings = SiteSettings.safeParse(safeJson(c.settings));
      return {
        conversationId,
        messages: messages.all(conversationId).map((m) => ({ id: m.id, author: Author.parse(m.author), text: m.text })),
        answers: answers.list(conversationId),
        scales: scalesOf(c.definition),
        topics: settings.success ? settings.data.topics : [],
        needsHuman: c.needs_human === 1,
        // the visitor's browser locale, else the site's default widget language
        locale: c.locale ?? (settings.success ? settings.data.locale : null),
      };
    },
    /** write (or replace) the conversation's record; validated against the shared schema */
    save(extraction: z.input<typeof Extraction>): Extraction {
      const e = Extraction.parse(extraction);
      upsert.run({
        conversationId: e.conversationId,
        extractor: e.extractor,
        extractorVersion: e.extractorVersion,
        data: JSON.stringify(e),
        sentimentLabel: e.sentiment.label,
        sentimentScore: e.sentiment.score,
        npsCategory: e.npsCategory,
        followUpNeeded: e.followUp.needed ? 1 : 0,
        createdAt: e.createdAt,
      });
      return e;
    },
    get(conversationId: string): Extraction | null {
      const row = byId.get(conversationId);
      return row ? Extraction.parse(JSON.parse(row.data)) : null;
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
    /** ended conversations to (re-)analyse, oldest first */
    listEndedIds(filter: ExtractionFilter = {}): string[] {
      return ended
        .all({ siteKey: filter.siteKey ?? null, since: filter.since ?? null, until: filter.until ?? null, staleFor: filter.staleFor ?? null })
        .map((r) => r.id);
    },
  };
}
export type ExtractionsStore = Asyncify<ReturnType<typeof extractionsStore>>;
