/**
 * What the store lists in order comes in the same order on both engines: text by its bytes (as
 * SQLite compares it, whatever the PostgreSQL database's collation: these tests run PostgreSQL on
 * an en-US database), ties broken the same way, NULLs where SQLite puts them.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from './index.ts';
import { ENGINES, useEngine } from './test-helpers.ts';

/** mixed case, punctuation and digits: byte order differs from a language's order */
const NAMES = ['b1', 'Billing', 'apple', 'b-2', '_x', 'Zeta', 'zeta2'];
const bytewise = (xs: readonly string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
/** SQLite's NOCASE (team names): byte order of the lower-cased text */
const nocase = (xs: readonly string[]) => [...xs].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));

const t0 = Date.UTC(2024, 0, 10, 12);

async function fact(store: Store, siteId: string, n: number, over: { flowId: string; terms: string[]; sentiment?: number | null; quote?: string }) {
  const c = await store.conversations.create({ siteId, visitorId: null, flowId: over.flowId }, t0 + n);
  await store.insights.facts.write(
    {
      conversationId: c.id,
      siteId,
      flowId: over.flowId,
      source: 'widget',
      lang: 'en',
      startedAt: t0 + n,
      completed: true,
      nps: null,
      csat: null,
      ces: null,
      sentiment: over.sentiment ?? null,
      sentimentLabel: null,
      followUp: false,
      urgency: null,
      openedAt: null,
      followUpStatus: 'none',
      resolvedAt: null,
      quote: over.quote ?? null,
      terms: over.terms.map((name) => ({ kind: 'topic' as const, name })),
      expectations: over.terms.map((kind) => ({ kind, status: 'unmet' as const, text: 'x' })),
      answers: over.terms.map((questionId) => ({ questionId, answered: true, last: false })),
    },
    'UTC',
  );
  return c.id;
}

describe.each(ENGINES)('store lists in the same order on every engine (%s)', (engine) => {
  const db = useEngine(engine);

  it('knowledge-base entries and flows by id, byte by byte', async () => {
    const { store, siteId } = await db.withSite();
    for (const id of NAMES) {
      await store.kb.upsert(siteId, { id, title: id, body: 'b', tags: [] });
      await store.flows.upsert(siteId, { id, kind: 'support', name: id, intro: 'Hi' });
    }
    expect((await store.kb.list(siteId)).map((e) => e.id)).toEqual(bytewise(NAMES));
    expect((await store.flows.list(siteId)).map((f) => f.id)).toEqual(bytewise(NAMES));
  });

  it('canned responses by shortcut; teams by name, ignoring case', async () => {
    const { store, siteId } = await db.withSite();
    for (const name of NAMES) {
      await store.admin.canned.create({ siteId, shortcut: name, title: name, text: 't' });
      await store.respond.teams.create({ name, memberIds: [], siteIds: [siteId] });
    }
    expect((await store.admin.canned.list(siteId)).map((c) => c.shortcut)).toEqual(bytewise(NAMES));
    expect((await store.respond.teams.list()).map((t) => t.name)).toEqual(nocase(NAMES));
  });

  it('insight figures: equal counts by name, flows and questions in one order, with and without the rollups', async () => {
    const { store, siteId } = await db.withSite();
    let n = 0;
    // every name once: all counts tie
    for (const name of NAMES) await fact(store, siteId, n++, { flowId: name, terms: [name], sentiment: name === 'apple' ? null : -0.5, quote: `q ${name}` });
    const q = store.insights.queries;
    const rollup = { siteId, from: '2024-01-01', to: '2024-12-31' };
    const facts = { ...rollup, lang: 'en' };
    for (const f of [rollup, facts]) {
      expect((await q.terms(f, null, 20)).map((t) => t.name)).toEqual(bytewise(NAMES));
      expect((await q.byFlow(f)).map((r) => r.flow_id)).toEqual(bytewise(NAMES));
      expect((await q.flowRuns(f)).map((r) => r.flow_id)).toEqual(bytewise(NAMES));
      expect((await q.expectations(f)).map((r) => r.kind)).toEqual(bytewise(NAMES));
      expect((await q.answersByQuestion(f)).map((r) => r.question_id)).toEqual(bytewise(NAMES));
      expect((await q.termWindows(f, '2024-01-01', 1)).map((r) => r.name)).toEqual(bytewise(NAMES));
    }
  });

  it('the unhappiest quotes first, those without a sentiment last', async () => {
    const { store, siteId } = await db.withSite();
    let n = 0;
    for (const [quote, sentiment] of [['unknown', null], ['bad', -0.9], ['fine', 0.2], ['meh', -0.1]] as const) {
      await fact(store, siteId, n++, { flowId: 'nps', terms: ['Delivery'], sentiment, quote });
    }
    const f = { siteId, from: '2024-01-01', to: '2024-12-31' };
    const quotes = async (worstFirst: boolean) => (await store.insights.queries.termQuotes(f, 'topic', 'Delivery', 10, worstFirst)).map((r) => r.quote);
    expect(await quotes(true)).toEqual(['bad', 'meh', 'fine', 'unknown']);
    // newest first
    expect(await quotes(false)).toEqual(['meh', 'fine', 'bad', 'unknown']);
  });
});
