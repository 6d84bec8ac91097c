import type { ConversationSummary } from '../../shared/admin-api.ts';
import type { Message } from '../../shared/message.ts';
import type { Store } from '../store/index.ts';
import type { ScopedFilters } from '../store/reviews.ts';

const PAGE = 200;

/**
 * Every conversation matching the filters, newest first, page by page. Each page is its own
 * short query, so a slow download never holds a read open on the database.
 */
export async function* exportRows(store: Store, filters: ScopedFilters): AsyncGenerator<{ summary: ConversationSummary; messages: Message[] }> {
  let after: { startedAt: number; id: string } | null = null;
  for (;;) {
    const page = await store.admin.reviews.list(filters, after, PAGE);
    for (const summary of page) yield { summary, messages: await store.messages.list(summary.id) };
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return;
    after = { startedAt: last.startedAt, id: last.id };
    // let other requests run between pages
    await new Promise((r) => setImmediate(r));
  }
}

export const CSV_COLUMNS = [
  'id', 'site_id', 'flow_id', 'source', 'status', 'started_at', 'ended_at', 'end_reason', 'visitor_id', 'visitor_name',
  'visitor_email', 'rating', 'nps_category', 'sentiment', 'sentiment_score', 'topics', 'follow_up_needed',
  'follow_up_status', 'tags', 'message_count', 'transcript',
] as const;

/**
 * One CSV field. Quotes per RFC 4180, and a leading = + - @ (or tab/CR) is prefixed with a quote
 * so a spreadsheet never runs visitor text as a formula.
 */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function csvRow(summary: ConversationSummary, messages: Message[]): string {
  const s = summary;
  const transcript = messages.map((m) => `${m.authorName ?? m.author}: ${m.text}`).join('\n');
  const cells = [
    s.id, s.siteId, s.flowId, s.source, s.status, iso(s.startedAt), iso(s.endedAt), s.endReason, s.visitorId, s.visitorName,
    s.visitorEmail, s.rating?.value, s.npsCategory, s.sentiment?.label, s.sentiment?.score, s.topics.join('; '),
    s.followUpNeeded, s.followUpStatus, s.tags.join('; '), s.messageCount, transcript,
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The export as chunks of text: CSV with a header row, or one JSON array. */
export async function* exportChunks(store: Store, filters: ScopedFilters, format: 'csv' | 'json'): AsyncGenerator<string> {
  if (format === 'csv') {
    // a BOM so spreadsheet programs read UTF-8
    yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    for await (const { summary, messages } of exportRows(store, filters)) yield csvRow(summary, messages);
    return;
  }
  yield '[';
  let first = true;
  for await (const { summary, messages } of exportRows(store, filters)) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify({ ...summary, messages })}`;
    first = false;
  }
  yield '\n]\n';
}
