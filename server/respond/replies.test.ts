/**
 * Replies reach the visitor: live on an open socket, else on the next hello with the unread
 * lines (even for a conversation that ended days ago), and by e-mail when an address is known.
 * A real server (offline engine), real sockets, a real SMTP server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import type { VisitorAcks } from '../../shared/visitor-events.ts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { call, connected, connectVisitor, next, type VisitorSocket } from '../realtime/test-client.ts';
import { header, startTestSmtp, type TestSmtp } from './smtp-test-server.ts';

const ADMIN = { email: 'lead@northwind.test', password: 'lead-password-1' };
let smtp: TestSmtp;
let server: RunningServer;
let dir: string;
const sockets: VisitorSocket[] = [];

beforeEach(async () => {
  smtp = await startTestSmtp();
  dir = mkdtempSync(join(tmpdir(), 'parley-replies-'));
  server = await startServer(loadConfig({
    PORT: '0', HOST: '127.0.0.1', PARLEY_DB: join(dir, 'p.db'), PARLEY_LLM: 'offline', LOG_LEVEL: 'silent',
    PARLEY_ADMIN_EMAIL: ADMIN.email, PARLEY_ADMIN_PASSWORD: ADMIN.password,
    SMTP_URL: smtp.url, PARLEY_MAIL_FROM: 'Northwind Support <help@northwind.test>',
  }));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

async function visitor(token?: string) {
  const socket = connectVisitor(server.url, token ? { visitorToken: token } : {});
  sockets.push(socket);
  await connected(socket);
  const hello = await call(socket, 'session:hello', { locale: 'de-DE' });
  if (!hello.ok) throw new Error(hello.error.message);
  return { socket, hello };
}

async function admin() {
  const login = await fetch(`${server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/admin${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

/** a finished conversation in German with an e-mail left through identify() */
async function endedConversation() {
  const { socket, hello } = await visitor();
  await call(socket, 'visitor:identify', { id: 'cust-5521', name: 'Kasia', email: 'kasia.nowak@example.org' });
  const started = (await call(socket, 'conversation:start', { flowId: 'nps' })) as { ok: true } & VisitorAcks['conversation:start'];
  const id = started.conversation.id;
  await call(socket, 'message:send', { conversationId: id, clientId: 'cl-000000001', text: '4 – das Paket kam neun Tage zu spät und niemand hat geantwortet' });
  await call(socket, 'conversation:end', { conversationId: id });
  await server.service.idle();
  return { socket, token: (hello as { visitorToken: string }).visitorToken, conversationId: id };
}

describe('a reply from the admin page', () => {
  it('reaches the visitor live, once, and by e-mail in their language, even when Send is pressed twice', async () => {
    const { socket, conversationId } = await endedConversation();
    const api = await admin();
    const live = next<Message>(socket, 'message:created', (m) => m.author === 'agent');
    const body = { text: 'Hallo Kasia, das tut mir leid. Wir erstatten die Versandkosten.', clientKey: 'send-0001' };
    const first = await api('POST', `/conversations/${conversationId}/replies`, body);
    const again = await api('POST', `/conversations/${conversationId}/replies`, body);
    expect(first.status).toBe(200);
    expect(again.body.reply).toEqual(first.body.reply);
    const pushed = await live;
    expect(pushed).toMatchObject({ author: 'agent', conversationId, text: body.text });

    const transcript = (await server.store.messages.list(conversationId)).filter((m) => m.author === 'agent');
    expect(transcript).toHaveLength(1);
    await waitFor(async () => (await server.store.emails.log({ conversationId, limit: 5 }))[0]?.status === 'sent');
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['kasia.nowak@example.org']);
    expect(header(mail.raw, 'Subject')).toMatch(/Antwort/);
    expect(mail.raw).toContain('Versandkosten');
  });

  it('shows the reply with its unread line on the next visit, days after the conversation ended, until read', async () => {
    const { socket, token, conversationId } = await endedConversation();
    socket.disconnect();
    // the conversation ended long ago: a plain hello would greet the visitor afresh
    const weekAgo = Date.now() - 8 * 24 * 60 * 60 * 1000;
    const api = await admin();
    await api('POST', `/conversations/${conversationId}/replies`, { text: 'We found your parcel; it arrives tomorrow.', clientKey: 'send-0002', emailToo: false });
    backdate(conversationId, weekAgo);

    const back = await visitor(token);
    const hello = back.hello as { ok: true } & VisitorAcks['session:hello'];
    expect(hello.conversation?.id).toBe(conversationId);
    expect(hello.conversation?.status).toBe('ended');
    const reply = hello.messages.find((m) => m.author === 'agent')!;
    expect(reply.text).toBe('We found your parcel; it arrives tomorrow.');
    expect(hello.unread).toEqual([reply.seq]);
    expect(hello.awaiting).toBe(true);

    expect((await call(back.socket, 'messages:read', { conversationId, seq: reply.seq })).ok).toBe(true);
    const later = (await visitor(token)).hello as { ok: true } & VisitorAcks['session:hello'];
    expect(later.unread).toEqual([]);
    // read and long ended: the next visit starts afresh
    expect(later.conversation).toBeNull();
  });

  it('another visitor cannot mark someone else\'s replies read', async () => {
    const { conversationId } = await endedConversation();
    const stranger = await visitor();
    const res = await call(stranger.socket, 'messages:read', { conversationId, seq: 99 });
    expect(res.ok).toBe(false);
  });
});

function backdate(conversationId: string, at: number) {
  // the store has no API to move time; a raw write through the same database file
  const db = new Database(join(dir, 'p.db'));
  db.prepare('UPDATE conversations SET ended_at = ?, started_at = ? WHERE id = ?').run(at, at - 60_000, conversationId);
  db.close();
}

async function waitFor(cond: () => Promise<boolean> | boolean) {
  for (let i = 0; i < 500 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await cond()).toBe(true);
}
