import { describe, expect, it } from 'vitest';
import { memoryStore } from './test-helpers.ts';

describe('visitors store', () => {
  it('finds a visitor by its token, and stores only a hash of the token', () => {
    const { store, siteId } = memoryStore();
    const { visitor, token } = store.visitors.create(siteId, 'de');
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(store.visitors.findByToken(siteId, token)?.id).toBe(visitor.id);
    expect(store.visitors.findByToken(siteId, token + 'x')).toBeNull();
    const other = store.sites.create({ key: 'other', name: 'Other', allowedOrigins: [] });
    expect(store.visitors.findByToken(other.id, token)).toBeNull();
  });

  it('the answers store replaces an answer to the same question', () => {
    const { store, siteId } = memoryStore();
    const c = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    store.answers.upsert(c.id, { questionId: 'score', type: 'nps', value: 6, raw: '6', answeredAt: 1 });
    store.answers.upsert(c.id, { questionId: 'score', type: 'nps', value: 9, raw: 'a 9 actually', answeredAt: 2 });
    expect(store.answers.list(c.id)).toEqual([{ questionId: 'score', type: 'nps', value: 9, raw: 'a 9 actually', elaborations: [], answeredAt: 2 }]);
  });
});
