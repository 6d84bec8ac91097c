/**
 * Feedback items: each is a conversation (source = channel, status ended) with one visitor
 * message, an optional rating answer, and a feedback_items row with what only items have. Writing
 * one enqueues its extraction in the same transaction, exactly like ending a conversation.
 */
import { Extraction } from '../../shared/extraction.ts';
import type { FeedbackChannel, FeedbackItem, FeedbackRatingType } from '../../shared/feedback.ts';
import { FeedbackChannel as ChannelSchema, FeedbackRatingType as RatingTypeSchema } from '../../shared/feedback.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';
import { jobsStore } from './jobs.ts';

export interface NewFeedbackItem {
  siteId: string;
  channel: FeedbackChannel;
  source: string;
  externalId: string;
  author: string | null;
  text: string;
  url: string | null;
  /** when the customer wrote it (epoch ms) */
  createdAt: number;
  language: string | null;
  rating: { type: FeedbackRatingType; value: number } | null;
  metadata: Record<string, unknown>;
  /** import:<id>, feed:<id>, or null */
  origin: string | null;
}

export type InsertOutcome = { status: 'created' | 'duplicate'; id: string };

export interface FeedbackListFilter {
  source?: string;
  channel?: FeedbackChannel;
  /** ingested at or after (epoch ms) */
  since?: number;
  /** the last id of the previous page */
  after?: string;
  limit: number;
}

interface ItemRow {
  conversation_id: string;
  channel: string;
  source: string;
  external_id: string;
  author: string | null;
  url: string | null;
  language: string | null;
  rating_type: string | null;
  rating_value: number | null;
  metadata: string;
  created_at: number;
  ingested_at: number;
  text: string | null;
  extraction: string | null;
}

const SELECT_ITEM = `
SELECT f.conversation_id, f.channel, f.source, f.external_id, f.author, f.url, f.language, f.rating_type, f.rating_value,
       f.metadata, f.created_at, f.ingested_at,
       (SELECT m.text FROM messages m WHERE m.conversation_id = f.conversation_id AND m.author = 'visitor' ORDER BY m.seq LIMIT 1) AS text,
       e.data AS extraction
FROM feedback_items f LEFT JOIN extractions e ON e.conversation_id = f.conversation_id`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toItem(r: ItemRow): FeedbackItem {
  const meta = parseJson(r.metadata);
  const extraction = r.extraction === null ? null : Extraction.safeParse(parseJson(r.extraction));
  const ratingType = RatingTypeSchema.safeParse(r.rating_type);
  return {
    id: r.conversation_id,
    channel: ChannelSchema.catch('api').parse(r.channel),
    source: r.source,
    externalId: r.external_id,
    author: r.author,
    text: r.text ?? '',
    url: r.url,
    language: r.language,
    rating: ratingType.success && r.rating_value !== null ? { type: ratingType.data, value: r.rating_value } : null,
    metadata: meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {},
    createdAt: new Date(r.created_at).toISOString(),
    ingestedAt: new Date(r.ingested_at).toISOString(),
    status: extraction?.success ? 'analysed' : 'pending',
    extraction: extraction?.success ? extraction.data : null,
  };
}

/** the next id after `id` in the same order (its last 48 bits plus one) */
function after(id: string): string {
  const head = id.slice(0, 24);
  const tail = (BigInt(`0x${id.slice(24)}`) + 1n) & 0xffffffffffffn;
  return head + tail.toString(16).padStart(12, '0');
}

