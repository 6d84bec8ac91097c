/**
 * The ingest part's own records: uploaded imports (file, mapping, progress, failed rows), RSS/Atom
 * feeds (conditional-GET validators, failures, schedule), the per-site inbound webhook, and a few
 * settings (e.g. whether feed URLs may point at private addresses).
 */
import { z } from 'zod';
import type { FeedView, ImportRowError, ImportView, WebhookMapping } from '../../shared/feedback.ts';
import { ColumnMapping, ImportRowError as RowErrorSchema, ImportStatus, WebhookMapping as WebhookMappingSchema } from '../../shared/feedback.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

interface ImportRow {
  id: string;
  site_id: string;
  filename: string;
  format: 'csv' | 'json';
  delimiter: string | null;
  content: string | null;
  mapping: string | null;
  status: string;
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  failed: number;
  errors: string;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

interface FeedRow {
  id: string;
  site_id: string;
  name: string;
  url: string;
  keywords: string;
  interval_minutes: number;
  enabled: number;
  chain: string;
  etag: string | null;
  last_modified: string | null;
  failures: number;
  last_polled_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  last_status: number | null;
  next_poll_at: number | null;
  items_total: number;
  created_at: number;
}

interface WebhookRow {
  site_id: string;
  secret: string;
  mapping: string;
  enabled: number;
  received: number;
  last_error: string | null;
  last_at: number | null;
  updated_at: number;
}

function json(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const RowErrors = z.array(RowErrorSchema).catch([]);
const Strings = z.array(z.string()).catch([]);

const toImport = (r: ImportRow): ImportView => ({
  id: r.id,
  siteId: r.site_id,
  filename: r.filename,
  format: r.format,
  delimiter: r.delimiter,
  status: ImportStatus.catch('failed').parse(r.status),
  total: r.total,
  processed: r.processed,
  created: r.created,
  duplicates: r.duplicates,
  failed: r.failed,
  errors: RowErrors.parse(json(r.errors)),
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** a feed as the poller needs it: the view plus its validators and chain */
export interface FeedRecord extends FeedView {
  chain: string;
  etag: string | null;
  lastModified: string | null;
}

const toFeed = (r: FeedRow): FeedRecord => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  url: r.url,
  keywords: Strings.parse(json(r.keywords)),
  intervalMinutes: r.interval_minutes,
  enabled: r.enabled === 1,
  failures: r.failures,
  lastPolledAt: r.last_polled_at,
  lastSuccessAt: r.last_success_at,
  lastError: r.last_error,
  lastErrorAt: r.last_error_at,
  lastStatus: r.last_status,
  nextPollAt: r.next_poll_at,
  itemsTotal: r.items_total,
  createdAt: r.created_at,
  chain: r.chain,
  etag: r.etag,
  lastModified: r.last_modified,
});

export interface WebhookRecord {
  siteId: string;
  secret: string;
  mapping: WebhookMapping;
  enabled: boolean;
  received: number;
  lastError: string | null;
  lastAt: number | null;
}

export interface ImportProgress {
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  failed: number;
  errors: ImportRowError[];
}

export function ingestStore(sql: Sql) {
  const importById = (id: string) => sql.get<ImportRow>('SELECT * FROM ingest_imports WHERE id = ?', [id]);
  const feedById = (id: string) => sql.get<FeedRow>('SELECT * FROM ingest_feeds WHERE id = ?', [id]);
  const webhookBySite = (siteId: string) => sql.get<WebhookRow>('SELECT * FROM ingest_webhooks WHERE site_id = ?', [siteId]);

  const toWebhook = (r: WebhookRow): WebhookRecord | null => {
    const mapping = WebhookMappingSchema.safeParse(json(r.mapping));
    if (!mapping.success) return null;
    return { siteId: r.site_id, secret: r.secret, mapping: mapping.data, enabled: r.enabled === 1, received: r.received, lastError: r.last_error, lastAt: r.last_at };
  };

  return {
    imports: {
      async create(
        input: { siteId: string; filename: string; format: 'csv' | 'json'; delimiter: string | null; content: string },
        now = Date.now(),
      ): Promise<ImportView> {
        const id = uuidv7(now);
        await sql.run(
          `INSERT INTO ingest_imports (id, site_id, filename, format, delimiter, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, input.siteId, input.filename, input.format, input.delimiter, input.content, now, now],
        );
        return toImport((await importById(id))!);
      },
      async get(id: string): Promise<ImportView | null> {
        const r = await importById(id);
        return r ? toImport(r) : null;
      },
      /** the file and mapping a running import reads */
      async work(id: string): Promise<{ view: ImportView; content: string | null; mapping: ColumnMapping | null } | null> {
        const r = await importById(id);
        if (!r) return null;
        const mapping = r.mapping === null ? null : ColumnMapping.safeParse(json(r.mapping));
        return { view: toImport(r), content: r.content, mapping: mapping?.success ? mapping.data : null };
      },
      async list(siteId: string | null): Promise<ImportView[]> {
        const rows =
          siteId === null
            ? await sql.all<ImportRow>('SELECT * FROM ingest_imports ORDER BY created_at DESC LIMIT 50')
            : await sql.all<ImportRow>('SELECT * FROM ingest_imports WHERE site_id = ? ORDER BY created_at DESC LIMIT 50', [siteId]);
        return rows.map(toImport);
      },
      /** uploaded -> queued with its mapping; false when it was started already */
      async queue(id: string, mapping: ColumnMapping, now = Date.now()): Promise<boolean> {
        const r = await sql.run(`UPDATE ingest_imports SET mapping = ?, status = 'queued', updated_at = ? WHERE id = ? AND status = 'uploaded'`, [
          JSON.stringify(mapping),
          now,
          id,
        ]);
        return r.changes === 1;
      },
      async setStatus(id: string, status: 'running' | 'failed', lastError: string | null = null, now = Date.now()): Promise<void> {
        await sql.run('UPDATE ingest_imports SET status = ?, last_error = ?, updated_at = ? WHERE id = ?', [status, lastError, now, id]);
      },
      async progress(id: string, p: ImportProgress, now = Date.now()): Promise<void> {
        await sql.run(
          `UPDATE ingest_imports SET total = ?, processed = ?, created = ?, duplicates = ?, failed = ?, errors = ?, updated_at = ? WHERE id = ?`,
          [p.total, p.processed, p.created, p.duplicates, p.failed, JSON.stringify(p.errors), now, id],
        );
      },
      /** done: the file is dropped, the counts and failed rows stay */
      async finish(id: string, now = Date.now()): Promise<void> {
        await sql.run(`UPDATE ingest_imports SET status = 'done', content = NULL, updated_at = ? WHERE id = ?`, [now, id]);
      },
    },
    feeds: {
      async create(
        input: { siteId: string; name: string; url: string; keywords: string[]; intervalMinutes: number; chain: string },
        now = Date.now(),
      ): Promise<FeedRecord> {
        const id = uuidv7(now);
        await sql.run(
          `INSERT INTO ingest_feeds (id, site_id, name, url, keywords, interval_minutes, chain, next_poll_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, input.siteId, input.name, input.url, JSON.stringify(input.keywords), input.intervalMinutes, input.chain, now, now],
        );
        return toFeed((await feedById(id))!);
      },
      async get(id: string): Promise<FeedRecord | null> {
        const r = await feedById(id);
        return r ? toFeed(r) : null;
      },
      async list(siteId: string | null): Promise<FeedRecord[]> {
        const rows =
          siteId === null
            ? await sql.all<FeedRow>('SELECT * FROM ingest_feeds ORDER BY created_at')
            : await sql.all<FeedRow>('SELECT * FROM ingest_feeds WHERE site_id = ? ORDER BY created_at', [siteId]);
        return rows.map(toFeed);
      },
      /** settings; a changed URL forgets the validators of the old one */
      async update(feed: FeedRecord): Promise<void> {
        await sql.run(
          `UPDATE ingest_feeds SET name = ?, url = ?, keywords = ?, interval_minutes = ?, enabled = ?,
             chain = ?, next_poll_at = ?, etag = ?, last_modified = ? WHERE id = ?`,
          [
            feed.name,
            feed.url,
            JSON.stringify(feed.keywords),
            feed.intervalMinutes,
            feed.enabled ? 1 : 0,
            feed.chain,
            feed.nextPollAt,
            feed.etag,
            feed.lastModified,
            feed.id,
          ],
        );
      },
      async success(
        id: string,
        r: { etag: string | null; lastModified: string | null; status: number; added: number; nextPollAt: number | null },
        now = Date.now(),
      ): Promise<void> {
        await sql.run(
          `UPDATE ingest_feeds SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), failures = 0,
             last_polled_at = ?, last_success_at = ?, last_status = ?, next_poll_at = ?,
             items_total = items_total + ? WHERE id = ?`,
          [r.etag, r.lastModified, now, now, r.status, r.nextPollAt, r.added, id],
        );
      },
      async failure(id: string, r: { error: string; status: number | null; nextPollAt: number | null }, now = Date.now()): Promise<void> {
        await sql.run(
          `UPDATE ingest_feeds SET failures = failures + 1, last_polled_at = ?, last_error = ?, last_error_at = ?,
             last_status = ?, next_poll_at = ? WHERE id = ?`,
          [now, r.error.slice(0, 500), now, r.status, r.nextPollAt, id],
        );
      },
      async remove(id: string): Promise<boolean> {
        return (await sql.run('DELETE FROM ingest_feeds WHERE id = ?', [id])).changes === 1;
      },
    },
    webhooks: {
      async get(siteId: string): Promise<WebhookRecord | null> {
        const r = await webhookBySite(siteId);
        return r ? toWebhook(r) : null;
      },
      async save(input: { siteId: string; secret: string; mapping: WebhookMapping; enabled: boolean }, now = Date.now()): Promise<WebhookRecord> {
        await sql.run(
          `INSERT INTO ingest_webhooks (site_id, secret, mapping, enabled, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (site_id) DO UPDATE SET secret = excluded.secret, mapping = excluded.mapping, enabled = excluded.enabled, updated_at = excluded.updated_at`,
          [input.siteId, input.secret, JSON.stringify(input.mapping), input.enabled ? 1 : 0, now],
        );
        return toWebhook((await webhookBySite(input.siteId))!)!;
      },
      async received(siteId: string, count: number, error: string | null, now = Date.now()): Promise<void> {
        await sql.run('UPDATE ingest_webhooks SET received = received + ?, last_error = ?, last_at = ? WHERE site_id = ?', [
          count,
          error === null ? null : error.slice(0, 500),
          now,
          siteId,
        ]);
      },
    },
    settings: {
      async get(name: string): Promise<string | null> {
        return (await sql.get<{ value: string }>('SELECT value FROM ingest_settings WHERE name = ?', [name]))?.value ?? null;
      },
      async set(name: string, value: string): Promise<void> {
        await sql.run('INSERT INTO ingest_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
      },
    },
  };
}
export type IngestStore = ReturnType<typeof ingestStore>;
