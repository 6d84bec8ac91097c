import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { createJobWorker } from '../jobs/worker.ts';
import { createLogger } from '../logger.ts';
import { openDb, type Db } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import { verify } from './signature.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';
import { createWebhookService, WEBHOOK_JOB, type WebhookServiceOptions } from './webhooks.ts';

const log = createLogger('silent');
const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(path: string, overrides: Partial<WebhookServiceOptions> = {}) {
  const db: Db = openDb(path);
  const store: Store = createStore(db);
  const site = await store.sites.getByKey('acme') ?? await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [], identitySecret: 'secret-1234' });
  const svc = createWebhookService({ store, log, allowPrivate: true, retry: { baseMs: 10, maxMs: 40 }, ...overrides });
  const worker = createJobWorker({ jobs: store.jobs, handlers: { [WEBHOOK_JOB]: svc.handleJob }, log, pollMs: 5, concurrency: 2 });
  return { db, store, site, svc, worker };
}

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-webhooks-'));
  dirs.push(dir);
  return join(dir, 'parley.db');
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

const events = (r: Receiver, status = 200) =>
  r.received.filter((x) => x.status === status).map((x) => JSON.parse(x.body) as { id: string; event: string; conversationId: string | null; data: { n?: number } });

describe('webhooks', () => {
  it('signs each delivery with HMAC-SHA256 over timestamp.body, which a receiver verifies with the secret', async () => {
    const r = await receiver();
    const { svc, site, worker, db } = await open(':memory:');
    cleanups.push(() => void db.close());
    const { endpoint, secret } = await svc.create(site.id, { name: 'ops', url: r.url, events: ['conversation.ended'], format: 'json' });
    expect(await svc.emit({ siteId: site.id, event: 'conversation.ended', conversationId: 'c1', eventKey: 'ended:c1', data: { reason: 'completed' } })).toBe(1);
    await worker.drain();

    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    const ts = String(got.headers['parley-timestamp']);
    const sig = String(got.headers['parley-signature']);
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify(secret, sig, ts, got.body)).toBe(true);
    expect(verify('whsec_wrong', sig, ts, got.body)).toBe(false);
    expect(verify(secret, sig, ts, got.body.replace('completed', 'abandoned'))).toBe(false);
    expect(JSON.parse(got.body)).toMatchObject({ event: 'conversation.ended', conversationId: 'c1', siteId: site.id, data: { reason: 'completed' } });
    expect((await svc.deliveries(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('a receiver answering 500 then 200 gets every event exactly once, in order per conversation', async () => {
    const r = await receiver();
    r.respond((n) => (n < 3 ? 500 : 200));
    const { svc, site, worker, db } = await open(':memory:');
    cleanups.push(() => void db.close());
    const { endpoint } = await svc.create(site.id, { name: 'ops', url: r.url, events: ['conversation.ended', 'conversation.analysed', 'rule.fired'] });
    for (let n = 1; n <= 4; n++) {
      await svc.emit({ siteId: site.id, event: n === 1 ? 'conversation.ended' : 'conversation.analysed', conversationId: 'c1', eventKey: `c1:${n}`, data: { n } });
      await svc.emit({ siteId: site.id, event: 'rule.fired', conversationId: 'c2', eventKey: `c2:${n}`, data: { n } });
    }
    // the same event again (a retried extraction step) is recorded once
    expect(await svc.emit({ siteId: site.id, event: 'rule.fired', conversationId: 'c2', eventKey: 'c2:1', data: { n: 1 } })).toBe(0);
    await worker.drain();

    const ok = events(r);
    expect(ok).toHaveLength(8);
    expect(new Set(ok.map((e) => e.id)).size).toBe(8);
    expect(ok.filter((e) => e.conversationId === 'c1').map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
    expect(ok.filter((e) => e.conversationId === 'c2').map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
    expect(r.received.filter((x) => x.status === 500)).toHaveLength(3);
    const log = await svc.deliveries(endpoint.id);
    expect(log.every((d) => d.status === 'delivered')).toBe(true);
    expect(log.reduce((s, d) => s + d.attempts, 0)).toBe(11);
  });

  it('a restart while a delivery waits for its retry loses nothing', async () => {
    const r = await receiver();
    r.respond(() => 503);
    const path = tempDb();
    const first = await open(path);
    await first.svc.create(first.site.id, { name: 'ops', url: r.url, events: ['follow_up.opened', 'follow_up.closed'] });
    await first.svc.emit({ siteId: first.site.id, event: 'follow_up.opened', conversationId: 'c9', eventKey: 'open:c9', data: { n: 1 } });
    await first.svc.emit({ siteId: first.site.id, event: 'follow_up.closed', conversationId: 'c9', eventKey: 'close:c9', data: { n: 2 } });
    first.worker.start();
    await r.waitFor(2);
    await first.worker.stop();
    first.db.close();

    r.respond(() => 200);
    const second = await open(path);
    cleanups.push(() => void second.db.close());
    await second.worker.drain();
    expect(events(r).map((e) => [e.event, e.data.n])).toEqual([
      ['follow_up.opened', 1],
      ['follow_up.closed', 2],
    ]);
  });

  it('refuses a loopback URL unless private targets are allowed, also at delivery time', async () => {
    const r = await receiver();
    const strict = await open(':memory:', { allowPrivate: false });
    cleanups.push(() => void strict.db.close());
    const err = await strict.svc.create(strict.site.id, { name: 'x', url: r.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_payload');
    expect((err as AppError).extra.issues?.[0]?.path).toBe('url');
    await expect(strict.svc.create(strict.site.id, { name: 'x', url: 'http://localhost:1/x' })).rejects.toBeInstanceOf(AppError);

    // an endpoint saved while private targets were allowed is not called once they are not
    const lax = createWebhookService({ store: strict.store, log, allowPrivate: true });
    const { endpoint } = await lax.create(strict.site.id, { name: 'x', url: r.url, events: ['conversation.ended'] });
    await strict.svc.emit({ siteId: strict.site.id, event: 'conversation.ended', conversationId: 'c1', eventKey: 'k', data: {} });
    const job = (await strict.store.jobs.claim([WEBHOOK_JOB], 1, 60_000))[0]!;
    await strict.svc.handleJob(job.payload);
    expect(r.received).toHaveLength(0);
    expect((await strict.svc.deliveries(endpoint.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await strict.svc.deliveries(endpoint.id))[0]?.lastError).toMatch(/loopback|private/);
  });

  it('switches an endpoint off after N failures in a row with the reason, and resumes when switched on', async () => {
    const r = await receiver();
    r.respond(() => 500);
    const { svc, site, worker, db } = await open(':memory:', { maxConsecutiveFailures: 3, disableAfterMs: 0 });
    cleanups.push(() => void db.close());
    const { endpoint } = await svc.create(site.id, { name: 'ops', url: r.url, events: ['conversation.ended'] });
    await svc.emit({ siteId: site.id, event: 'conversation.ended', conversationId: 'c1', eventKey: 'a', data: { n: 1 } });
    await worker.drain();
    const off = await svc.get(endpoint.id);
    expect(off.enabled).toBe(false);
    expect(off.disabledReason).toMatch(/3 failed deliveries in a row.*HTTP 500/);
    expect(r.received).toHaveLength(3);

    // events keep being recorded while it is off, and go out in order once it is on again
    await svc.emit({ siteId: site.id, event: 'conversation.ended', conversationId: 'c1', eventKey: 'b', data: { n: 2 } });
    await worker.drain();
    expect(r.received).toHaveLength(3);
    r.respond(() => 200);
    await svc.update(endpoint.id, { enabled: true });
    await worker.drain();
    expect(events(r).map((e) => e.data.n)).toEqual([1, 2]);
    expect(await svc.get(endpoint.id)).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
  });

  it('"send test" delivers a signed test event and logs it; Slack format sends a text message', async () => {
    const r = await receiver();
    const { svc, site, worker, db } = await open(':memory:');
    cleanups.push(() => void db.close());
    const { endpoint } = await svc.create(site.id, { name: 'slack', url: r.url, format: 'slack', events: ['rule.fired'] });
    await svc.sendTest(endpoint.id);
    await svc.emit({ siteId: site.id, event: 'rule.fired', conversationId: 'c1', eventKey: 'r', data: { ruleName: 'Angry <detractor>', reasons: ['NPS is detractor'] } });
    await worker.drain();
    const bodies = r.received.map((x) => JSON.parse(x.body) as { text: string });
    expect(bodies[0]?.text).toContain('Test event');
    expect(bodies[1]?.text).toContain('Angry &lt;detractor&gt;');
    expect(bodies[1]?.text).toContain('why: NPS is detractor');
    expect((await svc.deliveries(endpoint.id)).map((d) => [d.event, d.status])).toEqual([
      ['rule.fired', 'delivered'],
      ['test', 'delivered'],
    ]);
  });

  it('forgetting a conversation removes its deliveries (queued or sent)', async () => {
    const { svc, site, store, db } = await open(':memory:');
    cleanups.push(() => void db.close());
    const { endpoint } = await svc.create(site.id, { name: 'ops', url: 'http://127.0.0.1:9/x', events: ['conversation.ended'] });
    const keep = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: null });
    const { visitor } = await store.visitors.create(site.id, 'de');
    const gone = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: null });
    for (const c of [keep, gone]) await svc.emit({ siteId: site.id, event: 'conversation.ended', conversationId: c.id, eventKey: `e:${c.id}`, data: { summary: 'Lieferung kam zu spät' } });
    await store.admin.privacy.forgetVisitor(visitor.id);
    expect((await svc.deliveries(endpoint.id)).map((d) => d.conversationId)).toEqual([keep.id]);
  });

  it('many conversations failing at once do not switch an endpoint off before it has been failing long enough', async () => {
    const r = await receiver();
    r.respond((n) => (n < 12 ? 500 : 200));
    const { svc, site, worker, db } = await open(':memory:', { maxConsecutiveFailures: 3, disableAfterMs: 60 * 60_000 });
    cleanups.push(() => void db.close());
    const { endpoint } = await svc.create(site.id, { name: 'ops', url: r.url, events: ['conversation.ended'] });
    for (let n = 1; n <= 6; n++) await svc.emit({ siteId: site.id, event: 'conversation.ended', conversationId: `c${n}`, eventKey: `k${n}`, data: { n } });
    await worker.drain();
    expect(await svc.get(endpoint.id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    expect(events(r).map((e) => e.data.n).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
