import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationPage } from '../../shared/admin-api.ts';
import type { FeedbackBatchResponse, FeedbackItem, FeedbackPage, WebhookView } from '../../shared/feedback.ts';
import { tokenHash } from '../http/v1/token-auth.ts';
import { ingestKit, TOKEN, type IngestKit } from './test-kit.ts';

let kit: IngestKit;
afterEach(async () => kit?.close());

const reviews = [
  { source: 'app-store', externalId: 'as-1001', author: 'Jana K.', text: 'App stürzt seit dem Update ständig ab, 3 mal heute. Sehr ärgerlich!', rating: 1, createdAt: '2026-10-03T08:15:00Z' },
  { source: 'app-store', externalId: 'as-1002', author: 'mike_r', text: 'Love the new dark mode, checkout is way faster than before. 5 stars', rating: 5 },
  { source: 'trustpilot', externalId: 'tp-77', author: 'Céline', text: "Livraison en retard de 4 jours et personne ne répond au téléphone.", rating: 2, language: 'fr' },
];

describe('POST /api/v1/feedback', () => {
  it('refuses a missing or wrong token with 401 and serves its OpenAPI document without one', async () => {
    kit = await ingestKit();
    const none = await kit.v1('POST', '/feedback', { items: reviews }, null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await kit.v1('GET', '/feedback', undefined, 'pk_not_the_right_token');
    expect(wrong.status).toBe(401);
    expect(await kit.store.feedback.count(kit.site.id)).toBe(0);

    const doc = await kit.v1<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>('GET', '/openapi.json', undefined, null);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/feedback', '/api/v1/feedback/{id}', '/api/v1/inbound/{siteKey}/{secret}']));
    expect(Object.keys(doc.body.components.schemas.FeedbackItemInput?.properties ?? {})).toEqual(expect.arrayContaining(['externalId', 'text', 'rating', 'metadata']));
  });

  it('imports a batch sent twice once, answering duplicates with the stored ids', async () => {
    kit = await ingestKit();
    const first = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: reviews });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ok: true, created: 3, duplicates: 0, errors: 0 });
    const second = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: reviews });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: 0, duplicates: 3, errors: 0 });
    expect(second.body.results.map((r) => (r.status === 'duplicate' ? r.id : null))).toEqual(first.body.results.map((r) => (r.status === 'created' ? r.id : null)));
    expect(await kit.store.feedback.count(kit.site.id)).toBe(3);
    // the same external id under another source label is another item
    const other = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: [{ ...reviews[0], source: 'play-store' }] });
    expect(other.body.created).toBe(1);
  });

  it('reports each bad item with its index and reason and still takes the good ones', async () => {
    kit = await ingestKit();
    const items = [
      reviews[0],
      { externalId: 'x-1', text: '   ' },
      { externalId: 'x-2', text: 'Nettes Team, aber die Preise sind gestiegen.', rating: 9 },
      'just a string',
      reviews[1],
      { externalId: 'x-3', text: 'a'.repeat(10_001) },
      { externalId: 'x-4', text: 'Good service', url: 'javascript:alert(1)' },
      { text: 'no id given' },
    ];
    const r = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ created: 2, errors: 6 });
    const byIndex = new Map(r.body.results.map((x) => [x.index, x]));
    expect(byIndex.get(0)?.status).toBe('created');
    expect(byIndex.get(4)?.status).toBe('created');
    const reason = (i: number) => {
      const x = byIndex.get(i);
      return x?.status === 'error' ? x.error.message : `not an error: ${x?.status}`;
    };
    expect(reason(1)).toMatch(/text/);
    expect(reason(2)).toMatch(/rating.*between 1 and 5/);
    expect(reason(3)).toMatch(/object/i);
    expect(reason(5)).toMatch(/longer than 10000/);
    expect(reason(6)).toMatch(/^url/);
    expect(reason(7)).toMatch(/externalId/);
    expect(await kit.store.feedback.count(kit.site.id)).toBe(2);
  });

  it('refuses a batch of more than 1,000 items and a 10 MB body with a clear error', async () => {
    kit = await ingestKit();
    const many = Array.from({ length: 1001 }, (_, i) => ({ externalId: `m-${i}`, text: `ok ${i}` }));
    const tooMany = await kit.v1<{ error: { message: string } }>('POST', '/feedback', { items: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 1000 items/);

    const big = JSON.stringify({ items: [{ externalId: 'big', text: 'x'.repeat(10 * 1024 * 1024) }] });
    const r = await kit.v1<{ ok: boolean; error: { code: string; message: string } }>('POST', '/feedback', big);
    expect(r.status).toBe(413);
    expect(r.body.ok).toBe(false);
    expect(r.body.error.code).toBe('invalid_payload');
    expect(r.body.error.message).toMatch(/larger than 5 MB \(got 10\.0 MB\)/);
    expect(await kit.store.feedback.count(kit.site.id)).toBe(0);
  });

  it('reads items back with their extraction once analysed, in keyset pages filtered by source and time', async () => {
    kit = await ingestKit();
    const before = Date.now();
    const sent = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: reviews });
    const ids = sent.body.results.map((r) => (r.status === 'created' ? r.id : ''));
    const pending = await kit.v1<{ item: FeedbackItem }>('GET', `/feedback/${ids[0]}`);
    expect(pending.body.item).toMatchObject({ status: 'pending', extraction: null, source: 'app-store', channel: 'api', author: 'Jana K.', createdAt: '2026-10-03T08:15:00.000Z' });

    await kit.worker.drain();
    const done = await kit.v1<{ item: FeedbackItem }>('GET', `/feedback/${ids[0]}`);
    expect(done.body.item.status).toBe('analysed');
    expect(done.body.item.language).toBe('de');
    expect(done.body.item.extraction?.ratings).toContainEqual(expect.objectContaining({ type: 'stars', value: 1, inferred: false }));
    const english = await kit.v1<{ item: FeedbackItem }>('GET', `/feedback/${ids[1]}`);
    expect(english.body.item.extraction?.sentiment.label).toBe('positive');
    const french = await kit.v1<{ item: FeedbackItem }>('GET', `/feedback/${ids[2]}`);
    expect(french.body.item.language).toBe('fr');

    // another site's token cannot read it
    const otherToken = 'pk_other_site_token_000000';
    await kit.store.sites.create({ key: 'globex', name: 'Globex', allowedOrigins: [], apiTokenHash: tokenHash(otherToken) });
    expect((await kit.v1('GET', `/feedback/${ids[0]}`, undefined, otherToken)).status).toBe(404);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: FeedbackPage } = await kit.v1<FeedbackPage>('GET', `/feedback?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(ids);
    const appStore = await kit.v1<FeedbackPage>('GET', '/feedback?source=app-store');
    expect(appStore.body.items.map((i) => i.externalId)).toEqual(['as-1001', 'as-1002']);
    expect((await kit.v1<FeedbackPage>('GET', `/feedback?since=${new Date(before).toISOString()}`)).body.items).toHaveLength(3);
    expect((await kit.v1<FeedbackPage>('GET', `/feedback?since=${Date.now() + 60_000}`)).body.items).toHaveLength(0);
  });

  it('shows ingested items in the admin list, search and export with their source', async () => {
    kit = await ingestKit();
    await kit.v1('POST', '/feedback', { items: reviews });
    await kit.worker.drain();
    const list = await kit.admin<ConversationPage>('GET', '/conversations?source=api');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items.every((c) => c.source === 'api' && c.status === 'ended')).toBe(true);
    expect(list.body.items.map((c) => c.visitorName)).toContain('Céline');
    expect((await kit.admin<ConversationPage>('GET', '/conversations?source=widget')).body.items).toHaveLength(0);
    const search = await kit.admin<ConversationPage>('GET', `/conversations?q=${encodeURIComponent('dark mode')}`);
    expect(search.body.items.map((c) => c.preview)).toEqual([reviews[1]!.text]);
    const csv = await kit.admin('GET', '/conversations/export?format=csv&source=api');
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    expect(header).toContain('source');
    expect(lines.slice(1).filter((l) => l.split(',')[header.indexOf('source')] === 'api')).toHaveLength(3);
  });
});

describe('routing rules', () => {
  it('run on ingested items after their analysis', async () => {
    kit = await ingestKit();
    const rule = await kit.admin('POST', `/sites/${kit.site.id}/rules`, {
      name: 'Refunds from reviews',
      conditions: [
        { type: 'source', sources: ['api'] },
        { type: 'keywords', words: ['refund', 'remboursement'] },
      ],
      actions: [{ type: 'add_tags', tags: ['refund'] }],
    });
    expect(rule.status).toBe(200);
    await kit.v1('POST', '/feedback', {
      items: [
        { externalId: 'r-1', text: 'Still waiting for my refund on order 55120, two weeks now.' },
        { externalId: 'r-2', text: 'Great fit, the jacket is warm and light.' },
      ],
    });
    await kit.worker.drain();
    const tagged = await kit.admin<ConversationPage>('GET', '/conversations?tag=refund');
    expect(tagged.body.items.map((c) => c.preview)).toEqual(['Still waiting for my refund on order 55120, two weeks now.']);
  });
});

describe('API token rotation', () => {
  it('keeps the old token valid beside the new one during the grace period, then only the new', async () => {
    kit = await ingestKit({ tokenGraceMs: 24 * 3_600_000 });
    const rotated = await kit.admin<{ apiToken: string }>('POST', `/sites/${kit.site.id}/token`);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.apiToken;
    expect(fresh).not.toBe(TOKEN);
    const viaOld = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: [reviews[0]] }, TOKEN);
    const viaNew = await kit.v1<FeedbackBatchResponse>('POST', '/feedback', { items: [reviews[1]] }, fresh);
    expect([viaOld.status, viaNew.status]).toEqual([201, 201]);
    const day = 24 * 3_600_000;
    expect(await kit.store.sites.siteIdForTokenHash(tokenHash(TOKEN), Date.now() + day - 60_000)).toBe(kit.site.id);
    expect(await kit.store.sites.siteIdForTokenHash(tokenHash(TOKEN), Date.now() + day + 60_000)).toBeNull();
    expect(await kit.store.sites.siteIdForTokenHash(tokenHash(fresh), Date.now() + day + 60_000)).toBe(kit.site.id);
  });

  it('with no grace the old token stops at once', async () => {
    kit = await ingestKit({ tokenGraceMs: 0 });
    const fresh = (await kit.admin<{ apiToken: string }>('POST', `/sites/${kit.site.id}/token`)).body.apiToken;
    expect((await kit.v1('GET', '/feedback', undefined, TOKEN)).status).toBe(401);
    expect((await kit.v1('GET', '/feedback', undefined, fresh)).status).toBe(200);
  });
});

describe('rate limit per token', () => {
  it('answers 429 past the limit for one token while another token goes on', async () => {
    kit = await ingestKit({ rateLimit: { windowMs: 60_000, limit: 3 } });
    for (let i = 0; i < 3; i++) expect((await kit.v1('GET', '/feedback')).status).toBe(200);
    const limited = await kit.v1<{ error: { code: string } }>('GET', '/feedback');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const fresh = (await kit.admin<{ apiToken: string }>('POST', `/sites/${kit.site.id}/token`)).body.apiToken;
    expect((await kit.v1('GET', '/feedback', undefined, fresh)).status).toBe(200);
    // guessed tokens share one budget per address, whatever the guess
    for (let i = 0; i < 3; i++) expect((await kit.v1('GET', '/feedback', undefined, `pk_guess_${i}_xxxxxxxx`)).status).toBe(401);
    expect((await kit.v1('GET', '/feedback', undefined, 'pk_guess_9_xxxxxxxx')).status).toBe(429);
  });
});

describe('inbound webhook', () => {
  it('maps a posted JSON body onto an item with the configured paths, by secret URL or signature', async () => {
    kit = await ingestKit();
    const saved = await kit.admin<{ webhook: WebhookView }>('PUT', `/ingest/webhook/${kit.site.id}`, {
      mapping: { text: 'review.body', author: 'review.user.name', externalId: 'review.id', rating: 'review.stars', createdAt: 'review.created', source: 'g2' },
    });
    expect(saved.status).toBe(200);
    const { path, secret } = saved.body.webhook;
    const payload = { event: 'review.created', review: { id: 98123, body: 'Setup took two hours, support was patient though. 4/5', stars: '4', created: 1764547200, user: { name: 'Priya' } } };
    const post = (p: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${kit.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const first = await post(path, JSON.stringify(payload));
    expect(first.status).toBe(201);
    const created = (await first.json()) as { status: string; id: string };
    expect(created.status).toBe('created');
    expect((await post(path, JSON.stringify(payload))).status).toBe(200);
    const item = await kit.store.feedback.get(kit.site.id, created.id);
    expect(item).toMatchObject({ channel: 'webhook', source: 'g2', externalId: '98123', author: 'Priya', rating: { type: 'stars', value: 4 }, createdAt: '2025-12-01T00:00:00.000Z' });

    expect((await post(path.replace(secret, 'wrong-secret-value'), JSON.stringify(payload))).status).toBe(401);
    const signedBody = JSON.stringify({ review: { id: 'r-2', body: 'Die Rechnung war doppelt, bitte korrigieren.' } });
    const sig = createHmac('sha256', secret).update(signedBody).digest('hex');
    expect((await post('/api/v1/inbound/acme', signedBody, { 'x-parley-signature': `sha256=${sig}` })).status).toBe(201);
    expect((await post('/api/v1/inbound/acme', signedBody, { 'x-parley-signature': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    const bad = await post(path, JSON.stringify({ review: { id: 'r-3' } }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/text/);
    const view = await kit.admin<{ webhook: WebhookView }>('GET', `/ingest/webhook/${kit.site.id}`);
    expect(view.body.webhook).toMatchObject({ received: 3, lastError: expect.stringMatching(/text/) });
  });
});
