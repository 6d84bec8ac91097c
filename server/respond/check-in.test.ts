/**
 * The detractor check-in through the real server and the offline engine: a detractor finishes the
 * demo survey -> the playbook schedules a check-in N days out -> when due, the visitor's next
 * visit opens a short CSAT chat (shown as unread) -> their answer marks the first conversation
 * "not recovered" in the admin API.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import type { ConversationReach } from '../../shared/reach.ts';
import type { VisitorAcks } from '../../shared/visitor-events.ts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { call, connected, connectVisitor, next, type VisitorSocket } from '../realtime/test-client.ts';

const ADMIN = { email: 'owner@northwind.test', password: 'owner-password-1' };
let server: RunningServer;
let dir: string;
const sockets: VisitorSocket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-checkin-'));
  server = await startServer(loadConfig({
    PORT: '0', HOST: '127.0.0.1', PARLEY_DB: join(dir, 'p.db'), PARLEY_LLM: 'offline', LOG_LEVEL: 'silent',
    PARLEY_ADMIN_EMAIL: ADMIN.email, PARLEY_ADMIN_PASSWORD: ADMIN.password,
  }));
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function adminApi() {
  const login = await fetch(`${server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/admin${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
}

async function until<T>(read: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function visit(token?: string) {
  const socket = connectVisitor(server.url, token ? { visitorToken: token } : {});
  sockets.push(socket);
  await connected(socket);
  const hello = await call(socket, 'session:hello', { locale: 'en-US' });
  if (!hello.ok) throw new Error(hello.error.message);
  return { socket, hello };
}

/** send and wait for the bot's next line */
async function answer(socket: VisitorSocket, conversationId: string, text: string, n: number, value?: string) {
  const reply = next<Message>(socket, 'message:created', (m) => m.author === 'bot' && m.conversationId === conversationId);
  const sent = await call(socket, 'message:send', { conversationId, clientId: `cl-check-${n}`, text, ...(value ? { value } : {}) });
  expect(sent.ok).toBe(true);
  return reply;
}

describe('playbook: ask a detractor again', () => {
  it('opens a short CSAT chat on the next visit once due and records "not recovered" on the first conversation', async () => {
    const api = await adminApi();
    const siteId = (await server.store.sites.getByKey('demo'))!.id;
    await api('PUT', `/sites/${siteId}/playbooks`, { recheckDetractors: { enabled: true, afterDays: 3 } });

    const first = await visit();
    const token = (first.hello as VisitorAcks['session:hello']).visitorToken;
    const started = await call(first.socket, 'conversation:start', { flowId: 'nps' });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.conversation.id;
    await answer(first.socket, id, '2', 1, '2');
    await answer(first.socket, id, 'The blender I ordered arrived broken and support never wrote back to me.', 2);
    const ended = next(first.socket, 'conversation:ended');
    await call(first.socket, 'message:send', { conversationId: id, clientId: 'cl-check-3', text: '1', value: '1' });
    await ended;
    first.socket.disconnect();

    const run = await until(async () => (await server.store.playbooks.list(id)).find((r) => r.playbook === 'recheck_detractor'), 'the check-in to be scheduled');
    expect(run.status).toBe('scheduled');
    expect(run.runAt).toBeGreaterThan(Date.now() + 2.9 * 24 * 3600_000);
    // a visit before it is due changes nothing
    const early = await visit(token);
    expect((early.hello as VisitorAcks['session:hello']).conversation?.id).toBe(id);
    early.socket.disconnect();

    // three days pass: the job becomes due (a second connection moves its time; the worker polls)
    const db = new Database(join(dir, 'p.db'));
    db.prepare("UPDATE jobs SET run_at = 0 WHERE kind = 'playbook'").run();
    db.close();
    await until(async () => (await server.store.playbooks.list(id))[0]?.status === 'sent', 'the check-in to come due');

    const back = await visit(token);
    const hello = back.hello as VisitorAcks['session:hello'];
    const checkIn = hello.conversation!;
    expect(checkIn.id).not.toBe(id);
    expect(checkIn.status).toBe('open');
    expect(checkIn.flowId).toBe('parley-recheck-en');
    const question = hello.messages.find((m) => m.text.includes('Has it got better'))!;
    expect(hello.unread).toContain(question.seq);
    expect((await server.store.playbooks.list(id))[0]!.recheckConversationId).toBe(checkIn.id);

    await answer(back.socket, checkIn.id, '2', 4, '2');
    const done = next(back.socket, 'conversation:ended');
    await call(back.socket, 'message:send', { conversationId: checkIn.id, clientId: 'cl-check-5', text: 'Still waiting for a replacement, two weeks now.' });
    await done;

    await until(async () => (await server.store.playbooks.list(id))[0]?.outcome, 'the answer to be analysed');
    const shown = await api<ConversationReach>('GET', `/conversations/${id}/reach`);
    expect(shown.recovery).toBe('not_recovered');
    expect(shown.playbooks[0]).toMatchObject({ status: 'answered', recheckConversationId: checkIn.id });
  });
});
