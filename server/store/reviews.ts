import type { ConversationFilters, ConversationSummary, FollowUpStatus, VisitorInfo } from '../../shared/admin-api.ts';
import { EndReason as EndReasonSchema } from '../../shared/conversation.ts';
import type { Extraction } from '../../shared/extraction.ts';
import { Extraction as ExtractionSchema, NpsCategory, SentimentLabel } from '../../shared/extraction.ts';
import type { Sql, SqlValue } from './sql.ts';
import { toVisitor, type VisitorRow } from './visitors.ts';

/** The list filters plus the sites the caller may see (teams); not a query parameter. */
export type ScopedFilters = ConversationFilters & { siteIds?: readonly string[] };

/** Position in the newest-first list: the last row of the previous page. */
export interface Keyset {
  startedAt: number;
  id: string;
}

interface SummaryRow {
  id: string;
  site_id: string;
  visitor_id: string | null;
  flow_id: string | null;
  source: string;
  status: 'open' | 'ended';
  mode: 'bot' | 'human';
  agent_name: string | null;
  page_url: string | null;
  needs_human: number;
  follow_up_status: FollowUpStatus;
  follow_up_assignee: string | null;
  assignee_name: string | null;
  last_seq: number;
  started_at: number;
  last_activity_at: number;
  ended_at: number | null;
  end_reason: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  extraction: string | null;
  follow_up_needed: number | null;
  preview: string | null;
  tags: string | null;
}

type Dialect = Sql['dialect'];

// The main rating of a conversation: its NPS if it has one, else its first rating.
const MAIN_RATING_SQLITE = `coalesce(
  (SELECT json_extract(r.value, '$.value') FROM json_each(e.data, '$.ratings') r WHERE json_extract(r.value, '$.type') = 'nps' LIMIT 1),
  json_extract(e.data, '$.ratings[0].value'))`;
const MAIN_RATING_PG = `CAST(COALESCE(
  (SELECT r.value ->> 'value' FROM jsonb_array_elements(CAST(e.data AS jsonb) -> 'ratings') AS r(value) WHERE r.value ->> 'type' = 'nps' LIMIT 1),
  CAST(e.data AS jsonb) -> 'ratings' -> 0 ->> 'value') AS DOUBLE PRECISION)`;

/** below this many matching messages a search starts from the hits; above, from the newest conversations */
const SEARCH_DRIVE_MAX = 2000;

const TAG_SEPARATOR = '\u001f';

const selectSummary = (dialect: Dialect): string => `
SELECT c.id, c.site_id, c.visitor_id, c.flow_id, c.source, c.status, c.mode, c.agent_name, c.page_url,
       c.needs_human, c.follow_up_status, c.follow_up_assignee, u.name AS assignee_name, c.last_seq,
       c.started_at, c.last_activity_at, c.ended_at, c.end_reason,
       -- feedback items have no visitor row: their author's name is on the message
       coalesce(v.name, (SELECT m.author_name FROM messages m WHERE m.conversation_id = c.id AND m.author = 'visitor' AND c.visitor_id IS NULL ORDER BY m.seq LIMIT 1)) AS visitor_name,
       v.email AS visitor_email, e.data AS extraction, e.follow_up_needed,
       (SELECT substr(m.text, 1, 160) FROM messages m WHERE m.conversation_id = c.id AND m.author = 'visitor' ORDER BY m.seq LIMIT 1) AS preview,
       (SELECT ${dialect === 'sqlite' ? 'group_concat' : 'string_agg'}(t.tag, '${TAG_SEPARATOR}') FROM conversation_tags t WHERE t.conversation_id = c.id) AS tags
FROM conversations c
LEFT JOIN visitors v ON v.id = c.visitor_id
LEFT JOIN extractions e ON e.conversation_id = c.id
LEFT JOIN users u ON u.id = c.follow_up_assignee`;

const SELECT_SUMMARY = selectSummary('sqlite');
const SELECT_SUMMARY_PG = selectSummary('postgres');
const summaryFor = (d: Dialect): string => (d === 'sqlite' ? SELECT_SUMMARY : SELECT_SUMMARY_PG);