export function feedbackStore(sql: Sql) {
  // ids are time-ordered and, within one process, strictly increasing: items of one batch list in
  // the order they were sent (uuidv7 alone orders ids of the same millisecond at random)
  let lastId = '';
  const nextId = (now: number): string => {
    const id = uuidv7(now);
    lastId = id > lastId ? id : after(lastId);
    return lastId;
  };
  const jobs = jobsStore(sql);

  async function insertOne(item: NewFeedbackItem, now: number): Promise<InsertOutcome> {
    const dup = await sql.get<{ conversation_id: string }>(
      'SELECT conversation_id FROM feedback_items WHERE site_id = ? AND source = ? AND external_id = ?',
      [item.siteId, item.source, item.externalId],
    );
    if (dup !== undefined) return { status: 'duplicate', id: dup.conversation_id };
    const id = nextId(now);
    await sql.run(
      `INSERT INTO conversations (id, site_id, visitor_id, flow_id, source, status, page_url, last_seq, started_at, last_activity_at, ended_at, end_reason)
       VALUES (?, ?, NULL, NULL, ?, 'ended', ?, 1, ?, ?, ?, 'completed')`,
      [id, item.siteId, item.channel, item.url, item.createdAt, item.createdAt, item.createdAt],
    );
    const message = await sql.get<{ id: number }>(
      `INSERT INTO messages (conversation_id, seq, client_id, author, author_name, text, created_at) VALUES (?, 1, NULL, 'visitor', ?, ?, ?) RETURNING id`,
      [id, item.author, item.text, item.createdAt],
    );
    // the full-text index is written beside the row (no trigger since migration 011; see messages.ts)
    // (PostgreSQL: the GIN index on to_tsvector('parley_search', text) follows the row by itself)
    if (sql.dialect === 'sqlite') await sql.run('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)', [message!.id, item.text]);
    if (item.rating) {
      await sql.run(
        `INSERT INTO answers (conversation_id, question_id, type, value, raw, elaborations, answered_at) VALUES (?, 'rating', ?, ?, ?, '[]', ?)`,
        [id, item.rating.type, JSON.stringify(item.rating.value), String(item.rating.value), item.createdAt],
      );
    }
    await sql.run(
      `INSERT INTO feedback_items (conversation_id, site_id, channel, source, external_id, author, url, language, rating_type, rating_value, metadata, origin, created_at, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        item.siteId,
        item.channel,
        item.source,
        item.externalId,
        item.author,
        item.url,
        item.language,
        item.rating?.type ?? null,
        item.rating?.value ?? null,
        JSON.stringify(item.metadata),
        item.origin,
        item.createdAt,
        now,
      ],
    );
    await jobs.enqueue('extract', { conversationId: id }, { dedupeKey: `extract:${id}` });
    return { status: 'created', id };
  }

  return {
    /** all items in one transaction, in order; a repeat (also within the same call) is a duplicate */
    insertMany(items: NewFeedbackItem[], now = Date.now()): Promise<InsertOutcome[]> {
      return sql.tx(async () => {
        const out: InsertOutcome[] = [];
        for (const i of items) out.push(await insertOne(i, now));
        return out;
      });
    },
    /** the item of this site, with its extraction once analysed */
    async get(siteId: string, id: string): Promise<FeedbackItem | null> {
      const r = await sql.get<ItemRow>(`${SELECT_ITEM} WHERE f.site_id = ? AND f.conversation_id = ?`, [siteId, id]);
      return r ? toItem(r) : null;
    },
    /** oldest first by ingest order (ids are time-ordered); page after `after` */
    async list(siteId: string, f: FeedbackListFilter): Promise<FeedbackItem[]> {
      const where = ['f.site_id = ?'];
      const params: (string | number)[] = [siteId];
      if (f.source !== undefined) (where.push('f.source = ?'), params.push(f.source));
      if (f.channel !== undefined) (where.push('f.channel = ?'), params.push(f.channel));
      if (f.since !== undefined) (where.push('f.ingested_at >= ?'), params.push(f.since));
      if (f.after !== undefined) (where.push('f.conversation_id > ?'), params.push(f.after));
      const text = `${SELECT_ITEM} WHERE ${where.join(' AND ')} ORDER BY f.conversation_id LIMIT ?`;
      return (await sql.all<ItemRow>(text, [...params, f.limit])).map(toItem);
    },
    async count(siteId: string): Promise<number> {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM feedback_items WHERE site_id = ?', [siteId]))?.n ?? 0;
    },
  };
}
export type FeedbackStore = ReturnType<typeof feedbackStore>;
