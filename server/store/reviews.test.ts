import { describe, expect, it } from 'vitest';
import { openDb } from './db.ts';
import { createStore } from './index.ts';
import { queryPlan } from './review-fixtures.ts';
import { ftsQuery, listQuery } from './reviews.ts';

describe('transcript list queries', () => {
  it('turn a search box into a safe FTS5 prefix query', async () => {
    expect(ftsQuery('late delivery')).toBe('"late"* "delivery"*');
    expect(ftsQuery('"NEAR( OR *')).toBe('"NEAR"* "OR"*');
    expect(ftsQuery('---')).toBeNull();
  });

  it('page newest first through an index, without sorting the whole table', async () => {
    const db = openDb(':memory:');
    const plain = listQuery({}, { startedAt: 1, id: 'x' });
    const plan = queryPlan(db, plain.sql, [...plain.params, 50]).join('\n');
    expect(plan).toMatch(/conversations_started/);
    expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    const bySite = listQuery({ siteId: 's' }, null);
    expect(queryPlan(db, bySite.sql, [...bySite.params, 50]).join('\n')).toMatch(/conversations_site_started/);
  });
});

describe('text search over many hits', () => {
  it('returns the newest matching conversations whichever way the search runs', async () => {
    const store = createStore(openDb(':memory:'));
    const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: [] });
    const ids: string[] = [];
    await store.tx(async () => {
      for (let i = 0; i < 260; i++) {
        const c = await store.conversations.create({ siteId: site.id, visitorId: null, flowId: 'nps' }, 1_000_000 + i * 1000);
        // every third conversation never says "refund"
        for (let k = 0; k < 10; k++) await store.messages.append(c.id, { author: 'visitor', text: i % 3 === 0 ? `hello ${k}` : `refund please ${k}` });
        ids.push(c.id);
      }
    });
    const expected = ids.filter((_, i) => i % 3 !== 0).reverse();
    // 1,730 hits: under the bound, the search starts from the hits
    expect((await store.admin.reviews.list({ q: 'refund' }, null, 50)).map((c) => c.id)).toEqual(expected.slice(0, 50));
    await store.tx(async () => {
      for (let k = 0; k < 400; k++) await store.messages.append(ids[0]!, { author: 'visitor', text: `refund again ${k}` });
    });
    // over the bound: it walks conversations newest first
    const withFirst = [...expected, ids[0]!];
    expect((await store.admin.reviews.list({ q: 'refund' }, null, 50)).map((c) => c.id)).toEqual(withFirst.slice(0, 50));
    const last = (await store.admin.reviews.list({ q: 'refund' }, { startedAt: 1_000_000 + 3000, id: ids[3]! }, 50)).map((c) => c.id);
    expect(last).toEqual([ids[2], ids[1], ids[0]]);
  });
});