function parseExtraction(json: string | null): Extraction | null {
  if (json === null) return null;
  try {
    const r = ExtractionSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function mainRating(x: Extraction | null): ConversationSummary['rating'] {
  const r = x?.ratings.find((k) => k.type === 'nps') ?? x?.ratings[0];
  return r ? { type: r.type, value: r.value, scaleMax: r.scaleMax } : null;
}

function toSummary(r: SummaryRow): ConversationSummary {
  const x = parseExtraction(r.extraction);
  return {
    id: r.id,
    siteId: r.site_id,
    flowId: r.flow_id,
    source: r.source,
    status: r.status,
    mode: r.mode,
    agentName: r.mode === 'human' ? r.agent_name : null,
    visitorId: r.visitor_id,
    visitorName: r.visitor_name,
    visitorEmail: r.visitor_email,
    pageUrl: r.page_url,
    needsHuman: r.needs_human === 1,
    startedAt: r.started_at,
    lastActivityAt: r.last_activity_at,
    endedAt: r.ended_at,
    endReason: EndReasonSchema.nullable().catch(null).parse(r.end_reason),
    messageCount: r.last_seq,
    preview: r.preview,
    rating: mainRating(x),
    npsCategory: x ? NpsCategory.nullable().catch(null).parse(x.npsCategory) : null,
    sentiment: x ? { label: SentimentLabel.parse(x.sentiment.label), score: x.sentiment.score } : null,
    topics: x ? x.topics.map((t) => t.name) : [],
    followUpNeeded: r.follow_up_needed === 1 || r.needs_human === 1,
    followUpStatus: r.follow_up_status,
    followUpAssignee: r.follow_up_assignee ? { id: r.follow_up_assignee, name: r.assignee_name ?? 'unknown' } : null,
    tags: r.tags ? r.tags.split(TAG_SEPARATOR).sort() : [],
  };
}

/** Words of a search box as an FTS5 query: every word must occur, each as a prefix. */
export function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(' ');
}

/** The same words as a PostgreSQL tsquery (every word, each as a prefix), for the GIN index on to_tsvector('parley_search', text). */
export function tsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words
    .slice(0, 12)
    .map((w) => `${w}:*`)
    .join(' & ');
}

/**
 * How a text search joins the list: `drive` starts from the FTS hits (few hits: collect, then
 * sort them), `probe` walks conversations newest first and asks each whether it has a hit (many
 * hits: the first page fills after a few rows). SQLite cannot tell which one a term needs.
 */
export type SearchMode = 'drive' | 'probe';

function whereClause(
  f: ScopedFilters,
  after: Keyset | null,
  search: SearchMode,
  dialect: Dialect,
): { sql: string; params: SqlValue[] } {
  const sqlite = dialect === 'sqlite';
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...p: SqlValue[]) => {
    parts.push(sql);
    params.push(...p);
  };
  const mainRating = sqlite ? MAIN_RATING_SQLITE : MAIN_RATING_PG;
  if (f.siteId !== undefined) add('c.site_id = ?', f.siteId);
  if (f.siteIds !== undefined) {
    if (f.siteIds.length === 0) add('1 = 0');
    else add(`c.site_id IN (${f.siteIds.map(() => '?').join(', ')})`, ...f.siteIds);
  }
  if (f.flowId !== undefined) add('c.flow_id = ?', f.flowId);
  if (f.from !== undefined) add('c.started_at >= ?', f.from);
  if (f.to !== undefined) add('c.started_at <= ?', f.to);
  if (f.ratingMin !== undefined) add(`${mainRating} >= ?`, f.ratingMin);
  if (f.ratingMax !== undefined) add(`${mainRating} <= ?`, f.ratingMax);
  // "+" keeps SQLite from driving the query off these low-cardinality indexes, which would sort
  // every matching row; walking conversations newest first fills a page after a few rows
  const plus = sqlite ? '+' : '';
  if (f.nps !== undefined) add(`${plus}e.nps_category = ?`, f.nps);
  if (f.sentiment !== undefined) add(`${plus}e.sentiment_label = ?`, f.sentiment);
  if (f.topic !== undefined) {
    if (sqlite) add(`EXISTS (SELECT 1 FROM json_each(e.data, '$.topics') t WHERE json_extract(t.value, '$.name') = ? COLLATE NOCASE)`, f.topic);
    else add(`EXISTS (SELECT 1 FROM jsonb_array_elements(CAST(e.data AS jsonb) -> 'topics') AS t(value) WHERE lower(t.value ->> 'name') = lower(?))`, f.topic);
  }
  if (f.followUpNeeded === true) add('(e.follow_up_needed = 1 OR c.needs_human = 1)');
  if (f.followUpNeeded === false) add('COALESCE(e.follow_up_needed, 0) = 0 AND c.needs_human = 0');
  if (f.followUpStatus !== undefined) add('c.follow_up_status = ?', f.followUpStatus);
  if (f.source !== undefined) add('c.source = ?', f.source);
  if (f.status !== undefined) add('c.status = ?', f.status);
  if (f.visitorId !== undefined) add('c.visitor_id = ?', f.visitorId);
  if (f.visitorEmail !== undefined) {
    if (sqlite) add('c.visitor_id IN (SELECT id FROM visitors WHERE email = ? COLLATE NOCASE)', f.visitorEmail);
    else add('c.visitor_id IN (SELECT id FROM visitors WHERE lower(email) = lower(?))', f.visitorEmail);
  }
  // tags are sparse: start from the tag index
  if (f.tag !== undefined) add('c.id IN (SELECT t.conversation_id FROM conversation_tags t WHERE t.tag = ?)', f.tag.toLowerCase());
  // the language insights found for the conversation (insight_facts, migration 006)
  if (f.lang !== undefined) add('c.id IN (SELECT i.conversation_id FROM insight_facts i WHERE i.lang = ?)', f.lang);
  if (f.q !== undefined) {
    const match = ftsQuery(f.q);
    if (match === null) add('1 = 0');
    else if (!sqlite)
      // 'parley_search' (pg migration 001) is 'simple' plus unaccent: it folds diacritics as FTS5 does
      add(
        "EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND to_tsvector('parley_search', m.text) @@ to_tsquery('parley_search', ?))",
        tsQuery(f.q) ?? '',
      );
    else if (search === 'drive')
      add('c.id IN (SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid WHERE messages_fts MATCH ?)', match);
    else
      add(
        'EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?))',
        match,
      );
  }
  if (after) add('(c.started_at < ? OR (c.started_at = ? AND c.id < ?))', after.startedAt, after.startedAt, after.id);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** the list statement (its last parameter, the limit, is not in `params`) */
