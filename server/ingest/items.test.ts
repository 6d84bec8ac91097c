import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createIngestService, type ItemDraft } from './items.ts';

async function setup() {
  const store = createStore(openDb(':memory:'));
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
  let wakes = 0;
  const items = createIngestService({ feedback: store.feedback, onCreated: () => void wakes++ });
  return { store, site, items, wakes: () => wakes };
}

const drafts = (n: number, source = 'reviews'): ItemDraft[] =>
  Array.from({ length: n }, (_, i) => ({
    source,
    externalId: `r-${i}`,
    author: null,
    text: `Review number ${i}: the parcel came on time.`,
    url: null,
    createdAt: Date.UTC(2026, 10, 1) + i,
    rating: null,
    metadata: {},
    language: 'en',
  }));

describe('ingest on the asynchronous store', () => {
  it('concurrent imports of the same items store each item once; every caller gets the stored id', async () => {
    const { store, site, items } = await setup();
    const batches = await Promise.all(
      Array.from({ length: 4 }, (_, k) =>
        // each writer in its own transaction, as a feed poll or an import chunk does
        store.tx(() => items.ingestDrafts(site.id, 'import', drafts(30), { origin: `import:${k}` })),
      ),
    );
    expect(await store.feedback.count(site.id)).toBe(30);
    const created = batches.flat().filter((o) => o.status === 'created');
    expect(created).toHaveLength(30);
    // whichever writer won, the others answer with the same ids
    for (let i = 0; i < 30; i++) expect(new Set(batches.map((b) => b[i]!.id)).size).toBe(1);
    // one extraction job per stored item
    expect((await store.jobs.listByStatus('pending')).filter((j) => j.kind === 'extract')).toHaveLength(30);
  });

  it('the same external id under another source is another item; raw items are validated one by one', async () => {
    const { store, site, items, wakes } = await setup();
    await items.ingestDrafts(site.id, 'feed', drafts(2, 'feed:a'));
    await items.ingestDrafts(site.id, 'feed', drafts(2, 'feed:b'));
    expect(await store.feedback.count(site.id)).toBe(4);
    const results = await items.ingestRaw(site.id, 'api', [
      { source: 'feed:a', externalId: 'r-0', text: 'again' },
      { source: 'api', externalId: 'x-1', text: '' },
      { source: 'api', externalId: 'x-2', text: 'New one, thanks' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'error', 'created']);
    expect(await store.feedback.count(site.id)).toBe(5);
    // the worker is woken after writes that created something, not after all-duplicate ones
    expect(wakes()).toBe(3);
    await items.ingestDrafts(site.id, 'feed', drafts(2, 'feed:a'));
    expect(wakes()).toBe(3);
  });

  it('a rolled-back transaction leaves no item behind, so a retry takes them', async () => {
    const { store, site, items } = await setup();
    await expect(
      store.tx(async () => {
        await items.ingestDrafts(site.id, 'import', drafts(3));
        throw new Error('progress write failed');
      }),
    ).rejects.toThrow('progress write failed');
    expect(await store.feedback.count(site.id)).toBe(0);
    const again = await store.tx(() => items.ingestDrafts(site.id, 'import', drafts(3)));
    expect(again.map((o) => o.status)).toEqual(['created', 'created', 'created']);
  });
});
