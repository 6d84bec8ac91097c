/**
 * Admin uploads: the file is kept with the import, the admin maps columns onto item fields (a
 * preview of the first rows helps), then a durable `ingest_import` job takes the rows in chunks,
 * updating progress, and keeps the failed rows with their lines and reasons.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { ColumnMapping, ImportPreview, ImportRowError, ImportView } from '../../shared/feedback.ts';
import { FeedbackItemInput, INGEST_LIMITS } from '../../shared/feedback.ts';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { detectDelimiter, detectFormat, parseFile, type FileRow } from './file-parse.ts';
import type { IngestService, ItemDraft } from './items.ts';

export const IMPORT_JOB = 'ingest_import';
const ImportJobPayload = z.object({ importId: z.string().min(1) });
const CHUNK = 500;
const PREVIEW_ROWS = 5;

const GUESSES: [keyof ColumnMapping, RegExp][] = [
  ['text', /^(text|body|review|review[ _-]?text|comment|comments|content|feedback|message|description|answer)$/i],
  ['externalId', /^(id|review[ _-]?id|external[ _-]?id|guid|uid|response[ _-]?id)$/i],
  ['author', /^(author|name|user|user[ _-]?name|reviewer|customer|nickname)$/i],
  ['url', /^(url|link|permalink|review[ _-]?url)$/i],
  ['createdAt', /^(created[ _-]?at|date|time|timestamp|submitted[ _-]?at|review[ _-]?date|created|published)$/i],
  ['rating', /^(rating|stars|score|star[ _-]?rating|nps)$/i],
  ['language', /^(lang|language|locale)$/i],
];

export function suggestMapping(columns: string[]): Partial<ColumnMapping> {
  const out: Partial<Record<keyof ColumnMapping, string>> = {};
  for (const [field, re] of GUESSES) {
    const col = columns.find((c) => re.test(c.trim()));
    if (col !== undefined) out[field] = col;
  }
  return out as Partial<ColumnMapping>;
}

function epochOf(value: string): number | string {
  const v = value.trim();
  if (/^\d{9,13}$/.test(v)) return Number(v) < 1e11 ? Number(v) * 1000 : Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : t;
}

/** one row as an API item (validated by the same schema), or the reason it cannot be one */
export function rowToItem(row: FileRow, m: ColumnMapping): { ok: true; item: FeedbackItemInput } | { ok: false; reason: string } {
  const col = (name: string | undefined) => (name === undefined ? undefined : row.values.get(name)?.trim() || undefined);
  const text = col(m.text) ?? '';
  const author = col(m.author);
  const createdAt = col(m.createdAt);
  const rating = col(m.rating);
  const url = col(m.url);
  // no id column: the row's content, so importing the same file again changes nothing
  const externalId =
    col(m.externalId) ?? `row:${createHash('sha256').update(JSON.stringify([text, author ?? '', createdAt ?? '', url ?? ''])).digest('hex').slice(0, 32)}`;
  const raw = {
    source: m.source,
    externalId,
    text,
    author: author ?? null,
    url: url ?? null,
    ...(createdAt !== undefined ? { createdAt: epochOf(createdAt) } : {}),
    rating: rating === undefined ? null : Number(rating.replace(',', '.')),
    ratingType: m.ratingType,
    language: col(m.language) ?? null,
  };
  if (rating !== undefined && !Number.isFinite(raw.rating)) return { ok: false, reason: `rating: "${rating.slice(0, 20)}" is not a number` };
  const parsed = FeedbackItemInput.safeParse(raw);
  if (parsed.success) return { ok: true, item: parsed.data };
  const i = parsed.error.issues[0];
  const field = i?.path.map(String).join('.') ?? '';
  const reason = i ? `${field ? `${field}: ` : ''}${field === 'createdAt' ? `"${createdAt ?? ''}" is not a date` : i.message}` : 'invalid row';
  return { ok: false, reason };
}

