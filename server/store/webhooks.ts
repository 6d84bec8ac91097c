/**
 * Outbound webhook endpoints and their deliveries. Deliveries form chains (one per endpoint and
 * conversation): only the oldest pending delivery of a chain is sent, so events arrive in order.
 */
import type { Asyncify } from './async.ts';
import { z } from 'zod';
import { WebhookEvent, WebhookFormat, type WebhookDelivery, type WebhookEndpoint } from '../../shared/respond.ts';
import type { Db } from './db.ts';
import { uuidv7 } from './ids.ts';

interface EndpointRow {
  id: string;
  site_id: string;
  name: string;
  url: string;
  secret: string;
  events: string;
  format: string;
  enabled: number;
  disabled_reason: string | null;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
}

interface DeliveryRow {
  id: number;
  endpoint_id: string;
  chain: string;
  event: string;
  event_key: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** an endpoint with its signing secret (server side only) */
export interface EndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

const Events = z.array(WebhookEvent).catch([]);

function parseEvents(json: string): WebhookEvent[] {
  try {
    return Events.parse(JSON.parse(json));
  } catch {
    return [];
  }
}

const toEndpoint = (r: EndpointRow): EndpointWithSecret => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  url: r.url,
  secret: r.secret,
  events: parseEvents(r.events),
  format: WebhookFormat.catch('json').parse(r.format),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface StoredDelivery extends WebhookDelivery {
  chain: string;
  body: string;
}

const toDelivery = (r: DeliveryRow): StoredDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  chain: r.chain,
  event: r.event === 'test' ? 'test' : WebhookEvent.catch('rule.fired').parse(r.event),
  conversationId: r.chain.startsWith('test:') ? null : r.chain,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

export function webhooksStore(db: Db) {
  const ofSite = db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE site_id = ? ORDER BY created_at');
  const byId = db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO webhook_endpoints (id, site_id, name, url, secret, events, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(`UPDATE webhook_endpoints SET name = ?, url = ?, events = ?, format = ?, updated_at = ? WHERE id = ?`);
  const enable = db.prepare(
    `UPDATE webhook_endpoints SET enabled = 1, disabled_reason = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = ? WHERE id = ?`,
  );
  const disable = db.prepare(`UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?`);
  const remove = db.prepare('DELETE FROM webhook_endpoints WHERE id = ?');
  const failed = db.prepare<[number, number, string], { consecutive_failures: number; failing_since: number }>(
    `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ?), updated_at = ?
     WHERE id = ? RETURNING consecutive_failures, failing_since`,
  );
  const succeeded = db.prepare('UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ?');

  const insertDelivery = db.prepare<[string, string, string, string, string, number], { id: number }>(
    `INSERT INTO webhook_deliveries (endpoint_id, chain, event, event_key, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (endpoint_id, event_key) DO NOTHING RETURNING id`,
  );
  const deliveryById = db.prepare<[number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?');
  const chainHead = db.prepare<[string, string], DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND chain = ? AND status = 'pending' ORDER BY id LIMIT 1`,
  );
  const heads = db.prepare<[string], DeliveryRow>(
    `SELECT * FROM webhook_deliveries d WHERE endpoint_id = ? AND status = 'pending'
       AND id = (SELECT min(id) FROM webhook_deliveries x WHERE x.endpoint_id = d.endpoint_id AND x.chain = d.chain AND x.status = 'pending')`,
  );
  const attempt = db.prepare('UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ? WHERE id = ?');
  const delivered = db.prepare(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending'`);
  const setBody = db.prepare('UPDATE webhook_deliveries SET body = ? WHERE id = ?');
  const log = db.prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?');

  return {
    list: (siteId: string): EndpointWithSecret[] => ofSite.all(siteId).map(toEndpoint),
    get(id: string): EndpointWithSecret | null {
      const r = byId.get(id);
      return r ? toEndpoint(r) : null;
    },
    create(input: { siteId: string; name: string; url: string; secret: string; events: WebhookEvent[]; format: WebhookFormat }, now = Date.now()): EndpointWithSecret {
      const id = uuidv7(now);
      insert.run(id, input.siteId, input.name, input.url, input.secret, JSON.stringify(input.events), input.format, now, now);
      return toEndpoint(byId.get(id)!);
    },
    update(id: string, input: { name: string; url: string; events: WebhookEvent[]; format: WebhookFormat }, now = Date.now()): void {
      update.run(input.name, input.url, JSON.stringify(input.events), input.format, now, id);
    },
    enable: (id: string, now = Date.now()) => void enable.run(now, id),
    disable: (id: string, reason: string, now = Date.now()) => void disable.run(reason, now, id),
    remove: (id: string): boolean => remove.run(id).changes > 0,
    /** count one more failure in a row; returns the count and when the streak began */
    recordFailure(id: string, now = Date.now()): { failures: number; since: number } {
      const r = failed.get(now, now, id);
      return { failures: r?.consecutive_failures ?? 0, since: r?.failing_since ?? now };
    },
    recordSuccess: (id: string) => void succeeded.run(id),

    /** record an event for an endpoint once (per event key); returns the delivery id, or null when already recorded */
    addDelivery(d: { endpointId: string; chain: string; event: string; eventKey: string; body: string }, now = Date.now()): number | null {
      return insertDelivery.get(d.endpointId, d.chain, d.event, d.eventKey, d.body, now)?.id ?? null;
    },
    setBody: (id: number, body: string) => void setBody.run(body, id),
    delivery(id: number): StoredDelivery | null {
      const r = deliveryById.get(id);
      return r ? toDelivery(r) : null;
    },
    /** the oldest pending delivery of a chain: the only one that may be sent now */
    chainHead(endpointId: string, chain: string): StoredDelivery | null {
      const r = chainHead.get(endpointId, chain);
      return r ? toDelivery(r) : null;
    },
    /** the head of every chain of the endpoint that still has pending deliveries */
    pendingHeads: (endpointId: string): StoredDelivery[] => heads.all(endpointId).map(toDelivery),
    recordAttempt: (id: number, status: number | null, error: string | null) => void attempt.run(status, error?.slice(0, 500) ?? null, id),
    markDelivered: (id: number, now = Date.now()): boolean => delivered.run(now, id).changes > 0,
    log: (endpointId: string, limit = 100): StoredDelivery[] => log.all(endpointId, limit).map(toDelivery),
  };
}
export type WebhooksStore = Asyncify<ReturnType<typeof webhooksStore>>;
