/**
 * Teams through the real server (main.ts wiring): an agent of team A cannot see or act on site
 * B's conversations, over the admin API and the /admin namespace; owners see everything.
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminAcks, AdminPayloads } from '../../shared/admin-api.ts';
import type { Ack } from '../../shared/errors.ts';
import { hashPassword } from '../auth/password.ts';
import { call, connected, connectVisitor, ok, startTestServer, type TestServer } from '../realtime/test-client.ts';

let t: TestServer;
let siteA: string;
let siteB: string;
let convA: string;
let convB: string;
const sockets: Socket[] = [];
type Session = { cookie: string; csrf: string };
let ana: Session;
let bo: Session;
let owner: Session;

async function login(email: string, password: string): Promise<Session> {
  const res = await fetch(`${t.server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrfToken };
}

async function api(who: Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string } }; text: string }> {
  const res = await fetch(`${t.server.url}/api/admin${path}`, {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text };
}

async function adminSocket(who: Session): Promise<Socket> {
  const s = connectIo(`${t.server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: who.cookie, origin: t.server.url } });
  sockets.push(s);
  await connected(s);
  return s;
}
const send = <K extends keyof AdminAcks>(s: Socket, event: K, payload: AdminPayloads[K]): Promise<Ack<AdminAcks[K]>> => s.timeout(10_000).emitWithAck(event, payload);

beforeAll(async () => {
  t = await startTestServer();
  const store = t.server.store;
  siteA = (await store.sites.getByKey('demo'))!.id;
  siteB = (await store.sites.create({ key: 'bistro', name: 'Bistro', allowedOrigins: ['https://bistro.test'], identitySecret: 'bistro-secret' })).id;
  const hash = await hashPassword('agent-password-1');
  const anaUser = await store.admin.users.create({ email: 'ana@acme.test', name: 'Ana', role: 'agent', passwordHash: hash });
  const boUser = await store.admin.users.create({ email: 'bo@acme.test', name: 'Bo', role: 'agent', passwordHash: hash });
  await store.admin.users.create({ email: 'olga@acme.test', name: 'Olga', role: 'owner', passwordHash: hash });
  await store.respond.teams.create({ name: 'Team A', memberIds: [anaUser.id], siteIds: [siteA] });
  await store.respond.teams.create({ name: 'Team B', memberIds: [boUser.id], siteIds: [siteB] });

  // site B: an open conversation with an open follow-up
  const c = await store.conversations.create({ siteId: siteB, visitorId: null, flowId: null });
  await store.messages.append(c.id, { author: 'visitor', text: 'Die Reservierung für Samstag ist verschwunden, bitte um Rückruf.' });
  await store.respond.routing.openFollowUp(c.id, Date.now() + 3_600_000, 'high');
  convB = c.id;
  // site A: a live visitor conversation (through the widget socket)
  const v = connectVisitor(t.server.url);
  sockets.push(v);
  await connected(v);
  ok(await call(v, 'session:hello', { locale: 'en' }));
  convA = ok(await call(v, 'conversation:start', {})).conversation.id;

  ana = await login('ana@acme.test', 'agent-password-1');
  bo = await login('bo@acme.test', 'agent-password-1');
  owner = await login('olga@acme.test', 'agent-password-1');
});

afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await t.stop();
});

const ids = (r: { body: Record<string, unknown> }, key = 'items') => (r.body[key] as { id?: string; conversationId?: string }[]).map((x) => x.id ?? x.conversationId);

describe('teams: an agent of team A and site B (admin API)', () => {
  it('lists only the sites and conversations of their teams; owners see all', async () => {
    expect(ids(await api(ana, 'GET', '/sites'), 'sites')).toEqual([siteA]);
    expect(ids(await api(bo, 'GET', '/sites'), 'sites')).toEqual([siteB]);
    expect(ids(await api(owner, 'GET', '/sites'), 'sites').sort()).toEqual([siteA, siteB].sort());

    const mine = ids(await api(ana, 'GET', '/conversations'));
    expect(mine).toContain(convA);
    expect(mine).not.toContain(convB);
    expect(ids(await api(ana, 'GET', `/conversations?siteId=${siteB}`))).toEqual([]);
    expect(ids(await api(bo, 'GET', '/conversations'))).toEqual([convB]);
    expect(ids(await api(owner, 'GET', '/conversations'))).toEqual(expect.arrayContaining([convA, convB]));
  });

  it('cannot open, export, annotate, tag or close site B’s conversations', async () => {
    for (const [method, path, body] of [
      ['GET', `/conversations/${convB}`, undefined],
      ['GET', `/conversations/${convB}/rules`, undefined],
      ['POST', `/conversations/${convB}/notes`, { text: 'peeking' }],
      ['PUT', `/conversations/${convB}/tags`, { tags: ['mine-now'] }],
      ['PUT', `/conversations/${convB}/follow-up`, { status: 'done' }],
      ['GET', `/sites/${siteB}`, undefined],
      ['GET', `/sites/${siteB}/flows`, undefined],
      ['GET', `/sites/${siteB}/rules`, undefined],
      ['GET', `/follow-ups?siteId=${siteB}`, undefined],
      // replies, e-mails and playbooks (respond/reach)
      ['POST', `/conversations/${convB}/reply-draft`, {}],
      ['POST', `/conversations/${convB}/replies`, { text: 'Wir rufen Sie an.', clientKey: 'client-key-0001' }],
      ['GET', `/conversations/${convB}/reach`, undefined],
      ['GET', `/emails?siteId=${siteB}`, undefined],
      ['GET', `/emails?conversationId=${convB}`, undefined],
      ['GET', `/sites/${siteB}/playbooks`, undefined],
    ] as const) {
      const r = await api(ana, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error?.code).toBe('not_found');
    }
    const csv = await api(ana, 'GET', '/conversations/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(convA);
    expect(csv.text).not.toContain(convB);
    expect(ids(await api(ana, 'GET', '/follow-ups'))).toEqual([]);
    expect((await api(ana, 'GET', '/follow-ups/count')).body).toMatchObject({ open: 0 });
    // nothing changed on B
    const seen = await api(bo, 'GET', `/conversations/${convB}`);
    expect(seen.status).toBe(200);
    expect(seen.body.notes).toEqual([]);
    expect(seen.body.conversation).toMatchObject({ tags: [], followUpStatus: 'open' });
    expect(ids(await api(bo, 'GET', '/follow-ups'))).toEqual([convB]);
    expect(await t.server.store.replies.list(convB)).toEqual([]);
    // the e-mail log lists only their sites' e-mails
    await t.server.store.emails.add({ idempotencyKey: 'k-b-1', siteId: siteB, conversationId: convB, to: 'gast@example.de', subject: 'Reservierung', text: '…', messageId: '<b1@x>' });
    expect((await api(ana, 'GET', '/emails')).body.items).toEqual([]);
    expect(((await api(bo, 'GET', '/emails')).body.items as { to: string }[]).map((e) => e.to)).toEqual(['gast@example.de']);
  });
});

describe('teams: an agent of team A and site B (/admin namespace)', () => {
  it('cannot subscribe to site B, watch, take over or answer its conversations', async () => {
    const s = await adminSocket(ana);
    for (const [event, payload] of [
      ['site:subscribe', { siteId: siteB }],
      ['conversation:watch', { conversationId: convB }],
      ['conversation:take-over', { conversationId: convB }],
      ['conversation:hand-back', { conversationId: convB }],
      ['message:send', { conversationId: convB, clientId: 'client-0001', text: 'Hallo!' }],
      ['agent:typing', { conversationId: convB, typing: true }],
    ] as const) {
      const r = await send(s, event, payload as never);
      expect(r.ok, event).toBe(false);
      if (!r.ok) expect(r.error.code, event).toBe('not_found');
    }
    expect((await t.server.store.messages.list(convB)).map((m) => m.author)).toEqual(['visitor']);
    // their own site works
    expect((await send(s, 'site:subscribe', { siteId: siteA })).ok).toBe(true);
    const took = await send(s, 'conversation:take-over', { conversationId: convA });
    expect(took.ok).toBe(true);
    // and B's agent can act on B
    const b = await adminSocket(bo);
    expect((await send(b, 'conversation:watch', { conversationId: convB })).ok).toBe(true);
  });
});
