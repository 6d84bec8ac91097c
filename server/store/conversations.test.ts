import { describe, expect, it } from 'vitest';
import { ENGINES, useEngine } from './test-helpers.ts';

describe.each(ENGINES)('conversations store (%s)', (engine) => {
  const db = useEngine(engine);

  it('ends a conversation once', async () => {
    const { store, siteId } = await db.withSite();
    const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    expect(await store.conversations.end(c.id, 'visitor', 10)).toBe(true);
    expect(await store.conversations.end(c.id, 'idle', 20)).toBe(false);
    const ended = await store.conversations.get(c.id);
    expect(ended).toMatchObject({ status: 'ended', endReason: 'visitor', endedAt: 10 });
  });

  it('reopens only a conversation the idle timeout ended, keeping its state', async () => {
    const { store, siteId } = await db.withSite();
    const idle = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, 1);
    await store.conversations.setState(idle.id, { step: 1 }, 2);
    await store.conversations.end(idle.id, 'idle', 10);
    expect(await store.conversations.owner(idle.id)).toMatchObject({ status: 'ended', endReason: 'idle' });
    expect(await store.conversations.reopenIdle(idle.id, 50)).toBe(true);
    expect(await store.conversations.reopenIdle(idle.id, 60)).toBe(false);
    expect(await store.conversations.get(idle.id)).toMatchObject({ status: 'open', endedAt: null, endReason: null, lastActivityAt: 50, state: { step: 1 } });
    expect(await store.conversations.owner(idle.id)).toMatchObject({ status: 'open', endReason: null });
    for (const reason of ['visitor', 'agent', 'completed'] as const) {
      const c = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, 1);
      await store.conversations.end(c.id, reason, 10);
      expect(await store.conversations.reopenIdle(c.id, 50)).toBe(false);
      expect(await store.conversations.get(c.id)).toMatchObject({ status: 'ended', endReason: reason, endedAt: 10 });
    }
  });

  it('lists as idle only open conversations past their site timeout', async () => {
    const { store, siteId } = await db.withSite();
    const quick = await store.sites.create({ key: 'quick', name: 'Quick', allowedOrigins: [], settings: { idleTimeoutMinutes: 1 } });
    const t0 = 1_000_000;
    const slow = await store.conversations.create({ siteId, visitorId: null, flowId: 'nps' }, t0);
    const fast = await store.conversations.create({ siteId: quick.id, visitorId: null, flowId: 'nps' }, t0);
    expect(await store.conversations.idleIds(t0 + 2 * 60_000)).toEqual([fast.id]);
    expect((await store.conversations.idleIds(t0 + 31 * 60_000)).sort()).toEqual([slow.id, fast.id].sort());
    await store.conversations.end(fast.id, 'idle', t0);
    expect(await store.conversations.idleIds(t0 + 31 * 60_000)).toEqual([slow.id]);
  });

  it('keeps engine state and finds the latest open conversation of a visitor', async () => {
    const { store, siteId } = await db.withSite();
    const { visitor } = await store.visitors.create(siteId, 'en');
    const c = await store.conversations.create({ siteId, visitorId: visitor.id, flowId: 'nps' }, 1);
    await store.conversations.setState(c.id, { step: 2, asked: ['q1'] });
    expect((await store.conversations.get(c.id))?.state).toEqual({ step: 2, asked: ['q1'] });
    expect((await store.conversations.latestOpen(visitor.id))?.id).toBe(c.id);
    expect(await store.conversations.latestOpen(visitor.id, 'support')).toBeNull();
  });
});
