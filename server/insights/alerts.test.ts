import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createWebhookService } from '../respond/webhooks.ts';
import { EMERGING_ALERT_JOB } from './service.ts';
import { insightKit } from './test-kit.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T18:00:00Z');

describe('emerging-topic alert', () => {
  it('posts an insights.emerging event to the site webhooks that subscribe to it, once per day', async () => {
    let service: ReturnType<typeof createWebhookService> | null = null;
    const kit = await insightKit({
      now: NOW,
      webhooks: (store) => (service = createWebhookService({ store, log: createLogger('silent'), allowPrivate: true })),
    });
    const hooks = service!;
    const { endpoint } = await hooks.create(kit.siteId, { name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['insights.emerging'] });
    await hooks.create(kit.siteId, { name: 'other', url: 'http://127.0.0.1:9/other', events: ['rule.fired'] });
    // 35 days of steady traffic; in the last week "Payment & billing" jumps from rare to common
    const first = Date.parse('2026-05-27T09:00:00Z');
    for (let d = 0; d < 35; d++) {
      for (let i = 0; i < 10; i++) {
        const spike = d >= 28 ? i < 3 : i === 0 && d % 7 === 0;
        await kit.add({ startedAt: first + d * DAY + i * 600_000, topics: spike ? ['Payment & billing'] : ['Delivery'], visitor: [spike ? 'I was charged twice for one order!' : 'Parcel came on time, thanks.'] });
      }
    }
    const s = await kit.insights.setSchedule(kit.siteId, null, true, true);
    expect(s).toMatchObject({ email: null, webhook: true, emergingAlerts: true });
    const [job] = await kit.store.jobs.claim([EMERGING_ALERT_JOB], 10, 60_000, s.nextRunAt!);
    expect(job).toBeDefined();
    await kit.insights.handlers[EMERGING_ALERT_JOB]!(job!.payload, job!);
    await kit.insights.handlers[EMERGING_ALERT_JOB]!(job!.payload, job!);
    const rows = kit.db.prepare('SELECT endpoint_id, event, body FROM webhook_deliveries').all() as { endpoint_id: string; event: string; body: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpoint_id: endpoint.id, event: 'insights.emerging' });
    const body = JSON.parse(rows[0]!.body) as { data: { terms: { name: string; recent: number }[]; method: string } };
    expect(body.data.terms.map((t) => t.name)).toEqual(['Payment & billing']);
    expect(body.data.terms[0]!.recent).toBe(21);
    expect(body.data.method).toMatch(/Benjamini-Hochberg/);
  });
});
