import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage, ConversationSummary } from '../../shared/admin-api.ts';
import type { z } from 'zod';
import type { Extraction } from '../../shared/extraction.ts';
import { adminKit, AGENT, OWNER, type AdminKit, type Client } from '../http/admin/test-kit.ts';
import { countRows, ftsHits, insertExtraction, insertJob } from '../store/review-fixtures.ts';

const T0 = Date.UTC(2026, 0, 10);
let kit: AdminKit;
let owner: Client;
let agent: Client;
const ids: Record<string, string> = {};
const visitors: Record<string, string> = {};

function extraction(conversationId: string, o: { nps: number; cat: 'promoter' | 'passive' | 'detractor'; label: 'positive' | 'negative'; score: number; topic: string; followUp: boolean }): z.input<typeof Extraction> {
  return {
    conversationId,
    extractor: 'offline',
    extractorVersion: 'offline@1',
    ratings: [{ questionId: 'score', type: 'nps', value: o.nps, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }],
    npsCategory: o.cat,
    sentiment: { label: o.label, score: o.score, messages: [] },
    topics: [{ name: o.topic, score: 0.9 }],
    keyPhrases: [],
    summary: 's',
    expectations: [],
    followUp: { needed: o.followUp, reason: o.followUp ? 'late' : null, urgency: o.followUp ? 'high' : null, contact: { email: null, phone: null } },
    createdAt: T0,
  };
}

async function conversation(key: string, o: { visitor: string | null; flowId: string; source?: string; at: number; texts: string[] }) {
  const s = kit.store;
  const c = await s.conversations.create({ siteId: kit.site.id, visitorId: o.visitor, flowId: o.flowId, ...(o.source ? { source: o.source } : {}) }, o.at);
  await s.messages.append(c.id, { author: 'bot', text: 'How likely are you to recommend us?' }, o.at);
  for (const [i, text] of o.texts.entries()) await s.messages.append(c.id, { author: 'visitor', text, clientId: `client-${key}-${i}` }, o.at + i + 1);
  await s.conversations.end(c.id, 'completed', o.at + 100);
  ids[key] = c.id;
  return c.id;
}

async function page(c: Client, query: string): Promise<ConversationPage> {
  const r = await c.req('GET', `/conversations${query}`);
  expect(r.status, r.text).toBe(200);
  return r.body as ConversationPage;
}

async function all(query: string): Promise<string[]> {
  return (await page(owner, query)).items.map((i) => i.id);
}

beforeAll(async () => {
  kit = await adminKit();
  owner = await kit.signedIn(OWNER);
  agent = await kit.signedIn(AGENT);
  const s = kit.store;
  const alice = (await s.visitors.create(kit.site.id, 'en', T0)).visitor;
  await s.visitors.identify(alice.id, { externalId: 'u1', name: 'Alice', email: 'alice@example.test', verified: true });
  const bob = (await s.visitors.create(kit.site.id, 'en', T0)).visitor;
  visitors.alice = alice.id;
  visitors.bob = bob.id;
  await conversation('late', { visitor: alice.id, flowId: 'nps', at: T0 + 1000, texts: ['2', 'The delivery was late and the box damaged'] });
  await conversation('great', { visitor: bob.id, flowId: 'nps', at: T0 + 2000, texts: ['10', 'Great product, love it'] });
  await conversation('reset', { visitor: alice.id, flowId: 'support', source: 'api', at: T0 + 3000, texts: ['=HYPERLINK("http://evil") how do I reset my password?'] });
  insertExtraction(kit.db, extraction(ids.late!, { nps: 2, cat: 'detractor', label: 'negative', score: -0.7, topic: 'Delivery', followUp: true }));
  insertExtraction(kit.db, extraction(ids.great!, { nps: 10, cat: 'promoter', label: 'positive', score: 0.8, topic: 'Product', followUp: false }));
  // filler for paging, several sharing one start time so the id breaks ties
  for (let i = 0; i < 23; i++) await conversation(`f${i}`, { visitor: null, flowId: 'csat', at: T0 + 10_000 + Math.floor(i / 3), texts: [`filler ${i}`] });
});
afterAll(() => kit.close());

