import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import { BOT_TYPING_HOLD_MS } from './fan-out.ts';
import { call, connected, connectVisitor, ok, startTestServer, type TestServer, type VisitorSocket } from './test-client.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

/** a connected visitor and everything the server pushes to it, in order */
async function listener(): Promise<{ socket: VisitorSocket; visitorId: string; seen: string[] }> {
  const socket = connectVisitor(t.server.url);
  await connected(socket);
  const { visitorId } = ok(await call(socket, 'session:hello', { locale: 'en' }));
  const seen: string[] = [];
  socket.onAny((event: string, payload: { author?: string; typing?: boolean; text?: string }) => {
    if (event === 'typing:changed') seen.push(`typing ${payload.author} ${String(payload.typing)}`);
    else if (event === 'message:created' || event === 'message:delta') seen.push(`${event} ${payload.text ?? ''}`);
    else seen.push(event);
  });
  return { socket, visitorId, seen };
}

/** everything pushed before this marker has reached the socket (one connection keeps order) */
async function settle(visitorId: string, seen: string[]): Promise<void> {
  // a held "typing on" goes out once the hold is over (this timer is set after its timer)
  await new Promise((r) => setTimeout(r, BOT_TYPING_HOLD_MS + 5));
  t.server.bus.emit('conversation:ended', { siteId: 's', visitorId, conversationId: 'marker', reason: 'visitor', endedAt: 0 });
  await new Promise<void>((resolve) => {
    const poll = () => (seen.at(-1) === 'conversation:ended' ? resolve() : setTimeout(poll, 5));
    poll();
  });
  seen.pop();
}

const message = (author: Message['author'], text: string): Message => ({
  id: 1, conversationId: 'c1', seq: 1, clientId: null, author, authorName: null, text, reply: null, createdAt: 0,
});

describe('fan-out to visitors', () => {
  it('a bot turn that answers within one event-loop turn sends the reply without a typing flash', async () => {
    const { socket, visitorId, seen } = await listener();
    const scope = { siteId: 's', visitorId, conversationId: 'c1' };
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: true });
    t.server.bus.emit('message:created', { ...scope, message: message('bot', 'hello') });
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: false });
    await settle(visitorId, seen);
    expect(seen).toEqual(['message:created hello']);
    socket.disconnect();
  });

  it('a bot turn whose reply is committed in the next loop iteration (group commit) shows no typing flash either', async () => {
    const { socket, visitorId, seen } = await listener();
    const scope = { siteId: 's', visitorId, conversationId: 'c1' };
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: true });
    await new Promise((r) => setImmediate(r));
    t.server.bus.emit('message:created', { ...scope, message: message('bot', 'hello') });
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: false });
    await settle(visitorId, seen);
    expect(seen).toEqual(['message:created hello']);
    socket.disconnect();
  });

  it('a reply that takes many loop iterations but comes within the hold (a commit flushed to disk) shows no typing either', async () => {
    const { socket, visitorId, seen } = await listener();
    const scope = { siteId: 's', visitorId, conversationId: 'c1' };
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: true });
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    t.server.bus.emit('message:created', { ...scope, message: message('bot', 'hello') });
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: false });
    await settle(visitorId, seen);
    expect(seen).toEqual(['message:created hello']);
    socket.disconnect();
  });

  it('a slower bot turn shows typing on, its deltas and message, then typing off, in that order', async () => {
    const { socket, visitorId, seen } = await listener();
    const scope = { siteId: 's', visitorId, conversationId: 'c1' };
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: true });
    t.server.bus.emit('message:delta', { ...scope, draftId: 'd1', text: 'hel' });
    await settle(visitorId, seen);
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: true });
    await settle(visitorId, seen);
    t.server.bus.emit('message:created', { ...scope, message: message('bot', 'hello') });
    t.server.bus.emit('typing:changed', { ...scope, author: 'bot', typing: false });
    await settle(visitorId, seen);
    expect(seen).toEqual(['typing bot true', 'message:delta hel', 'typing bot true', 'message:created hello', 'typing bot false']);
    socket.disconnect();
  });

  it("a person's typing goes out at once, and the visitor's own typing never echoes back", async () => {
    const { socket, visitorId, seen } = await listener();
    const scope = { siteId: 's', visitorId, conversationId: 'c1' };
    t.server.bus.emit('typing:changed', { ...scope, author: 'agent', typing: true });
    t.server.bus.emit('typing:changed', { ...scope, author: 'visitor', typing: true });
    t.server.bus.emit('typing:changed', { ...scope, author: 'agent', typing: false });
    await settle(visitorId, seen);
    expect(seen).toEqual(['typing agent true', 'typing agent false']);
    socket.disconnect();
  });

  it("a visitor's message reaches the visitor's other tabs, and the tab that sent it only by its ack", async () => {
    const first = await listener();
    const token = ok(await call(first.socket, 'session:hello', { locale: 'en' })).visitorToken;
    const other = connectVisitor(t.server.url, { visitorToken: token });
    await connected(other);
    ok(await call(other, 'session:hello', { locale: 'en' }));
    const otherSeen: Message[] = [];
    other.on('message:created', (m: Message) => otherSeen.push(m));
    const { conversation } = ok(await call(first.socket, 'conversation:start', { flowId: 'support', restart: true }));
    await settle(first.visitorId, first.seen);
    first.seen.length = 0;
    const sent = ok(await call(first.socket, 'message:send', { conversationId: conversation.id, clientId: 'tab-one-0001', text: 'Is there a student discount?' }));
    await settle(first.visitorId, first.seen);
    expect(sent.message.text).toBe('Is there a student discount?');
    expect(first.seen.filter((e) => e === 'message:created Is there a student discount?')).toEqual([]);
    await new Promise<void>((resolve) => {
      const poll = () => (otherSeen.some((m) => m.clientId === 'tab-one-0001') ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(otherSeen.filter((m) => m.clientId === 'tab-one-0001').map((m) => m.id)).toEqual([sent.message.id]);
    first.socket.disconnect();
    other.disconnect();
  });
});
