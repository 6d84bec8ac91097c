import { describe, expect, it } from 'vitest';
import { memoryStore } from './test-helpers.ts';

describe('visitors store', () => {
  it('finds a visitor by its token, and stores only a hash of the token', async () => {
    const { store, siteId } = await memoryStore();
    const { visitor, token } = await store.visitors.create(siteId, 'de');
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect((await store.visitors.findByToken(siteId, token))?.id).toBe(visitor.id);
    expect(await store.visitors.findByToken(siteId, token + 'x')).toBeNull();
    const other = await store.sites.create({ key: 'other', name: 'Other', allowedOrigins: [] });
    expect(await store.visitors.findByToken(other.id, token)).toBeNull();
  });

  it('the answers store replaces an answer to the same question', async () => {
    const { store, siteId } = await memoryStore();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    await store.answers.upsert(c.id, { questionId: 'score', type: 'nps', value: 6, raw: '6', answeredAt: 1 });
    await store.answers.upsert(c.id, { questionId: 'score', type: 'nps', value: 9, raw: 'a 9 actually', answeredAt: 2 });
    expect(await store.answers.list(c.id)).toEqual([{ questionId: 'score', type: 'nps', value: 9, raw: 'a 9 actually', elaborations: [], answeredAt: 2 }]);
  });
});
