/** The /api/admin/ingest routes the ingest page calls, typed by shared/feedback.ts. */
import type { z } from 'zod';
import type { ColumnMapping, FeedCreateBody, FeedUpdateBody, FeedView, ImportPreview, ImportView, WebhookSaveBody, WebhookView } from '../../../shared/feedback.ts';
import type { Http } from '../api/http.ts';

const enc = encodeURIComponent;

export function createIngestApi(http: Http) {
  return {
    upload: (siteId: string, file: Blob, filename: string) => http.upload<ImportPreview>('/ingest/imports', { siteId, filename }, file),
    startImport: (id: string, mapping: z.input<typeof ColumnMapping>) =>
      http.post<{ import: ImportView }>(`/ingest/imports/${enc(id)}/start`, { mapping }),
    getImport: (id: string) => http.get<{ import: ImportView }>(`/ingest/imports/${enc(id)}`),
    listImports: (siteId: string) => http.get<{ imports: ImportView[] }>('/ingest/imports', { siteId }),
    listFeeds: (siteId: string) => http.get<{ feeds: FeedView[] }>('/ingest/feeds', { siteId }),
    createFeed: (body: z.input<typeof FeedCreateBody>) => http.post<{ feed: FeedView }>('/ingest/feeds', body),
    updateFeed: (id: string, body: z.input<typeof FeedUpdateBody>) => http.patch<{ feed: FeedView }>(`/ingest/feeds/${enc(id)}`, body),
    deleteFeed: (id: string) => http.del<object>(`/ingest/feeds/${enc(id)}`),
    pollFeed: (id: string) => http.post<{ feed: FeedView }>(`/ingest/feeds/${enc(id)}/poll`),
    getWebhook: (siteId: string) => http.get<{ webhook: WebhookView | null }>(`/ingest/webhook/${enc(siteId)}`),
    saveWebhook: (siteId: string, body: z.input<typeof WebhookSaveBody>) => http.put<{ webhook: WebhookView }>(`/ingest/webhook/${enc(siteId)}`, body),
  };
}
export type IngestApi = ReturnType<typeof createIngestApi>;
