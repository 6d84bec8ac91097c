import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import type { ConversationView } from '../../shared/conversation.ts';
import { io as connectIo } from 'socket.io-client';
import { userHash } from '../conversation/identity.ts';
import { call, connected, connectVisitor, next, ok, startTestServer, type TestServer, type VisitorSocket } from './test-client.ts';

let t: TestServer;
const sockets: VisitorSocket[] = [];

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.disconnect());
});

async function visitor(auth: { visitorToken?: string } = {}) {
  const socket = connectVisitor(t.server.url, auth);
  sockets.push(socket);
  await connected(socket);
  const hello = ok(await call(socket, 'session:hello', { locale: 'en', pageUrl: 'http://localhost:5173/pricing' }));
  return { socket, hello };
}

async function withConversation() {
  const v = await visitor();
  const started = ok(await call(v.socket, 'conversation:start', {}));
  return { ...v, conversation: started.conversation, messages: started.messages };
}

const messageRows = (conversationId: string) => t.count('SELECT count(*) FROM messages WHERE conversation_id = ?', conversationId);

describe('/visitor namespace', () => {
  it('streams a bot reply as deltas, then the full message with the same draftId', async () => {
    const { socket } = await visitor();
    const delta = next<{ conversationId: string; draftId: string; text: string }>(socket, 'message:delta');
    const created = next<Message & { draftId?: string }>(socket, 'message:created', (m) => m.draftId !== undefined);
    const { conversation } = ok(await call(socket, 'conversation:start', {}));
    expect(await delta).toEqual({ conversationId: conversation.id, draftId: 'd1', text: 'Hi! ' });
    expect(await created).toMatchObject({ draftId: 'd1', text: 'Hi! Two quick questions.', conversationId: conversation.id });
  });


  it('hello gives a token and the public site settings; start opens the demo survey with 0-10 quick replies', async () => {
    const { hello, messages, conversation } = await withConversation();
    expect(hello.visitorToken.length).toBeGreaterThanOrEqual(32);
    expect(hello.site).toMatchObject({ name: 'Northwind Goods', humansAvailable: true });
    expect(JSON.stringify(hello.site)).not.toContain((await t.server.store.sites.identitySecret((await t.server.store.sites.getByKey('demo'))!.id))!);
    expect(conversation).toMatchObject({ flowId: 'nps', status: 'open', mode: 'bot' });
    expect(messages.at(-1)?.reply?.options.map((o) => o.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('acks a message only after it is committed, then the bot answers', async () => {
    const { socket, conversation } = await withConversation();
    const botReply = next<Message>(socket, 'message:created', (m) => m.author === 'bot');
    const committedAtAck = await new Promise<number>((resolve) => {
      socket.emit('message:send', { conversationId: conversation.id, clientId: 'client-0001', text: '9', value: '9' }, () =>
        resolve(t.count('SELECT count(*) FROM messages WHERE client_id = ? AND conversation_id = ?', 'client-0001', conversation.id)),
      );
    });
    // read through a second connection: the row is on disk (WAL) when the ack arrives
    expect(committedAtAck).toBe(1);
    expect((await botReply).text).toBe('What is the main reason for your score?');
  });

  it('a resend with the same clientId returns the same message, duplicate: true, and stores no second row', async () => {
    const { socket, conversation } = await withConversation();
    const payload = { conversationId: conversation.id, clientId: 'resend-0001', text: 'hello there' };
    const first = ok(await call(socket, 'message:send', payload));
    const again = ok(await call(socket, 'message:send', payload));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ok: true, duplicate: true, message: first.message });
    expect(t.count('SELECT count(*) FROM messages WHERE client_id = ?', 'resend-0001')).toBe(1);
  });

  it('answers each bad input with its code', async () => {
    const { socket, conversation } = await withConversation();
    const other = await withConversation();
    const code = async (event: string, payload: unknown) => {
      const res = await socket.timeout(5000).emitWithAck(event, payload);
      return res.ok ? 'ok' : res.error.code;
    };
    expect(await code('message:send', { conversationId: conversation.id, text: 'no client id' })).toBe('invalid_payload');
    expect(await code('message:send', 'not an object')).toBe('invalid_payload');
    expect(await code('messages:since', { conversationId: conversation.id, afterSeq: -1 })).toBe('invalid_payload');
    expect(await code('no:such-event', {})).toBe('invalid_payload');
    expect(await code('message:send', { conversationId: conversation.id, clientId: 'long-0001', text: 'x'.repeat(2001) })).toBe('message_too_long');
    expect(await code('message:send', { conversationId: other.conversation.id, clientId: 'steal-0001', text: 'hi' })).toBe('not_found');
    expect(await code('messages:since', { conversationId: other.conversation.id, afterSeq: 0 })).toBe('not_found');
    expect(await code('conversation:end', { conversationId: 'no-such-conversation' })).toBe('not_found');
    expect(await code('visitor:identify', { id: 'user-1', userHash: userHash('wrong-secret', 'user-1') })).toBe('invalid_user_hash');
    // the demo's secret is generated at seed time
    const secret = (await t.server.store.sites.identitySecret((await t.server.store.sites.getByKey('demo'))!.id))!;
    expect(await code('visitor:identify', { id: 'user-1', userHash: userHash(secret, 'user-1') })).toBe('ok');
    const invalid = await socket.timeout(5000).emitWithAck('message:send', { conversationId: conversation.id, clientId: 'x' });
    expect(invalid.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['clientId', 'text']));
    expect(other.conversation.id).not.toBe(conversation.id);
    expect(messageRows(other.conversation.id)).toBe(2);
  });

  it('events before session:hello are refused with invalid_token', async () => {
    const socket = connectVisitor(t.server.url);
    sockets.push(socket);
    await connected(socket);
    const res = await call(socket, 'conversation:start', {});
    expect(res.ok ? 'ok' : res.error.code).toBe('invalid_token');
  });

  it('refuses connections from unknown sites and disallowed origins', async () => {
    const unknown = connectVisitor(t.server.url, { siteKey: 'no-such-site' });
    const evil = connectVisitor(t.server.url, {}, 'https://evil.example');
    const noKey = connectVisitor(t.server.url, { siteKey: '' });
    sockets.push(unknown, evil, noKey);
    await expect(connected(unknown)).rejects.toThrow('unknown_site');
    await expect(connected(evil)).rejects.toThrow('origin_not_allowed');
    await expect(connected(noKey)).rejects.toThrow('invalid_payload');
    // any localhost port is allowed by the demo site's http://localhost:* pattern
    const otherPort = connectVisitor(t.server.url, {}, 'http://127.0.0.1:9999');
    sockets.push(otherPort);
    await expect(connected(otherPort)).resolves.toBeUndefined();
  });

  it('long-polling clients get the same origin check as websocket ones', async () => {
    const polling = (origin: string) =>
      connectIo(`${t.server.url}/visitor`, { transports: ['polling'], forceNew: true, reconnection: false, auth: { siteKey: 'demo' }, extraHeaders: { origin } });
    const good = polling('http://localhost:8080');
    const bad = polling('https://evil.example');
    sockets.push(good, bad);
    const refused = connected(bad).then(
      () => 'connected',
      (e: Error) => e.message,
    );
    await connected(good);
    expect(ok(await call(good, 'session:hello', {})).visitorId).toBeTruthy();
    expect(await refused).toBe('origin_not_allowed');
  });

  it('long-polling CORS is granted only to allowed origins, never *', async () => {
    const poll = (origin: string) => fetch(`${t.server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await poll('http://localhost:4000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:4000');
    const denied = await poll('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still serves a normal round trip after 1,000 malformed events, without a fire-and-forget ack crashing it', async () => {
    const { socket, conversation, hello } = await withConversation();
    const bad: unknown[] = [null, 42, 'x', [], { conversationId: 7 }, { text: {} }, { afterSeq: 'a' }, { __proto__: { a: 1 } }];
    const events = ['message:send', 'messages:since', 'conversation:end', 'visitor:identify', 'visitor:typing', 'session:hello', 'nope'];
    const acks: Promise<{ ok: boolean; error?: { code: string } }>[] = [];
    for (let i = 0; i < 1000; i++) {
      const event = events[i % events.length]!;
      const payload = bad[i % bad.length];
      if (i % 10 === 0) socket.emit(event, payload); // no ack function at all
      else if (event !== 'session:hello' && event !== 'nope') acks.push(socket.timeout(10_000).emitWithAck(event, payload));
    }
    const results = await Promise.all(acks);
    expect(results.every((r) => r.ok === false)).toBe(true);
    const codes = new Set(results.map((r) => r.error?.code));
    // the flooding socket is throttled; everything it sent before that was refused as malformed
    expect([...codes].sort()).toEqual(['invalid_payload', 'rate_limited']);
    const fresh = await visitor({ visitorToken: hello.visitorToken });
    const reply = next<Message>(fresh.socket, 'message:created', (m) => m.author === 'bot');
    const sent = ok(await call(fresh.socket, 'message:send', { conversationId: conversation.id, clientId: 'after-flood', text: '10' }));
    expect(sent.message.text).toBe('10');
    expect((await reply).text).toBe('What is the main reason for your score?');
  });

  it('after a reconnect, messages:since returns exactly what was missed', async () => {
    const first = await withConversation();
    const lastSeen = first.messages.at(-1)!.seq;
    first.socket.disconnect();
    const agent = { id: 'agent-1', name: 'Ana' };
    await t.server.service.takeOver(first.conversation.id, agent);
    await t.server.service.sendAgentMessage(first.conversation.id, agent, 'Are you still there?', 'agent-msg-1');
    const back = await visitor({ visitorToken: first.hello.visitorToken });
    expect(back.hello.visitorId).toBe(first.hello.visitorId);
    expect(back.hello.conversation?.id).toBe(first.conversation.id);
    const since = ok(await call(back.socket, 'messages:since', { conversationId: first.conversation.id, afterSeq: lastSeen }));
    expect(since.messages.map((m) => [m.seq, m.author, m.text])).toEqual([
      [lastSeen + 1, 'system', 'Ana joined the conversation.'],
      [lastSeen + 2, 'agent', 'Are you still there?'],
    ]);
  });

  it('take-over, agent messages and hand-back reach the visitor socket; the bot stays quiet meanwhile', async () => {
    const { socket, conversation } = await withConversation();
    const agent = { id: 'agent-2', name: 'Bo' };
    const updated = next<ConversationView>(socket, 'conversation:updated', (c) => c.mode === 'human');
    await t.server.service.takeOver(conversation.id, agent);
    expect(await updated).toMatchObject({ mode: 'human', agentName: 'Bo' });
    const agentMsg = next<Message>(socket, 'message:created', (m) => m.author === 'agent');
    await t.server.service.sendAgentMessage(conversation.id, agent, 'Hi, Bo here.', 'agent-msg-2');
    expect(await agentMsg).toMatchObject({ authorName: 'Bo', text: 'Hi, Bo here.' });
    ok(await call(socket, 'message:send', { conversationId: conversation.id, clientId: 'to-human-1', text: '3' }));
    const back = next<ConversationView>(socket, 'conversation:updated', (c) => c.mode === 'bot');
    await t.server.service.handBack(conversation.id, agent);
    await back;
    await t.server.service.idle();
    const authors = (await t.server.store.messages.list(conversation.id)).map((m) => m.author);
    expect(authors).toEqual(['bot', 'bot', 'system', 'agent', 'visitor', 'system']);
  });

  it('ending enqueues exactly one extract job and tells the visitor once', async () => {
    const { socket, conversation } = await withConversation();
    let endedEvents = 0;
    socket.on('conversation:ended', () => endedEvents++);
    const res = ok(await call(socket, 'conversation:end', { conversationId: conversation.id }));
    expect(res.conversation).toMatchObject({ status: 'ended', endReason: 'visitor' });
    ok(await call(socket, 'conversation:end', { conversationId: conversation.id }));
    const jobs = () => t.count(`SELECT count(*) FROM jobs WHERE kind = 'extract' AND json_extract(payload, '$.conversationId') = ?`, conversation.id);
    expect(jobs()).toBe(1);
    ok(await call(socket, 'messages:since', { conversationId: conversation.id, afterSeq: 0 })); // a round trip flushes pushes
    expect(endedEvents).toBe(1);
    const late = await call(socket, 'message:send', { conversationId: conversation.id, clientId: 'too-late-1', text: 'wait' });
    expect(late.ok ? 'ok' : late.error.code).toBe('conversation_ended');
  });

  it('idle conversations end and the visitor hears why', async () => {
    const { socket, conversation } = await withConversation();
    const ended = next<{ conversationId: string; reason: string }>(socket, 'conversation:ended', (e) => e.conversationId === conversation.id);
    await t.server.service.endIdle(Date.now() + 31 * 60_000);
    expect(await ended).toEqual({ conversationId: conversation.id, reason: 'idle' });
    expect(t.count(`SELECT count(*) FROM jobs WHERE kind = 'extract' AND json_extract(payload, '$.conversationId') = ?`, conversation.id)).toBe(1);
  });
});

describe('rate limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      limits: {
        connectionsPerIp: { capacity: 4, perSecond: 0.01 },
        messagesPerVisitor: { capacity: 3, perSecond: 0.01 },
        messagesPerIp: { capacity: 100, perSecond: 0.01 },
      },
    });
  });
  afterAll(async () => {
    await limited.stop();
  });

  it('too many messages from one visitor are refused with rate_limited and a retry time', async () => {
    const socket = connectVisitor(limited.server.url);
    sockets.push(socket);
    await connected(socket);
    ok(await call(socket, 'session:hello', {}));
    const { conversation } = ok(await call(socket, 'conversation:start', {}));
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await call(socket, 'message:send', { conversationId: conversation.id, clientId: `burst-000${i}`, text: 'x' }));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    const refused = results[3]!;
    expect(refused.ok === false && refused.error.retryAfterMs).toBeGreaterThan(0);
    expect(limited.count('SELECT count(*) FROM messages WHERE conversation_id = ? AND author = ?', conversation.id, 'visitor')).toBe(3);
  });

  it('too many connections from one IP are refused with rate_limited', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = connectVisitor(limited.server.url);
      sockets.push(s);
      codes.push(await connected(s).then(() => 'ok', (e: Error) => e.message));
    }
    // the first test used one connection of the four
    expect(codes).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited', 'rate_limited']);
  });
});
