/**
 * The generic inbound webhook: tools that can only POST send any JSON to
 * /api/v1/inbound/<siteKey>/<secret> (or to /api/v1/inbound/<siteKey> with
 * `X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>`); the site's
 * configured JSON paths turn it into one feedback item.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { WebhookMapping, WebhookSaveBody, WebhookView } from '../../shared/feedback.ts';
import type { IngestStore } from '../store/ingest.ts';
import type { SitesStore } from '../store/sites.ts';
import type { IngestService } from './items.ts';
import { readPath, scalarText } from './json-path.ts';

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!.toLowerCase(), 'hex'));
}

/** epoch seconds, epoch ms or an ISO string -> what FeedbackItemInput takes */
function instantOf(v: unknown): string | number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v < 1e11 ? v * 1000 : v);
  if (typeof v === 'string' && v.trim()) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : t;
  }
  return undefined;
}

function ratingOf(v: unknown): number | undefined | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.replace(',', '.'));
    return Number.isFinite(n) ? n : v;
  }
  return undefined;
}

/** the item the mapping makes of a posted body (validated afterwards by the shared schema) */
export function mapBody(mapping: WebhookMapping, body: unknown, raw: Buffer): Record<string, unknown> {
  const pick = (path: string | undefined) => (path === undefined ? undefined : readPath(body, path));
  const externalId = scalarText(pick(mapping.externalId));
  return {
    source: mapping.source,
    // no id configured or sent: the body's hash, so a retried delivery is a duplicate
    externalId: externalId ?? `sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`,
    text: scalarText(pick(mapping.text)) ?? '',
    author: scalarText(pick(mapping.author)) ?? null,
    url: scalarText(pick(mapping.url)) ?? null,
    rating: ratingOf(pick(mapping.rating)) ?? null,
    ratingType: mapping.ratingType,
    createdAt: instantOf(pick(mapping.createdAt)),
  };
}

export function createInboundService(deps: { sites: SitesStore; ingest: IngestStore; items: IngestService; publicPath?: string }) {
  const view = (siteKey: string, w: { siteId: string; secret: string; mapping: WebhookMapping; enabled: boolean; received: number; lastError: string | null; lastAt: number | null }): WebhookView => ({
    ...w,
    path: `/api/v1/inbound/${encodeURIComponent(siteKey)}/${w.secret}`,
  });

  return {
    async receive(input: { siteKey: string; secret: string | null; signature: string | null; body: Buffer }): Promise<{ status: 'created' | 'duplicate'; id: string }> {
      const site = await deps.sites.getByKey(input.siteKey);
      const hook = site ? await deps.ingest.webhooks.get(site.id) : null;
      const authorised =
        site !== null &&
        hook !== null &&
        hook.enabled &&
        (input.secret !== null ? sameSecret(input.secret, hook.secret) : input.signature !== null && signatureMatches(hook.secret, input.body, input.signature));
      if (!site || !hook || !authorised) throw new AppError('unauthorized', 'Unknown webhook, or a wrong secret or signature.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.body.toString('utf8'));
      } catch {
        await deps.ingest.webhooks.received(site.id, 0, 'the body is not JSON');
        throw new AppError('invalid_payload', 'The body is not valid JSON.');
      }
      const [result] = await deps.items.ingestRaw(site.id, 'webhook', [mapBody(hook.mapping, parsed, input.body)]);
      if (!result || result.status === 'error') {
        const message = result?.status === 'error' ? result.error.message : 'invalid item';
        await deps.ingest.webhooks.received(site.id, 0, message);
        throw new AppError('invalid_payload', `The mapped item is invalid: ${message}`, result?.status === 'error' ? { issues: result.error.issues } : {});
      }
      await deps.ingest.webhooks.received(site.id, 1, null);
      return { status: result.status, id: result.id };
    },
    /** the admin page's view (null until configured) */
    async get(siteId: string): Promise<WebhookView | null> {
      const site = await deps.sites.getById(siteId);
      if (!site) throw new AppError('not_found', 'No such site.');
      const hook = await deps.ingest.webhooks.get(siteId);
      return hook ? view(site.key, hook) : null;
    },
    async save(siteId: string, body: z.output<typeof WebhookSaveBody>): Promise<WebhookView> {
      const site = await deps.sites.getById(siteId);
      if (!site) throw new AppError('not_found', 'No such site.');
      const current = await deps.ingest.webhooks.get(siteId);
      const secret = !current || body.rotateSecret ? randomBytes(24).toString('base64url') : current.secret;
      return view(site.key, await deps.ingest.webhooks.save({ siteId, secret, mapping: body.mapping, enabled: body.enabled }));
    },
  };
}
export type InboundService = ReturnType<typeof createInboundService>;