export function listQuery(
  filters: ScopedFilters,
  after: Keyset | null,
  search: SearchMode = 'drive',
  dialect: Dialect = 'sqlite',
): { sql: string; params: SqlValue[] } {
  const where = whereClause(filters, after, search, dialect);
  return { sql: `${summaryFor(dialect)} ${where.sql} ORDER BY c.started_at DESC, c.id DESC LIMIT ?`, params: where.params };
}

/** Read side of the transcript review: filtered, keyset-paged lists and one conversation's extras. */
export function reviewsStore(sql: Sql) {
  const summary = summaryFor(sql.dialect);

  return {
    /** newest first; `after` is the last row of the previous page */
    async list(filters: ScopedFilters, after: Keyset | null, limit: number): Promise<ConversationSummary[]> {
      const match = filters.q === undefined ? null : ftsQuery(filters.q);
      let search: SearchMode = 'drive';
      if (match !== null && sql.dialect === 'sqlite') {
        // counting stops at the bound, so a common word costs no more than a rare one
        const hits = await sql.get<{ n: number }>(
          'SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?)',
          [match, SEARCH_DRIVE_MAX],
        );
        if ((hits?.n ?? 0) >= SEARCH_DRIVE_MAX) search = 'probe';
      }
      // filters combine freely, so the statement is built per call (the runner caches it by text)
      const q = listQuery(filters, after, search, sql.dialect);
      return (await sql.all<SummaryRow>(q.sql, [...q.params, limit])).map(toSummary);
    },
    async get(id: string): Promise<ConversationSummary | null> {
      const r = await sql.get<SummaryRow>(`${summary} WHERE c.id = ?`, [id]);
      return r ? toSummary(r) : null;
    },
    async openForSite(siteId: string, limit = 200): Promise<ConversationSummary[]> {
      const rows = await sql.all<SummaryRow>(
        `${summary} WHERE c.site_id = ? AND c.status = 'open' ORDER BY c.last_activity_at DESC LIMIT ?`,
        [siteId, limit],
      );
      return rows.map(toSummary);
    },
    async extraction(conversationId: string): Promise<Extraction | null> {
      const row = await sql.get<{ data: string }>('SELECT data FROM extractions WHERE conversation_id = ?', [conversationId]);
      return parseExtraction(row?.data ?? null);
    },
    async visitor(id: string): Promise<VisitorInfo | null> {
      const r = await sql.get<VisitorRow>('SELECT * FROM visitors WHERE id = ?', [id]);
      if (!r) return null;
      const { siteId: _site, ...info } = toVisitor(r);
      return info;
    },
    async setFollowUp(id: string, status: FollowUpStatus, assigneeId: string | null): Promise<boolean> {
      return (await sql.run('UPDATE conversations SET follow_up_status = ?, follow_up_assignee = ? WHERE id = ?', [status, assigneeId, id])).changes === 1;
    },
  };
}
export type ReviewsStore = ReturnType<typeof reviewsStore>;