describe('GET /api/admin/conversations', () => {
  it('pages newest first with a keyset cursor, every row once', async () => {
    const seen: ConversationSummary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: ConversationPage = await page(agent, `?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(26);
    expect(new Set(seen.map((c) => c.id)).size).toBe(26);
    const sorted = [...seen].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
    expect(seen.map((c) => c.id)).toEqual(sorted.map((c) => c.id));
  });

  it('filters by NPS category, sentiment, topic, rating range and follow-up', async () => {
    expect(await all('?nps=detractor')).toEqual([ids.late]);
    expect(await all('?sentiment=positive')).toEqual([ids.great]);
    expect(await all('?topic=delivery')).toEqual([ids.late]);
    expect(await all('?ratingMin=9')).toEqual([ids.great]);
    expect(await all('?ratingMin=0&ratingMax=6')).toEqual([ids.late]);
    expect(await all('?followUpNeeded=true')).toEqual([ids.late]);
  });

  it('filters by flow, source, date range, site and visitor', async () => {
    expect(await all('?flowId=support')).toEqual([ids.reset]);
    expect(await all('?source=api')).toEqual([ids.reset]);
    expect(await all(`?from=${T0 + 1500}&to=${T0 + 3000}`)).toEqual([ids.reset, ids.great]);
    expect(await all(`?visitorId=${visitors.alice}`)).toEqual([ids.reset, ids.late]);
    expect(await all('?siteId=another-site')).toEqual([]);
    expect(await all('?visitorEmail=ALICE%40example.test')).toEqual([ids.reset, ids.late]);
  });

  it('searches message text with FTS5 (prefixes, every word)', async () => {
    expect(await all('?q=deliv')).toEqual([ids.late]);
    expect(await all('?q=late%20box')).toEqual([ids.late]);
    expect(await all('?q=password')).toEqual([ids.reset]);
    expect(await all('?q=late%20password')).toEqual([]);
    // FTS syntax in the box is treated as words, not as a query that fails
    expect(await all('?q=%22NEAR(')).toEqual([]);
  });

  it('summarises each row with its extraction and visitor', async () => {
    const [row] = (await page(owner, '?nps=detractor')).items;
    expect(row).toMatchObject({
      visitorName: 'Alice',
      rating: { type: 'nps', value: 2, scaleMax: 10 },
      npsCategory: 'detractor',
      sentiment: { label: 'negative' },
      topics: ['Delivery'],
      followUpNeeded: true,
      preview: '2',
      messageCount: 3,
    });
  });

  it('rejects bad filters and forged cursors with invalid_payload', async () => {
    for (const q of ['?nps=angry', '?ratingMin=abc', '?limit=100000', `?cursor=${Buffer.from('x; DROP TABLE').toString('base64url')}`]) {
      const r = await owner.req('GET', `/conversations${q}`);
      expect([q, r.status, (r.body as { error: { code: string } }).error.code]).toEqual([q, 400, 'invalid_payload']);
    }
  });
});

describe('a transcript', () => {
  it('shows messages, extraction, visitor, notes, tags and follow-up', async () => {
    const note = await agent.req('POST', `/conversations/${ids.late}/notes`, { text: 'Called the customer <b>back</b>' });
    expect(note.status).toBe(200);
    expect((await agent.req('PUT', `/conversations/${ids.late}/tags`, { tags: ['Shipping', 'refund', 'shipping'] })).body).toEqual({ ok: true, tags: ['refund', 'shipping'] });
    const fu = await agent.req('PUT', `/conversations/${ids.late}/follow-up`, { status: 'assigned' });
    expect(fu.body).toMatchObject({ ok: true, conversation: { followUpStatus: 'assigned', followUpAssignee: { id: kit.agent.id, name: 'Ana' } } });

    const d = (await agent.req('GET', `/conversations/${ids.late}`)).body as ConversationDetail;
    expect(d.messages.map((m) => m.text)).toEqual(['How likely are you to recommend us?', '2', 'The delivery was late and the box damaged']);
    expect(d.extraction?.npsCategory).toBe('detractor');
    expect(d.visitor).toMatchObject({ name: 'Alice', email: 'alice@example.test' });
    expect(d.notes).toMatchObject([{ text: 'Called the customer <b>back</b>', authorName: 'Ana' }]);
    expect(d.conversation.tags).toEqual(['refund', 'shipping']);
    expect(await all('?tag=refund')).toEqual([ids.late]);
    expect(await all('?followUpStatus=assigned')).toEqual([ids.late]);
  });

  it('answers 404 for an unknown conversation and 400 for an empty note', async () => {
    expect((await agent.req('GET', '/conversations/nope')).status).toBe(404);
    expect((await agent.req('POST', `/conversations/${ids.late}/notes`, { text: '   ' })).status).toBe(400);
  });
});

describe('export', () => {
  it('streams the filtered set as CSV, formula-safe', async () => {
    const r = await agent.req('GET', '/conversations/export?format=csv&visitorId=' + visitors.alice);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="parley-conversations-.*\.csv"/);
    const text = r.text.replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toMatch(/^id,site_id,flow_id,/);
    expect(text).toContain(ids.late);
    expect(text).toContain(ids.reset);
    expect(text).not.toContain(ids.great);
    expect(text).toContain('The delivery was late and the box damaged');
    // a transcript cell starting with "=" would run as a spreadsheet formula
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('streams JSON with each conversation and its messages', async () => {
    const r = await agent.req('GET', '/conversations/export?format=json&nps=promoter');
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const rows = r.body as (ConversationSummary & { messages: { text: string }[] })[];
    expect(rows.map((x) => x.id)).toEqual([ids.great]);
    expect(rows[0]!.messages.map((m) => m.text)).toContain('Great product, love it');
  });

  it('exports every row across internal pages', async () => {
    const r = await agent.req('GET', '/conversations/export?format=json');
    expect((r.body as unknown[]).length).toBe(26);
  });
});

describe('dead jobs', () => {
  it('are listed for owners', async () => {
    insertJob(kit.db, { kind: 'webhook', status: 'dead', lastError: 'HTTP 500' });
    const r = await owner.req('GET', '/jobs?status=dead');
    expect(r.body).toMatchObject({ ok: true, jobs: [{ kind: 'webhook', status: 'dead', lastError: 'HTTP 500' }] });
  });
});

describe('privacy', () => {
  it('forgets a visitor: every row about them goes, others stay, the audit log says so', async () => {
    const before = { conversations: countRows(kit.db, 'conversations'), messages: countRows(kit.db, 'messages') };
    expect(ftsHits(kit.db, 'delivery')).toBe(1);
    const r = await owner.req('DELETE', `/visitors/${visitors.alice}`);
    expect(r.body).toEqual({ ok: true, visitorId: visitors.alice, conversations: 2, messages: 5 });
    expect(countRows(kit.db, 'conversations')).toBe(before.conversations - 2);
    expect(countRows(kit.db, 'messages')).toBe(before.messages - 5);
    expect(ftsHits(kit.db, 'delivery')).toBe(0);
    expect(ftsHits(kit.db, 'password')).toBe(0);
    expect(await kit.store.visitors.get(visitors.alice!)).toBeNull();
    expect((await owner.req('GET', `/conversations/${ids.late}`)).status).toBe(404);
    expect((await owner.req('GET', `/conversations/${ids.great}`)).status).toBe(200);
    expect(countRows(kit.db, 'notes')).toBe(0);
    expect(countRows(kit.db, 'conversation_tags')).toBe(0);
    const audit = await owner.req('GET', '/audit');
    expect(audit.body).toMatchObject({ entries: expect.arrayContaining([expect.objectContaining({ action: 'visitor.forget', target: visitors.alice, actor: OWNER.email })]) });
    expect((await owner.req('DELETE', `/visitors/${visitors.alice}`)).status).toBe(404);
  });

  it('retention deletes a site\'s transcripts older than its period, and logs it', async () => {
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    const old = await conversation('old', { visitor: null, flowId: 'nps', at: now - 40 * day, texts: ['ancient'] });
    const recent = await conversation('recent', { visitor: null, flowId: 'nps', at: now - 2 * day, texts: ['fresh'] });
    // no retention set: nothing is deleted
    expect((await owner.req('POST', '/retention/run', {})).body).toEqual({ ok: true, sites: 0, conversations: 0 });
    expect((await owner.req('PATCH', `/sites/${kit.site.id}`, { settings: { retentionDays: 30 } })).status).toBe(200);
    const r = await owner.req('POST', '/retention/run', {});
    // the seeded January conversations are older than 30 days too
    expect(r.body).toMatchObject({ ok: true, sites: 1 });
    expect(await kit.store.conversations.get(old)).toBeNull();
    expect(await kit.store.conversations.get(recent)).not.toBeNull();
    expect(ftsHits(kit.db, 'ancient')).toBe(0);
    const audit = (await owner.req('GET', '/audit')).body as { entries: { action: string; actor: string }[] };
    expect(audit.entries.some((e) => e.action === 'retention.delete' && e.actor === 'system')).toBe(true);
  });
});
