/**
 * Outbound webhooks: endpoints per site, events recorded once per endpoint (idempotency key),
 * delivered through the durable job queue (`webhook` jobs), in order per (endpoint, conversation)
 * chain: a delivery is only sent when it is the oldest pending one of its chain, and the next one
 * is enqueued when it has been delivered. A failed attempt schedules its own retry with backoff
 * (not the worker's few attempts), so a receiver down for hours still gets every event once.
 * After too many failures in a row the endpoint is switched off with the reason shown; switching
 * it on again resumes every chain where it stopped.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { WebhookCreateBody, WebhookUpdateBody } from '../../shared/respond.ts';
import { AppError } from '../../shared/errors.ts';
import type { WebhookCreated, WebhookDelivery, WebhookEndpoint, WebhookEvent } from '../../shared/respond.ts';
import { backoffDelay, type BackoffOptions } from '../jobs/backoff.ts';
import { PermanentJobError } from '../jobs/permanent-error.ts';
import type { Logger } from '../logger.ts';
import { assertPublicUrl, guardedLookup, UrlRefused } from '../net/url-guard.ts';
import type { Store } from '../store/index.ts';
import type { EndpointWithSecret, StoredDelivery } from '../store/webhooks.ts';
import { formatBody, type WebhookEnvelope } from './webhook-format.ts';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';

export const WEBHOOK_JOB = 'webhook';
const JobPayload = z.object({ deliveryId: z.number().int().positive() });

export interface WebhookServiceOptions {
  store: Store;
  log: Logger;
  /** the owner allows endpoints on private/loopback addresses (PARLEY_WEBHOOKS_ALLOW_PRIVATE) */
  allowPrivate?: boolean;
  /** delay before retrying a failed delivery: grows from baseMs to maxMs */
  retry?: BackoffOptions;
  /** failed attempts in a row after which the endpoint is switched off ... */
  maxConsecutiveFailures?: number;
  /** ... once it has also been failing for this long (many conversations retrying at once add up fast) */
  disableAfterMs?: number;
  timeoutMs?: number;
  /** the admin page's public URL, for links in Slack messages */
  publicUrl?: () => string | null;
  /** called after deliveries were enqueued (wakes the job worker) */
  onEnqueued?: () => void;
}

/** 10 s, 20 s, 40 s ... capped at 10 min: an hour-long outage is about a dozen attempts */
export const DEFAULT_WEBHOOK_RETRY: BackoffOptions = { baseMs: 10_000, maxMs: 10 * 60_000 };
export const DEFAULT_MAX_FAILURES = 100;
export const DEFAULT_DISABLE_AFTER_MS = 24 * 60 * 60_000;

export interface EmitInput {
  siteId: string;
  event: WebhookEvent;
  conversationId: string | null;
  /** the same key is recorded (and sent) once per endpoint */
  eventKey: string;
  data: Record<string, unknown>;
  /** send to this endpoint even when it does not subscribe to the event (a rule's "notify webhook") */
  endpointId?: string;
}

const publicView = ({ secret: _secret, ...e }: EndpointWithSecret): WebhookEndpoint => e;
const publicDelivery = ({ chain: _c, body: _b, ...d }: StoredDelivery): WebhookDelivery => d;

