import { describe, expect, it } from 'vitest';
import { memoryStore } from './test-helpers.ts';

describe('messages store', () => {
  it('numbers messages 1, 2, 3 per conversation and returns those after a seq', () => {
    const { store, siteId } = memoryStore();
    const a = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    const b = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    store.messages.append(a.id, { author: 'bot', text: 'hi' });
    store.messages.append(b.id, { author: 'bot', text: 'hi b' });
    store.messages.append(a.id, { author: 'visitor', text: 'yo', clientId: 'client-0001' });
    store.messages.append(a.id, { author: 'bot', text: 'ok', reply: { options: [{ label: '1', value: '1' }], multiple: false, skippable: false } });
    expect(store.messages.list(a.id).map((m) => [m.seq, m.text])).toEqual([
      [1, 'hi'],
      [2, 'yo'],
      [3, 'ok'],
    ]);
    expect(store.messages.since(a.id, 1).map((m) => m.seq)).toEqual([2, 3]);
    expect(store.messages.since(a.id, 3)).toEqual([]);
    expect(store.messages.list(a.id)[2]?.reply?.options).toEqual([{ label: '1', value: '1' }]);
    expect(store.conversations.get(a.id)?.lastSeq).toBe(3);
  });

  it('a repeated client id returns the stored message instead of a second row', () => {
    const { store, siteId } = memoryStore();
    const c = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    const first = store.messages.append(c.id, { author: 'visitor', text: 'hello', clientId: 'same-id-1' });
    const again = store.messages.append(c.id, { author: 'visitor', text: 'hello (resent)', clientId: 'same-id-1' });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    expect(store.messages.list(c.id)).toHaveLength(1);
  });

  it('throws for an unknown conversation and stores nothing', () => {
    const { store } = memoryStore();
    expect(() => store.messages.append('missing', { author: 'visitor', text: 'x' })).toThrow();
  });
});

describe('recent messages', () => {
  it('returns the last N, oldest first', () => {
    const { store, siteId } = memoryStore();
    const c = store.conversations.create({ siteId, visitorId: null, flowId: 'nps' });
    for (let i = 1; i <= 5; i++) store.messages.append(c.id, { author: 'bot', text: `m${i}` });
    expect(store.messages.recent(c.id, 3).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
  });
});
