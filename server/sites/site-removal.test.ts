/**
 * A deleted site (the whole server, offline engine): visitors with its key are refused, a visitor
 * still connected gets nothing more from it, and nothing of its flows or knowledge base is served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { call, connected, connectVisitor, DEMO_ORIGIN, next, ok, type VisitorSocket } from '../realtime/test-client.ts';

let dir: string;
let server: RunningServer;
const sockets: VisitorSocket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-site-removal-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DB: join(dir, 'parley.db'), PARLEY_LLM: 'offline', LOG_LEVEL: 'silent', PARLEY_DEMO_HISTORY: 'false' });
  server = await startServer(config);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const visitorOf = async (siteKey: string) => {
  const socket = connectVisitor(server.url, { siteKey });
  sockets.push(socket);
  await connected(socket);
  return socket;
};

describe('deleting a site', () => {
  it('refuses its visitors and serves none of its flows or knowledge base afterwards', async () => {
    const site = await server.store.sites.create({ key: 'gone', name: 'Gone', allowedOrigins: [DEMO_ORIGIN] });
    await server.store.flows.upsert(site.id, { id: 'help', kind: 'support', name: 'Help', intro: 'Ask me anything.' });
    await server.store.kb.upsert(site.id, { id: 'reset', title: 'Reset your password', body: 'Open Settings and choose Reset password; the link arrives by e-mail.', tags: ['password'] });

    const socket = await visitorOf('gone');
    ok(await call(socket, 'session:hello', { locale: 'en' }));
    const started = ok(await call(socket, 'conversation:start', { flowId: 'help' }));
    const answer = next<{ author: string; text: string }>(socket, 'message:created', (m) => m.author === 'bot');
    ok(await call(socket, 'message:send', { conversationId: started.conversation.id, clientId: 'c-reset-1', text: 'How do I reset my password?' }));
    expect((await answer).text).toContain('Reset password');

    expect(await server.store.sites.remove(site.id)).toBe(true);

    // a new visitor with its key is refused at the handshake
    const late = connectVisitor(server.url, { siteKey: 'gone' });
    sockets.push(late);
    await expect(connected(late)).rejects.toThrow('unknown_site');
    // the visitor still connected gets no further turn
    const again = await call(socket, 'conversation:start', { flowId: 'help' });
    expect(again.ok ? 'ok' : again.error.code).toBe('unknown_site');
    // and nothing of the site is served from a cache
    expect(await server.store.flows.get(site.id, 'help')).toBeNull();
    expect(await server.store.kb.list(site.id)).toEqual([]);
    // the other sites carry on
    const demo = await visitorOf('demo');
    ok(await call(demo, 'session:hello', { locale: 'en' }));
  });
});
