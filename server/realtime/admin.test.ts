import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connectIo, type Socket } from 'socket.io-client';
import type { AdminAcks, AdminPayloads } from '../../shared/admin-api.ts';
import type { Ack } from '../../shared/errors.ts';
import type { Message } from '../../shared/message.ts';
import type { ConversationView } from '../../shared/conversation.ts';
import { hashPassword } from '../auth/password.ts';
import { call, connected, connectVisitor, next, ok, startTestServer, type TestServer, type VisitorSocket } from './test-client.ts';

let t: TestServer;
let cookie: string;
let demoSiteId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestServer();
  await t.server.store.admin.users.create({ email: 'ana@acme.test', name: 'Ana', role: 'agent', passwordHash: await hashPassword('agent-password-1') });
  const res = await fetch(`${t.server.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@acme.test', password: 'agent-password-1' }),
  });
  expect(res.status).toBe(200);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  demoSiteId = (await t.server.store.sites.getByKey('demo'))!.id;
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.disconnect());
});

function connectAdmin(headers: Record<string, string>): Socket {
  const s = connectIo(`${t.server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
  sockets.push(s);
  return s;
}

async function admin(): Promise<Socket> {
  const s = connectAdmin({ cookie, origin: t.server.url });
  await connected(s);
  return s;
}

function send<K extends keyof AdminAcks>(s: Socket, event: K, payload: AdminPayloads[K] | unknown): Promise<Ack<AdminAcks[K]>> {
  return s.timeout(10_000).emitWithAck(event, payload);
}

async function visitorWithConversation(): Promise<{ socket: VisitorSocket; conversation: ConversationView }> {
  const socket = connectVisitor(t.server.url);
  sockets.push(socket);
  await connected(socket);
  ok(await call(socket, 'session:hello', { locale: 'en' }));
  const started = ok(await call(socket, 'conversation:start', {}));
  return { socket, conversation: started.conversation };
}

describe('/admin namespace handshake', () => {
  it('refuses a socket without a session cookie', async () => {
    await expect(connected(connectAdmin({ origin: t.server.url }))).rejects.toThrow('unauthorized');
  });

  it('refuses a visitor token in place of the session', async () => {
    const socket = connectVisitor(t.server.url);
    sockets.push(socket);
    await connected(socket);
    const { visitorToken } = ok(await call(socket, 'session:hello', { locale: 'en' }));
    await expect(connected(connectAdmin({ origin: t.server.url, cookie: `parley_admin=${visitorToken}` }))).rejects.toThrow('unauthorized');
  });

  it('refuses another origin even with a valid cookie', async () => {
    await expect(connected(connectAdmin({ cookie, origin: 'http://localhost:5173' }))).rejects.toThrow('forbidden');
  });
});

describe('/admin live conversations', () => {
  it('acks every event; a malformed payload gets invalid_payload, an unknown conversation not_found', async () => {
    const a = await admin();
    const bad = await send(a, 'conversation:watch', { conversationId: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const none = await send(a, 'conversation:watch', { conversationId: 'nope' });
    expect(none).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const noSite = await send(a, 'site:subscribe', { siteId: 'nope' });
    expect(noSite).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // no payload at all still gets an ack
    expect(await a.timeout(10_000).emitWithAck('conversation:take-over')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('a site subscriber sees open conversations and new messages live', async () => {
    const a = await admin();
    const v = await visitorWithConversation();
    const sub = ok(await send(a, 'site:subscribe', { siteId: demoSiteId }));
    expect(sub.open.map((c) => c.id)).toContain(v.conversation.id);
    const seen = next<{ conversationId: string; message: Message }>(a, 'message:created', (e) => e.message.author === 'visitor');
    ok(await call(v.socket, 'message:send', { conversationId: v.conversation.id, clientId: 'client-live-1', text: '7', value: '7' }));
    const e = await seen;
    expect(e).toMatchObject({ conversationId: v.conversation.id, siteId: demoSiteId, message: { text: '7' } });
  });

  it('take over pauses the bot and reaches the visitor as a person; hand back resumes the bot', async () => {
    const a = await admin();
    const v = await visitorWithConversation();
    const cid = v.conversation.id;
    const watched = ok(await send(a, 'conversation:watch', { conversationId: cid }));
    expect(watched.messages.length).toBeGreaterThan(0);

    const modeSeen = next<ConversationView>(v.socket, 'conversation:updated', (c) => c.mode === 'human');
    const took = ok(await send(a, 'conversation:take-over', { conversationId: cid }));
    expect(took.conversation).toMatchObject({ mode: 'human', agentName: 'Ana' });
    expect(await modeSeen).toMatchObject({ id: cid, mode: 'human', agentName: 'Ana' });

    // the agent's message reaches the widget marked as a person
    const agentMsg = next<Message>(v.socket, 'message:created', (m) => m.author === 'agent');
    ok(await send(a, 'message:send', { conversationId: cid, clientId: 'agent-msg-0001', text: 'Hi, Ana here <b>hello</b>' }));
    expect(await agentMsg).toMatchObject({ author: 'agent', authorName: 'Ana', text: 'Hi, Ana here <b>hello</b>' });

    // the visitor sees the person typing
    const typing = next<{ author: string; typing: boolean }>(v.socket, 'typing:changed', (e) => e.author === 'agent');
    ok(await send(a, 'agent:typing', { conversationId: cid, typing: true }));
    expect(await typing).toMatchObject({ conversationId: cid, author: 'agent', typing: true });

    // the visitor's message reaches the agent; the bot stays quiet
    const toAgent = next<{ message: Message }>(a, 'message:created', (e) => e.message.author === 'visitor');
    ok(await call(v.socket, 'message:send', { conversationId: cid, clientId: 'client-human-1', text: '8', value: '8' }));
    await toAgent;

    // a canned response with placeholders
    const canned = await t.server.store.admin.canned.create({ siteId: null, shortcut: 'hi', title: 'Hi', text: 'Thanks for waiting, this is {{agent.name}} from {{site.name}}.' });
    const cannedMsg = next<Message>(v.socket, 'message:created', (m) => m.author === 'agent' && m.text.startsWith('Thanks'));
    ok(await send(a, 'canned:send', { conversationId: cid, clientId: 'agent-msg-0002', cannedId: canned.id }));
    expect((await cannedMsg).text).toBe(`Thanks for waiting, this is Ana from ${(await t.server.store.sites.getById(demoSiteId))!.name}.`);

    const botBack = next<ConversationView>(v.socket, 'conversation:updated', (c) => c.mode === 'bot');
    ok(await send(a, 'conversation:hand-back', { conversationId: cid }));
    await botBack;
    const botReply = next<Message>(v.socket, 'message:created', (m) => m.author === 'bot');
    ok(await call(v.socket, 'message:send', { conversationId: cid, clientId: 'client-bot-2', text: 'because it works', value: undefined }));
    await botReply;
    await t.server.service.idle();

    // while a person had the chat, no bot message was written
    const transcript = ok(await send(a, 'conversation:watch', { conversationId: cid })).messages;
    const joined = transcript.findIndex((m) => m.author === 'system' && m.text.includes('joined'));
    const left = transcript.findIndex((m) => m.author === 'system' && m.text.includes('left'));
    expect(joined).toBeGreaterThan(-1);
    expect(left).toBeGreaterThan(joined);
    expect(transcript.slice(joined, left).some((m) => m.author === 'bot')).toBe(false);
    expect(transcript.slice(left).some((m) => m.author === 'bot')).toBe(true);
  });

  it('an agent cannot answer a chat it has not taken over', async () => {
    const a = await admin();
    const v = await visitorWithConversation();
    const res = await send(a, 'message:send', { conversationId: v.conversation.id, clientId: 'agent-msg-0003', text: 'hello' });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('after logout the next event is refused and the socket is closed', async () => {
    const login = await fetch(`${t.server.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@acme.test', password: 'agent-password-1' }),
    });
    const c2 = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf2 = ((await login.json()) as { csrfToken: string }).csrfToken;
    const s = connectAdmin({ cookie: c2, origin: t.server.url });
    await connected(s);
    const out = await fetch(`${t.server.url}/api/admin/logout`, { method: 'POST', headers: { cookie: c2, 'x-csrf-token': csrf2, 'content-type': 'application/json' }, body: '{}' });
    expect(out.status).toBe(200);
    const closed = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    expect(await send(s, 'site:subscribe', { siteId: demoSiteId })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await closed;
  });
});