export function createWebhookService(opts: WebhookServiceOptions) {
  const { store, log } = opts;
  const hooks = store.respond.webhooks;
  const retry = opts.retry ?? DEFAULT_WEBHOOK_RETRY;
  const maxFailures = opts.maxConsecutiveFailures ?? DEFAULT_MAX_FAILURES;
  const disableAfterMs = opts.disableAfterMs ?? DEFAULT_DISABLE_AFTER_MS;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const guard = { allowPrivate: opts.allowPrivate === true };

  const enqueueJob = (deliveryId: number, attempt: number, runAt?: number): Promise<unknown> =>
    store.jobs.enqueue(WEBHOOK_JOB, { deliveryId }, { dedupeKey: `webhook:${deliveryId}:${attempt}`, ...(runAt !== undefined ? { runAt } : {}) });

  async function checkUrl(url: string): Promise<void> {
    try {
      await assertPublicUrl(url, guard);
    } catch (err) {
      if (err instanceof UrlRefused) throw new AppError('invalid_payload', `url: ${err.message}`, { issues: [{ path: 'url', message: err.message }] });
      throw err;
    }
  }

  async function mustGet(id: string): Promise<EndpointWithSecret> {
    const e = await hooks.get(id);
    if (!e) throw new AppError('not_found', 'No such webhook endpoint.');
    return e;
  }

  /** record one event for one endpoint; enqueue it when it heads its chain. Returns whether it was new. */
  function record(endpoint: EndpointWithSecret, e: EmitInput, now: number): Promise<boolean> {
    const chain = e.conversationId ?? `site:${e.siteId}`;
    const envelope: WebhookEnvelope = { id: '', event: e.event, createdAt: now, siteId: e.siteId, conversationId: e.conversationId, data: e.data };
    return store.tx(async () => {
      const id = await hooks.addDelivery({ endpointId: endpoint.id, chain, event: e.event, eventKey: e.eventKey, body: '' }, now);
      if (id === null) return false;
      // the body carries its own delivery id; written once and signed as is on every attempt
      await hooks.setBody(id, formatBody({ ...envelope, id: `${endpoint.id}:${id}` }, endpoint.format, opts.publicUrl?.() ?? null));
      if ((await hooks.chainHead(endpoint.id, chain))?.id === id) await enqueueJob(id, 0);
      return true;
    });
  }

  async function post(endpoint: EndpointWithSecret, body: string, deliveryId: number, event: string): Promise<{ status: number | null; error: string | null }> {
    try {
      await assertPublicUrl(endpoint.url, guard);
    } catch (err) {
      return { status: null, error: err instanceof Error ? err.message : String(err) };
    }
    const url = new URL(endpoint.url);
    const timestamp = Math.floor(Date.now() / 1000);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          lookup: guardedLookup(guard),
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Parley-Webhooks/1',
            'content-length': Buffer.byteLength(body),
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: sign(endpoint.secret, timestamp, body),
            'Parley-Event': event,
            'Parley-Delivery': `${endpoint.id}:${deliveryId}`,
          },
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve({ status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` });
          });
          res.on('error', (err) => resolve({ status: res.statusCode ?? null, error: err.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => resolve({ status: null, error: err.message }));
      req.end(body);
    });
  }

  /** the `webhook` job: send the delivery if it heads its chain; on success enqueue the next one */
  async function handleJob(payload: unknown): Promise<void> {
    const parsed = JobPayload.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('invalid webhook payload');
    const d = await hooks.delivery(parsed.data.deliveryId);
    if (!d || d.status !== 'pending') return;
    const endpoint = await hooks.get(d.endpointId);
    // switched off: the chain waits; enabling the endpoint enqueues its heads again
    if (!endpoint || !endpoint.enabled) return;
    // an earlier event of this conversation is still on its way: it enqueues this one when delivered
    if ((await hooks.chainHead(d.endpointId, d.chain))?.id !== d.id) return;

    const result = await post(endpoint, d.body, d.id, d.event);
    const after = Date.now();
    await store.tx(async () => {
      await hooks.recordAttempt(d.id, result.status, result.error);
      if (result.error === null) {
        await hooks.markDelivered(d.id, after);
        await hooks.recordSuccess(endpoint.id);
        const next = await hooks.chainHead(endpoint.id, d.chain);
        if (next) await enqueueJob(next.id, next.attempts);
        return;
      }
      const { failures, since } = await hooks.recordFailure(endpoint.id, after);
      if (failures >= maxFailures && after - since >= disableAfterMs) {
        const hours = Math.round((after - since) / 3_600_000);
        await hooks.disable(endpoint.id, `Switched off after ${failures} failed deliveries in a row${hours >= 1 ? ` over ${hours} h` : ''} (last: ${result.error}).`, after);
        return;
      }
      await enqueueJob(d.id, d.attempts + 1, after + backoffDelay(d.attempts + 1, retry));
    });
    if (result.error !== null) log.warn({ endpointId: endpoint.id, deliveryId: d.id, error: result.error }, 'webhook delivery failed; will retry');
    else opts.onEnqueued?.();
  }

  return {
    handleJob,
    list: async (siteId: string): Promise<WebhookEndpoint[]> => (await hooks.list(siteId)).map(publicView),
    get: async (id: string): Promise<WebhookEndpoint> => publicView(await mustGet(id)),
    async create(siteId: string, input: WebhookCreateBody): Promise<WebhookCreated> {
      const body = WebhookCreateBody.parse(input);
      if (!(await store.sites.getById(siteId))) throw new AppError('not_found', 'No such site.');
      await checkUrl(body.url);
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const e = await hooks.create({ siteId, name: body.name, url: body.url, secret, events: body.events, format: body.format });
      return { endpoint: publicView(e), secret };
    },
    async update(id: string, input: WebhookUpdateBody): Promise<WebhookEndpoint> {
      const body = WebhookUpdateBody.parse(input);
      const cur = await mustGet(id);
      if (body.url !== undefined) await checkUrl(body.url);
      await hooks.update(id, { name: body.name ?? cur.name, url: body.url ?? cur.url, events: body.events ?? cur.events, format: body.format ?? cur.format });
      if (body.enabled === false && cur.enabled) await hooks.disable(id, 'Switched off by an owner.');
      if (body.enabled === true && !cur.enabled) {
        await store.tx(async () => {
          await hooks.enable(id);
          for (const head of await hooks.pendingHeads(id)) await enqueueJob(head.id, head.attempts);
        });
        opts.onEnqueued?.();
      }
      return publicView(await mustGet(id));
    },
    async remove(id: string): Promise<void> {
      if (!(await hooks.remove(id))) throw new AppError('not_found', 'No such webhook endpoint.');
    },
    deliveries: async (id: string, limit = 100): Promise<WebhookDelivery[]> => {
      await mustGet(id);
      return (await hooks.log(id, limit)).map(publicDelivery);
    },
    /** the "send test" button: a `test` event through the same queue, signing and log */
    async sendTest(id: string): Promise<WebhookDelivery> {
      const endpoint = await mustGet(id);
      const now = Date.now();
      const key = `test:${now}:${randomBytes(4).toString('hex')}`;
      const chain = `test:${key}`;
      const deliveryId = await store.tx(async () => {
        const did = (await hooks.addDelivery({ endpointId: id, chain, event: 'test', eventKey: key, body: '' }, now))!;
        const envelope: WebhookEnvelope = { id: `${id}:${did}`, event: 'test', createdAt: now, siteId: endpoint.siteId, conversationId: null, data: { message: 'This is a test event from Parley.' } };
        await hooks.setBody(did, formatBody(envelope, endpoint.format, opts.publicUrl?.() ?? null));
        await enqueueJob(did, 0);
        return did;
      });
      opts.onEnqueued?.();
      return publicDelivery((await hooks.delivery(deliveryId))!);
    },
    /** record an event for every enabled endpoint of the site that subscribes to it (and the named one) */
    async emit(e: EmitInput): Promise<number> {
      const now = Date.now();
      let n = 0;
      for (const endpoint of await hooks.list(e.siteId)) {
        const wanted = endpoint.id === e.endpointId || endpoint.events.includes(e.event);
        // a disabled endpoint still records events: they wait and go out once it is enabled again
        if (wanted && (await record(endpoint, e, now))) n++;
      }
      if (n > 0) opts.onEnqueued?.();
      return n;
    },
  };
}
export type WebhookService = ReturnType<typeof createWebhookService>;
