/**
 * Outbound webhook endpoints and their deliveries. Deliveries form chains (one per endpoint and
 * conversation): only the oldest pending delivery of a chain is sent, so events arrive in order.
 */
import { z } from 'zod';
import { WebhookEvent, WebhookFormat, type WebhookDelivery, type WebhookEndpoint } from '../../shared/respond.ts';
import type { Sql } from './sql.ts';
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

export function webhooksStore(sql: Sql) {
  const byId = (id: string) => sql.get<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?', [id]);

  return {
    list: async (siteId: string): Promise<EndpointWithSecret[]> =>
      (await sql.all<EndpointRow>('SELECT * FROM webhook_endpoints WHERE site_id = ? ORDER BY created_at', [siteId])).map(toEndpoint),
    async get(id: string): Promise<EndpointWithSecret | null> {
      const r = await byId(id);
      return r ? toEndpoint(r) : null;
    },
    async create(
      input: { siteId: string; name: string; url: string; secret: string; events: WebhookEvent[]; format: WebhookFormat },
      now = Date.now(),
    ): Promise<EndpointWithSecret> {
      const id = uuidv7(now);
      await sql.run(
        `INSERT INTO webhook_endpoints (id, site_id, name, url, secret, events, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, input.siteId, input.name, input.url, input.secret, JSON.stringify(input.events), input.format, now, now],
      );
      return toEndpoint((await byId(id))!);
    },
    async update(id: string, input: { name: string; url: string; events: WebhookEvent[]; format: WebhookFormat }, now = Date.now()): Promise<void> {
      await sql.run(`UPDATE webhook_endpoints SET name = ?, url = ?, events = ?, format = ?, updated_at = ? WHERE id = ?`, [
        input.name,
        input.url,
        JSON.stringify(input.events),
        input.format,
        now,
        id,
      ]);
    },
    enable: async (id: string, now = Date.now()): Promise<void> => {
      await sql.run(
        `UPDATE webhook_endpoints SET enabled = 1, disabled_reason = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = ? WHERE id = ?`,
        [now, id],
      );
    },
    disable: async (id: string, reason: string, now = Date.now()): Promise<void> => {
      await sql.run(`UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?`, [reason, now, id]);
    },
    remove: async (id: string): Promise<boolean> => (await sql.run('DELETE FROM webhook_endpoints WHERE id = ?', [id])).changes > 0,
    /** count one more failure in a row; returns the count and when the streak began */
    async recordFailure(id: string, now = Date.now()): Promise<{ failures: number; since: number }> {
      const r = await sql.get<{ consecutive_failures: number; failing_since: number }>(
        `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, ?), updated_at = ?
         WHERE id = ? RETURNING consecutive_failures, failing_since`,
        [now, now, id],
      );
      return { failures: r?.consecutive_failures ?? 0, since: r?.failing_since ?? now };
    },
    recordSuccess: async (id: string): Promise<void> => {
      await sql.run('UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ?', [id]);
    },

    /** record an event for an endpoint once (per event key); returns the delivery id, or null when already recorded */
    async addDelivery(d: { endpointId: string; chain: string; event: string; eventKey: string; body: string }, now = Date.now()): Promise<number | null> {
      const r = await sql.get<{ id: number }>(
        `INSERT INTO webhook_deliveries (endpoint_id, chain, event, event_key, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (endpoint_id, event_key) DO NOTHING RETURNING id`,
        [d.endpointId, d.chain, d.event, d.eventKey, d.body, now],
      );
      return r?.id ?? null;
    },
    setBody: async (id: number, body: string): Promise<void> => {
      await sql.run('UPDATE webhook_deliveries SET body = ? WHERE id = ?', [body, id]);
    },
    async delivery(id: number): Promise<StoredDelivery | null> {
      const r = await sql.get<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?', [id]);
      return r ? toDelivery(r) : null;
    },
    /** the oldest pending delivery of a chain: the only one that may be sent now */
    async chainHead(endpointId: string, chain: string): Promise<StoredDelivery | null> {
      const r = await sql.get<DeliveryRow>(
        `SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND chain = ? AND status = 'pending' ORDER BY id LIMIT 1`,
        [endpointId, chain],
      );
      return r ? toDelivery(r) : null;
    },
    /** the head of every chain of the endpoint that still has pending deliveries */
    pendingHeads: async (endpointId: string): Promise<StoredDelivery[]> =>
      (
        await sql.all<DeliveryRow>(
          `SELECT * FROM webhook_deliveries d WHERE endpoint_id = ? AND status = 'pending'
             AND id = (SELECT min(id) FROM webhook_deliveries x WHERE x.endpoint_id = d.endpoint_id AND x.chain = d.chain AND x.status = 'pending')`,
          [endpointId],
        )
      ).map(toDelivery),
    recordAttempt: async (id: number, status: number | null, error: string | null): Promise<void> => {
      await sql.run('UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ? WHERE id = ?', [
        status,
        error?.slice(0, 500) ?? null,
        id,
      ]);
    },
    markDelivered: async (id: number, now = Date.now()): Promise<boolean> =>
      (await sql.run(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending'`, [now, id])).changes > 0,
    log: async (endpointId: string, limit = 100): Promise<StoredDelivery[]> =>
      (await sql.all<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?', [endpointId, limit])).map(
        toDelivery,
      ),
  };
}
export type WebhooksStore = ReturnType<typeof webhooksStore>;
