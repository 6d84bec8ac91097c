/**
 * Hole 6: the /admin namespace answers an unknown event with an error ack.
 * Hole 7: only the agent who took a chat over (or an owner) hands it back, over the socket and
 * through the live service the socket calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connectIo, type Socket } from 'socket.io-client';
import { hashPassword } from '../auth/password.ts';
import { createLiveService } from '../review/live.ts';
import { call, connected, connectVisitor, ok } from '../realtime/test-client.ts';
import { OWNER, signIn, startRealServer, type HostileServer } from './kit.ts';

let s: HostileServer;
const sockets: Socket[] = [];
const cookies: Record<'owner' | 'ana' | 'ben', string> = { owner: '', ana: '', ben: '' };

beforeAll(async () => {
  s = await startRealServer({}, { limits: {} });
  for (const [email, name] of [['ana@acme.test', 'Ana'], ['ben@acme.test', 'Ben']] as const) {
    await s.server.store.admin.users.create({ email, name, role: 'agent', passwordHash: await hashPassword('agent-password-1') });
  }
  cookies.owner = (await signIn(s.server.url, OWNER)).cookie;
  cookies.ana = (await signIn(s.server.url, { email: 'ana@acme.test', password: 'agent-password-1' })).cookie;
  cookies.ben = (await signIn(s.server.url, { email: 'ben@acme.test', password: 'agent-password-1' })).cookie;
});
afterAll(async () => {
  await s.stop();
});
afterEach(() => {
  sockets.splice(0).forEach((x) => x.disconnect());
});

async function adminAs(who: keyof typeof cookies): Promise<Socket> {
  const sock = connectIo(`${s.server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: cookies[who], origin: s.server.url } });
  sockets.push(sock);
  await connected(sock);
  return sock;
}

async function conversation(): Promise<string> {
  const v = connectVisitor(s.server.url);
  sockets.push(v);
  await connected(v);
  ok(await call(v, 'session:hello', { locale: 'en' }));
  return ok(await call(v, 'conversation:start', { flowId: 'support' })).conversation.id;
}

type AckShape = { ok: boolean; error?: { code: string; message: string } };

describe('/admin unknown events (hole 6)', () => {
  it('an unknown event, with or without a payload, is acked with a typed error', async () => {
    const a = await adminAs('ana');
    const r1 = (await a.timeout(5_000).emitWithAck('conversation:delete-everything', { conversationId: 'x' })) as AckShape;
    expect(r1).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(r1.error?.message).toContain('Unknown event');
    const r2 = (await a.timeout(5_000).emitWithAck('__proto__')) as AckShape;
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // the socket still works afterwards
    expect((await a.timeout(5_000).emitWithAck('site:unsubscribe', { siteId: 'x' })) as AckShape).toMatchObject({ ok: true });
  });
});

describe('hand-back (hole 7)', () => {
  it('over the socket: another agent is refused, the one who took over and an owner may', async () => {
    const cid = await conversation();
    const ana = await adminAs('ana');
    const ben = await adminAs('ben');
    const owner = await adminAs('owner');
    expect((await ana.timeout(5_000).emitWithAck('conversation:take-over', { conversationId: cid })) as AckShape).toMatchObject({ ok: true });
    const refused = (await ben.timeout(5_000).emitWithAck('conversation:hand-back', { conversationId: cid })) as AckShape;
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await s.server.store.conversations.get(cid)).toMatchObject({ mode: 'human' });
    expect((await ana.timeout(5_000).emitWithAck('conversation:hand-back', { conversationId: cid })) as AckShape).toMatchObject({ ok: true });
    expect(await s.server.store.conversations.get(cid)).toMatchObject({ mode: 'bot' });

    // an owner may hand back a chat an agent holds
    expect((await ana.timeout(5_000).emitWithAck('conversation:take-over', { conversationId: cid })) as AckShape).toMatchObject({ ok: true });
    expect((await owner.timeout(5_000).emitWithAck('conversation:hand-back', { conversationId: cid })) as AckShape).toMatchObject({ ok: true });
    expect(await s.server.store.conversations.get(cid)).toMatchObject({ mode: 'bot' });
  });

  it('through the live service (what the socket and any API call)', async () => {
    const cid = await conversation();
    const live = createLiveService({ store: s.server.store, conversations: s.server.service, bus: s.server.bus });
    const ana = { id: (await s.server.store.admin.users.getByEmail('ana@acme.test'))!.id, email: 'ana@acme.test', name: 'Ana', role: 'agent' as const };
    const ben = { id: (await s.server.store.admin.users.getByEmail('ben@acme.test'))!.id, email: 'ben@acme.test', name: 'Ben', role: 'agent' as const };
    // awaited whether the live service answers synchronously or with a promise
    await live.takeOver(cid, ana);
    await expect((async () => live.handBack(cid, ben))()).rejects.toThrow(/only they or an owner/);
    expect((await live.handBack(cid, ana)).conversation).toMatchObject({ mode: 'bot' });
  });
});
