import { describe, expect, it } from 'vitest';
import { memoryStore } from './test-helpers.ts';

describe('conversations store', () => {
  it('ends a conversation once', () => {
    const { store, siteId } = memoryStore();
    const c = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    expect(store.conversations.end(c.id, 'visitor', 10)).toBe(true);
    expect(store.conversations.end(c.id, 'idle', 20)).toBe(false);
    const ended = store.conversations.get(c.id);
    expect(ended).toMatchObject({ status: 'ended', endReason: 'visitor', endedAt: 10 });
  });

  it('lists as idle only open conversations past their site timeout', () => {
    const { store, siteId } = memoryStore();
    const quick = store.sites.create({ key: 'quick', name: 'Quick', allowedOrigins: [], settings: { idleTimeoutMinutes: 1 } });
    const t0 = 1_000_000;
    const slow = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, t0);
    const fast = store.conversations.create({ siteId: quick.id, visitorId: null, flowId: 'nps' }, t0);
    expect(store.conversations.idleIds(t0 + 2 * 60_000)).toEqual([fast.id]);
    expect(store.conversations.idleIds(t0 + 31 * 60_000).sort()).toEqual([slow.id, fast.id].sort());
    store.conversations.end(fast.id, 'idle', t0);
    expect(store.conversations.idleIds(t0 + 31 * 60_000)).toEqual([slow.id]);
  });

  it('keeps engine state and finds the latest open conversation of a visitor', () => {
    const { store, siteId } = memoryStore();
    const { visitor } = store.visitors.create(siteId, 'en');
    const c = store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' }, 1);
    store.conversations.setState(c.id, { step: 2, asked: ['q1'] });
    expect(store.conversations.get(c.id)?.state).toEqual({ step: 2, asked: ['q1'] });
    expect(store.conversations.latestOpen(visitor.id)?.id).toBe(c.id);
    expect(store.conversations.latestOpen(visitor.id, 'support')).toBeNull();
  });
});
