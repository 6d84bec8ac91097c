/**
 * The store modules on both engines: one scenario through SQLite and through PostgreSQL (a real
 * server from the test harness), every answer compared. Where a query has an engine-specific
 * branch (JSON, full-text search, the idle timeout, job claims), this is what checks that both
 * branches mean the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPgSql } from '../testing/pg-test.ts';
import { openDb } from './db.ts';
import { createStore, type Store } from './index.ts';
import type { PgSql } from './pg/pg-sql.ts';

const t0 = 1_700_000_000_000;

/** what a user of the store would see, without ids that differ between runs */
async function scenario(store: Store): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const site = await store.sites.create({ key: 'shop', name: 'Shop', allowedOrigins: ['https://shop.test'], settings: { idleTimeoutMinutes: 1 } }, t0);
  const other = await store.sites.create({ key: 'other', name: 'Other', allowedOrigins: [] }, t0);
  out.ping = await store.ping();
  const { visitor } = await store.visitors.create(site.id, 'en', t0);
  await store.visitors.identify(visitor.id, { externalId: 'x', name: 'Ann', email: 'Ann@Example.com', verified: true });
  const c = await store.conversations.create({ siteId: site.id, visitorId: visitor.id, flowId: 'nps' }, t0);
  const slow = await store.conversations.create({ siteId: other.id, visitorId: null, flowId: 'nps' }, t0 - 60_000);

  await store.messages.append(c.id, { author: 'visitor', text: 'Die Rücksendung dauert zu lange, refund please', clientId: 'c1' }, t0);
  await store.tx(async () => {
    await store.messages.append(c.id, { author: 'bot', text: 'Sorry about the refund' }, t0);
    await store.messages.append(c.id, { author: 'visitor', text: 'delivery was late', clientId: 'c2' }, t0);
  });
  out.resend = (await store.messages.append(c.id, { author: 'visitor', text: 'again', clientId: 'c1' })).duplicate;
  out.recent = (await store.messages.recent(c.id, 10)).map((m) => [m.seq, m.author, m.text]);
  out.idle = (await store.conversations.idleIds(t0 + 2 * 60_000)).map((id) => (id === c.id ? 'c' : id === slow.id ? 'slow' : id));
  out.ended = await store.conversations.end(c.id, 'visitor', t0 + 1000);
  await store.answers.upsert(c.id, { questionId: 'score', type: 'nps', value: 3, raw: '3', answeredAt: t0 });
  await store.extractions.save({
    conversationId: c.id,
    extractor: 'offline',
    extractorVersion: 'offline@1',
    fellBack: false,
    ratings: [{ questionId: 'score', type: 'nps', value: 3, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }],
    npsCategory: 'detractor',
    sentiment: { label: 'negative', score: -0.5, messages: [] },
    topics: [{ name: 'Delivery', score: 0.8 }],
    keyPhrases: ['late'],
    summary: 'S.',
    expectations: [{ kind: 'delivery', text: 'fast', status: 'unmet' }],
    followUp: { needed: true, reason: 'wants a call', urgency: 'high', contact: { email: null, phone: null } },
    createdAt: t0,
  });
  out.stale = (await store.extractions.listEndedIds({ siteKey: 'shop', staleFor: 'offline@2' })).length;
  await store.admin.notes.setTags(c.id, ['b', 'a', 'a']);
  const list = async (f: Parameters<Store['admin']['reviews']['list']>[0]) => (await store.admin.reviews.list(f, null, 10)).length;
  out.reviews = {
    all: (await store.admin.reviews.list({}, null, 10)).map((s) => [s.rating?.value, s.tags, s.visitorName, s.preview]),
    refund: await list({ q: 'refund' }),
    prefix: await list({ q: 'deliv' }),
    none: await list({ q: 'zebra' }),
    rating: await list({ ratingMin: 1, ratingMax: 5 }),
    ratingAbove: await list({ ratingMin: 4 }),
    topic: await list({ topic: 'delivery' }),
    email: await list({ visitorEmail: 'ann@example.com' }),
    scoped: await list({ siteIds: [site.id], nps: 'detractor', sentiment: 'negative' }),
    noSites: await list({ siteIds: [] }),
  };
  out.opened = await store.respond.routing.openFollowUp(c.id, t0 + 1000, 'high', t0);
  await store.respond.routing.addTags(c.id, ['x', 'a']);
  out.inbox = (await store.respond.routing.inbox({ scope: [site.id], mine: null, limit: 10 }, t0)).map((i) => [i.reason, i.sla, i.urgency]);
  out.inboxNone = (await store.respond.routing.inbox({ scope: [], mine: null, limit: 10 }, t0)).length;
  out.count = await store.respond.routing.count([site.id], 'u1', t0 + 10_000);
  out.awaiting = await store.replies.awaiting(visitor.id, t0);
  await store.emails.add({ idempotencyKey: 'e1', siteId: site.id, conversationId: c.id, to: 'a@b.c', subject: 's', text: 't', messageId: '<m1>' });
  const second = await store.emails.add({ idempotencyKey: 'e2', siteId: site.id, conversationId: c.id, to: 'a@b.c', subject: 's', text: 't', messageId: '<m2>' });
  out.email = [second?.inReplyTo, (await store.emails.log({ siteIds: [site.id], limit: 5 })).length, (await store.emails.log({ siteIds: [], limit: 5 })).length];

  await store.jobs.enqueue('extract', { conversationId: c.id }, { dedupeKey: 'extract:x' });
  await store.jobs.enqueue('extract', { conversationId: c.id }, { dedupeKey: 'extract:x' });
  await store.jobs.enqueue('other', { conversationId: 'elsewhere' });
  const [first, again] = await Promise.all([store.jobs.claim(['extract', 'other'], 1, 60_000), store.jobs.claim(['extract', 'other'], 5, 60_000)]);
  out.claims = [first.length, again.length, first[0]?.id === again[0]?.id];

  await store.insights.facts.write(
    {
      conversationId: c.id,
      siteId: site.id,
      flowId: 'nps',
      source: 'widget',
      lang: 'en',
      startedAt: t0,
      completed: true,
      nps: 3,
      csat: 4,
      ces: 2,
      sentiment: -0.5,
      sentimentLabel: 'negative',
      followUp: true,
      urgency: 'high',
      openedAt: t0,
      followUpStatus: 'open',
      resolvedAt: null,
      quote: 'late',
      terms: [
        { kind: 'topic', name: 'Delivery' },
        { kind: 'phrase', name: 'late' },
      ],
      expectations: [{ kind: 'delivery', status: 'unmet', text: 'fast' }],
      answers: [{ questionId: 'score', answered: true, last: true }],
    },
    'UTC',
  );
  out.restamped = await store.insights.facts.restampDays(site.id, 'Europe/Berlin');
  const q = store.insights.queries;
  for (const [name, f] of [
    ['rollup', { siteId: site.id, from: '2023-01-01', to: '2024-12-31' }],
    ['facts', { siteId: site.id, from: '2023-01-01', to: '2024-12-31', lang: 'en' }],
  ] as const) {
    out[`insights ${name}`] = {
      daySums: await q.daySums(f),
      volume: await q.volume(f),
      byFlow: await q.byFlow(f),
      count: await q.count(f),
      terms: await q.terms(f, null, 5),
      // (in no particular order)
      windows: (await q.termWindows(f, '2023-11-01', 1)).sort((a, b) => a.name.localeCompare(b.name)),
      expectations: await q.expectations(f),
      flowRuns: (await q.flowRuns(f)).map((r) => [r.flow_id, r.started, r.completed]),
      answers: (await q.answersByQuestion(f)).map((r) => [r.question_id, r.answered, r.last]),
    };
  }
  const f = { siteId: site.id, from: '2023-01-01', to: '2024-12-31', lang: 'en' };
  out.messageWith = await q.messageWith(c.id, 'LATE');
  out.followUps = await q.followUps(f, t0 + 10 * 3_600_000);
  await store.insights.facts.resolveFollowUpAt(c.id, t0 + 5000);
  out.resolution = await q.resolutionTimes(f);

  const item = { siteId: site.id, channel: 'api' as const, source: 'api', author: null, url: null, createdAt: t0, language: 'fr', rating: null, metadata: {}, origin: null };
  out.feedback = (await store.feedback.insertMany([{ ...item, externalId: 'r-1', text: 'emballage abîmé' }, { ...item, externalId: 'r-1', text: 'again' }])).map((r) => r.status);
  out.feedbackFound = await list({ q: 'emballage' });
  out.forgot = await store.admin.privacy.forgetVisitor(visitor.id);
  out.jobs = await store.jobs.counts();
  return out;
}

describe('store modules on SQLite and PostgreSQL', () => {
  let pg: PgSql;
  beforeAll(async () => {
    pg = await testPgSql('store_engines');
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('answer every call the same way on both engines', async () => {
    const onSqlite = await scenario(createStore(openDb(':memory:')));
    const onPostgres = await scenario(createStore(pg));
    expect(onPostgres).toEqual(onSqlite);
    // and what they answer is right
    expect(onSqlite).toMatchObject({
      resend: true,
      idle: ['c'],
      reviews: { refund: 1, prefix: 1, none: 0, rating: 1, ratingAbove: 0, topic: 1, email: 1, scoped: 1, noSites: 0 },
      inbox: [['wants a call', 'due_soon', 'high']],
      inboxNone: 0,
      count: { open: 1, mine: 0, overdue: 1 },
      awaiting: true,
      email: ['<m1>', 2, 0],
      claims: [1, 1, false],
      restamped: 1,
      messageWith: 'delivery was late',
      resolution: [5000],
      feedback: ['created', 'duplicate'],
      feedbackFound: 1,
      forgot: { conversations: 1, messages: 3 },
      // the two claimed, and the feedback item's extraction
      jobs: { pending: 1, running: 2, done: 0, dead: 0 },
    });
  });
});
