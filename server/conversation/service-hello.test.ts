import { describe, expect, it } from 'vitest';
import { serviceKit } from './service-test-kit.ts';

const HOUR = 60 * 60 * 1000;

describe('session hello after a conversation ended', () => {
  it('returns the ended conversation with its transcript for a day, then nothing', async () => {
    let clock = Date.UTC(2026, 10, 26, 12, 0);
    const k = await serviceKit({ now: () => clock });
    const first = await k.service.hello(k.site, undefined, {});
    const { conversation } = await k.service.start(k.site, first.visitor, { restart: false });
    await k.service.endByVisitor(k.site, first.visitor, { conversationId: conversation.id });

    clock += 23 * HOUR;
    const soon = await k.service.hello(k.site, first.ack.visitorToken, {});
    expect(soon.ack.conversation).toMatchObject({ id: conversation.id, status: 'ended', endReason: 'visitor' });
    expect(soon.ack.messages.length).toBeGreaterThan(0);

    clock += 2 * HOUR;
    const later = await k.service.hello(k.site, first.ack.visitorToken, {});
    expect(later.ack.conversation).toBeNull();
    expect(later.ack.messages).toEqual([]);
  });

  it('prefers an open conversation to one that ended more recently', async () => {
    let clock = Date.UTC(2026, 10, 26, 12, 0);
    const k = await serviceKit({ now: () => clock });
    const first = await k.service.hello(k.site, undefined, {});
    const older = await k.service.start(k.site, first.visitor, { restart: false });
    clock += 1000;
    const restarted = await k.service.start(k.site, first.visitor, { restart: true });
    expect(restarted.conversation.id).not.toBe(older.conversation.id);
    // restarting ended the older one just now; the new one is open and wins
    const back = await k.service.hello(k.site, first.ack.visitorToken, {});
    expect(back.ack.conversation).toMatchObject({ id: restarted.conversation.id, status: 'open' });
  });

  it("never returns another visitor's ended conversation", async () => {
    const k = await serviceKit();
    const alice = await k.service.hello(k.site, undefined, {});
    const { conversation } = await k.service.start(k.site, alice.visitor, { restart: false });
    await k.service.endByVisitor(k.site, alice.visitor, { conversationId: conversation.id });
    const bob = await k.service.hello(k.site, undefined, {});
    expect(bob.ack.conversation).toBeNull();
  });
});
