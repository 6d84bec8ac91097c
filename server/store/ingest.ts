/**
 * The ingest part's own records: uploaded imports (file, mapping, progress, failed rows), RSS/Atom
 * feeds (conditional-GET validators, failures, schedule), the per-site inbound webhook, and a few
 * settings (e.g. whether feed URLs may point at private addresses).
 */
import type { Asyncify } from './async.ts';
import { z } from 'zod';
import type { FeedView, ImportRowError, ImportView, WebhookMapping } from '../../shared/feedback.ts';
import { ColumnMapping, ImportRowError as RowErrorSchema, ImportStatus, WebhookMapping as WebhookMappingSchema } from '../../shared/feedback.ts';
import type { Db } from './db.ts';
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

export function ingestStore(db: Db) {
  const importById = db.prepare<[string], ImportRow>('SELECT * FROM ingest_imports WHERE id = ?');
  const importsBySite = db.prepare<[{ site: string | null }], ImportRow>(
    'SELECT * FROM ingest_imports WHERE (@site IS NULL OR site_id = @site) ORDER BY created_at DESC LIMIT 50',
  );
  const insertImport = db.prepare(
    `INSERT INTO ingest_imports (id, site_id, filename, format, delimiter, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const queueImport = db.prepare(
    `UPDATE ingest_imports SET mapping = ?, status = 'queued', updated_at = ? WHERE id = ? AND status = 'uploaded'`,
  );
  const setImportStatus = db.prepare('UPDATE ingest_imports SET status = ?, last_error = ?, updated_at = ? WHERE id = ?');
  const progress = db.prepare(
    `UPDATE ingest_imports SET total = @total, processed = @processed, created = @created, duplicates = @duplicates,
       failed = @failed, errors = @errors, updated_at = @now WHERE id = @id`,
  );
  const finishImport = db.prepare(`UPDATE ingest_imports SET status = 'done', content = NULL, updated_at = ? WHERE id = ?`);

  const feedById = db.prepare<[string], FeedRow>('SELECT * FROM ingest_feeds WHERE id = ?');
  const feedsBySite = db.prepare<[{ site: string | null }], FeedRow>('SELECT * FROM ingest_feeds WHERE (@site IS NULL OR site_id = @site) ORDER BY created_at');
  const insertFeed = db.prepare(
    `INSERT INTO ingest_feeds (id, site_id, name, url, keywords, interval_minutes, chain, next_poll_at, created_at)
     VALUES (@id, @siteId, @name, @url, @keywords, @intervalMinutes, @chain, @nextPollAt, @createdAt)`,
  );
  const updateFeed = db.prepare(
    `UPDATE ingest_feeds SET name = @name, url = @url, keywords = @keywords, interval_minutes = @intervalMinutes, enabled = @enabled,
       chain = @chain, next_poll_at = @nextPollAt, etag = @etag, last_modified = @lastModified WHERE id = @id`,
  );
  const feedSuccess = db.prepare(
    `UPDATE ingest_feeds SET etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified), failures = 0,
       last_polled_at = @now, last_success_at = @now, last_status = @status, next_poll_at = @nextPollAt,
       items_total = items_total + @added WHERE id = @id`,
  );
  const feedFailure = db.prepare(
    `UPDATE ingest_feeds SET failures = failures + 1, last_polled_at = @now, last_error = @error, last_error_at = @now,
       last_status = @status, next_poll_at = @nextPollAt WHERE id = @id`,
  );
  const deleteFeed = db.prepare('DELETE FROM ingest_feeds WHERE id = ?');

  const webhookBySite = db.prepare<[string], WebhookRow>('SELECT * FROM ingest_webhooks WHERE site_id = ?');
  const upsertWebhook = db.prepare(
    `INSERT INTO ingest_webhooks (site_id, secret, mapping, enabled, updated_at) VALUES (@siteId, @secret, @mapping, @enabled, @now)
     ON CONFLICT (site_id) DO UPDATE SET secret = excluded.secret, mapping = excluded.mapping, enabled = excluded.enabled, updated_at = excluded.updated_at`,
  );
  const webhookReceived = db.prepare(
    'UPDATE ingest_webhooks SET received = received + ?, last_error = ?, last_at = ? WHERE site_id = ?',
  );

  const getSetting = db.prepare<[string], string>('SELECT value FROM ingest_settings WHERE name = ?').pluck();
  const putSetting = db.prepare(
    'INSERT INTO ingest_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );

  const toWebhook = (r: WebhookRow): WebhookRecord | null => {
    const mapping = WebhookMappingSchema.safeParse(json(r.mapping));
    if (!mapping.success) return null;
    return { siteId: r.site_id, secret: r.secret, mapping: mapping.data, enabled: r.enabled === 1, received: r.received, lastError: r.last_error, lastAt: r.last_at };
  };

  return {
    imports: {
      create(input: { siteId: string; filename: string; format: 'csv' | 'json'; delimiter: string | null; content: string }, now = Date.now()): ImportView {
        const id = uuidv7(now);
        insertImport.run(id, input.siteId, input.filename, input.format, input.delimiter, input.content, now, now);
        return toImport(importById.get(id)!);
      },
      get(id: string): ImportView | null {
        const r = importById.get(id);
        return r ? toImport(r) : null;
      },
      /** the file and mapping a running import reads */
      work(id: string): { view: ImportView; content: string | null; mapping: ColumnMapping | null } | null {
        const r = importById.get(id);
        if (!r) return null;
        const mapping = r.mapping === null ? null : ColumnMapping.safeParse(json(r.mapping));
        return { view: toImport(r), content: r.content, mapping: mapping?.success ? mapping.data : null };
      },
      list(siteId: string | null): ImportView[] {
        return importsBySite.all({ site: siteId }).map(toImport);
      },
      /** uploaded -> queued with its mapping; false when it was started already */
      queue(id: string, mapping: ColumnMapping, now = Date.now()): boolean {
        return queueImport.run(JSON.stringify(mapping), now, id).changes === 1;
      },
      setStatus(id: string, status: 'running' | 'failed', lastError: string | null = null, now = Date.now()): void {
        setImportStatus.run(status, lastError, now, id);
      },
      progress(id: string, p: ImportProgress, now = Date.now()): void {
        progress.run({ id, now, total: p.total, processed: p.processed, created: p.created, duplicates: p.duplicates, failed: p.failed, errors: JSON.stringify(p.errors) });
      },
      /** done: the file is dropped, the counts and failed rows stay */
      finish(id: string, now = Date.now()): void {
        finishImport.run(now, id);
      },
    },
    feeds: {
      create(input: { siteId: string; name: string; url: string; keywords: string[]; intervalMinutes: number; chain: string }, now = Date.now()): FeedRecord {
        const id = uuidv7(now);
        insertFeed.run({ id, ...input, keywords: JSON.stringify(input.keywords), nextPollAt: now, createdAt: now });
        return toFeed(feedById.get(id)!);
      },
      get(id: string): FeedRecord | null {
        const r = feedById.get(id);
        return r ? toFeed(r) : null;
      },
      list(siteId: string | null): FeedRecord[] {
        return feedsBySite.all({ site: siteId }).map(toFeed);
      },
      /** settings; a changed URL forgets the validators of the old one */
      update(feed: FeedRecord): void {
        updateFeed.run({
          id: feed.id,
          name: feed.name,
          url: feed.url,
          keywords: JSON.stringify(feed.keywords),
          intervalMinutes: feed.intervalMinutes,
          enabled: feed.enabled ? 1 : 0,
          chain: feed.chain,
          nextPollAt: feed.nextPollAt,
          etag: feed.etag,
          lastModified: feed.lastModified,
        });
      },
      success(id: string, r: { etag: string | null; lastModified: string | null; status: number; added: number; nextPollAt: number | null }, now = Date.now()): void {
        feedSuccess.run({ id, now, etag: r.etag, lastModified: r.lastModified, status: r.status, added: r.added, nextPollAt: r.nextPollAt });
      },
      failure(id: string, r: { error: string; status: number | null; nextPollAt: number | null }, now = Date.now()): void {
        feedFailure.run({ id, now, error: r.error.slice(0, 500), status: r.status, nextPollAt: r.nextPollAt });
      },
      remove(id: string): boolean {
        return deleteFeed.run(id).changes === 1;
      },
    },
    webhooks: {
      get(siteId: string): WebhookRecord | null {
        const r = webhookBySite.get(siteId);
        return r ? toWebhook(r) : null;
      },
      save(input: { siteId: string; secret: string; mapping: WebhookMapping; enabled: boolean }, now = Date.now()): WebhookRecord {
        upsertWebhook.run({ siteId: input.siteId, secret: input.secret, mapping: JSON.stringify(input.mapping), enabled: input.enabled ? 1 : 0, now });
        return toWebhook(webhookBySite.get(input.siteId)!)!;
      },
      received(siteId: string, count: number, error: string | null, now = Date.now()): void {
        webhookReceived.run(count, error === null ? null : error.slice(0, 500), now, siteId);
      },
    },
    settings: {
      get(name: string): string | null {
        return getSetting.get(name) ?? null;
      },
      set(name: string, value: string): void {
        putSetting.run(name, value);
      },
    },
  };
}
export type IngestStore = Asyncify<ReturnType<typeof ingestStore>>;
