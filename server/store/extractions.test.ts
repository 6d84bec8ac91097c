import { describe, expect, it } from 'vitest';
import type { Extraction } from '../../shared/extraction.ts';
import { DETRACTOR, PROMOTER, seedEnded, shopStore } from '../analysis/test-fixtures.ts';

function record(conversationId: string, over: Partial<Extraction> = {}): Extraction {
  return {
    conversationId,
    extractor: 'offline',
    extractorVersion: 'offline@1',
    fellBack: false,
    ratings: [{ questionId: 'nps', type: 'nps', value: 2, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }],
    npsCategory: 'detractor',
    sentiment: { label: 'negative', score: -0.7, messages: [{ messageId: 2, score: -0.7 }] },
    topics: [{ name: 'Delivery', score: 0.8 }],
    keyPhrases: ['wrong address'],
    summary: 'One. Two.',
    expectations: [{ kind: 'delivery', text: 'by Friday', status: 'unmet' }],
    followUp: { needed: true, reason: 'asked to be contacted', urgency: 'high', contact: { email: null, phone: '+1 415 555 0134' } },
    createdAt: 1,
    ...over,
  };
}

describe('extractions store', () => {
  it('round-trips a record through SQLite unchanged', async () => {
    const { store, siteId } = await shopStore();
    const id = await seedEnded(store, siteId, DETRACTOR);
    await store.extractions.save(record(id));
    expect(await store.extractions.get(id)).toEqual(record(id));
  });

  it('replaces the record on re-analysis instead of adding one', async () => {
    const { store, siteId } = await shopStore();
    const id = await seedEnded(store, siteId, DETRACTOR);
    await store.extractions.save(record(id));
    await store.extractions.save(record(id, { extractor: 'llm', extractorVersion: 'llm@1:m', summary: 'New. Better.' }));
    expect(await store.extractions.count()).toBe(1);
    expect(await store.extractions.get(id)).toMatchObject({ extractor: 'llm', summary: 'New. Better.' });
  });

  it('rejects a record that breaks the shared schema', async () => {
    const { store, siteId } = await shopStore();
    const id = await seedEnded(store, siteId, DETRACTOR);
    await expect(store.extractions.save(record(id, { sentiment: { label: 'negative', score: -3, messages: [] } }))).rejects.toThrow();
    expect(await store.extractions.get(id)).toBeNull();
  });

  it('loads the transcript, answers and site topics an extractor needs', async () => {
    const { store, siteId } = await shopStore();
    const id = await seedEnded(store, siteId, DETRACTOR);
    const input = (await store.extractions.loadInput(id))!;
    expect(input.messages.map((m) => m.author)).toEqual(DETRACTOR.lines.map(([a]) => a));
    expect(input.answers).toEqual(DETRACTOR.answers);
    expect(input.topics.map((t) => t.name)).toContain('Delivery');
    expect(await store.extractions.loadInput('nope')).toBeNull();
  });

  it('lists ended conversations to re-analyse, by site, date and staleness', async () => {
    const { store, siteId } = await shopStore();
    const a = await seedEnded(store, siteId, DETRACTOR);
    const b = await seedEnded(store, siteId, PROMOTER);
    await store.conversations.create({ siteId, visitorId: null, flowId: null }); // still open: never listed
    // both started in the same millisecond: compare as sets
    expect((await store.extractions.listEndedIds()).sort()).toEqual([a, b].sort());
    expect(await store.extractions.listEndedIds({ siteKey: 'other' })).toEqual([]);
    expect(await store.extractions.listEndedIds({ since: Date.now() + 60_000 })).toEqual([]);
    await store.extractions.save(record(a));
    expect(await store.extractions.listEndedIds({ staleFor: 'offline@1' })).toEqual([b]);
    expect((await store.extractions.listEndedIds({ staleFor: 'offline@2' })).sort()).toEqual([a, b].sort());
  });
});