export function createImportService(deps: { store: Store; items: IngestService; log: Logger; wake?: () => void }) {
  const { store } = deps;
  const imports = store.ingest.imports;

  async function mustGet(id: string): Promise<ImportView> {
    const v = await imports.get(id);
    if (!v) throw new AppError('not_found', 'No such import.');
    return v;
  }

  return {
    /** keep the file and answer what the mapping step shows */
    async upload(siteId: string, filename: string, body: Buffer): Promise<ImportPreview> {
      if (!(await store.sites.getById(siteId))) throw new AppError('not_found', 'No such site.');
      if (body.length === 0) throw new AppError('invalid_payload', 'The file is empty.');
      const text = body.toString('utf8');
      const format = detectFormat(filename, text);
      const delimiter = format === 'csv' ? detectDelimiter(text) : null;
      const parsed = parseFile(text, format, delimiter);
      if (parsed.columns.length === 0) throw new AppError('invalid_payload', format === 'csv' ? 'The file has no header row.' : 'The file holds no JSON records.');
      const view = await store.tx(async () => {
        const v = await imports.create({ siteId, filename, format, delimiter, content: text });
        await imports.progress(v.id, { total: parsed.rows.length + parsed.errors.length, processed: 0, created: 0, duplicates: 0, failed: 0, errors: [] });
        return v;
      });
      return {
        import: await mustGet(view.id),
        columns: parsed.columns,
        rows: parsed.rows.slice(0, PREVIEW_ROWS).map((r) => Object.fromEntries(parsed.columns.map((c) => [c, r.values.get(c) ?? '']))),
        suggested: suggestMapping(parsed.columns),
      };
    },
    /** the mapping is set: queue the background import (durable) */
    async start(id: string, mapping: ColumnMapping): Promise<ImportView> {
      const view = await mustGet(id);
      const work = await imports.work(id);
      const columns = work?.content ? parseFile(work.content.slice(0, 64 * 1024), view.format, view.delimiter).columns : [];
      for (const [field, col] of Object.entries(mapping)) {
        if (field === 'ratingType' || field === 'source' || typeof col !== 'string') continue;
        if (view.format === 'csv' && !columns.includes(col)) throw new AppError('invalid_payload', `mapping.${field}: the file has no column "${col}"`);
      }
      await store.tx(async () => {
        if (!(await imports.queue(id, mapping))) throw new AppError('conflict', 'This import was started already.');
        await store.jobs.enqueue(IMPORT_JOB, { importId: id }, { dedupeKey: `${IMPORT_JOB}:${id}` });
      });
      deps.wake?.();
      return mustGet(id);
    },
    get: mustGet,
    list(siteId: string | null): Promise<ImportView[]> {
      return imports.list(siteId);
    },
    /** the job: read the rows, take the good ones in chunks, report the bad ones */
    async handleJob(payload: unknown): Promise<void> {
      const p = ImportJobPayload.safeParse(payload);
      if (!p.success) throw new PermanentJobError('invalid ingest_import payload');
      const work = await imports.work(p.data.importId);
      if (!work || work.view.status === 'done') return;
      if (work.content === null || work.mapping === null) {
        await imports.setStatus(work.view.id, 'failed', 'the import has no file or no mapping');
        return;
      }
      const { view, mapping } = work;
      await imports.setStatus(view.id, 'running');
      try {
        const parsed = parseFile(work.content, view.format, view.delimiter);
        const errors: ImportRowError[] = [...parsed.errors];
        let failed = parsed.errors.length;
        let created = 0;
        let duplicates = 0;
        let processed = parsed.errors.length;
        const total = parsed.rows.length + parsed.errors.length;
        const keep = (e: ImportRowError) => {
          failed++;
          if (errors.length < INGEST_LIMITS.IMPORT_ERRORS_KEPT) errors.push(e);
        };
        for (let i = 0; i < parsed.rows.length; i += CHUNK) {
          const chunk = parsed.rows.slice(i, i + CHUNK);
          const drafts: ItemDraft[] = [];
          for (const row of chunk) {
            const r = rowToItem(row, mapping);
            if (!r.ok) keep({ line: row.line, reason: r.reason });
            else
              drafts.push({
                source: r.item.source,
                externalId: r.item.externalId,
                author: r.item.author ?? null,
                text: r.item.text,
                url: r.item.url ?? null,
                createdAt: r.item.createdAt ?? Date.now(),
                rating: r.item.rating === null || r.item.rating === undefined ? null : { type: r.item.ratingType, value: r.item.rating },
                metadata: { import: view.filename, line: row.line },
                language: r.item.language ?? null,
              });
          }
          // the chunk's items (dedupe check and insert) and its progress commit together
          await store.tx(async () => {
            for (const o of drafts.length ? await deps.items.ingestDrafts(view.siteId, 'import', drafts, { origin: `import:${view.id}` }) : []) {
              if (o.status === 'created') created++;
              else duplicates++;
            }
            processed += chunk.length;
            errors.sort((a, b) => a.line - b.line);
            await imports.progress(view.id, { total, processed, created, duplicates, failed, errors });
          });
          // let chats and progress reads through between chunks
          await new Promise((resolve) => setImmediate(resolve));
        }
        await imports.finish(view.id);
      } catch (err) {
        await imports.setStatus(view.id, 'failed', err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
  };
}
export type ImportService = ReturnType<typeof createImportService>;
