/**
 * The fuzzer: 10,000 random and mutated inputs, seeded so a failure reproduces (FUZZ_SEED=n):
 * socket events on /visitor (a real widget session) and /admin (a signed-in owner), and HTTP
 * requests on every admin route (walked from the route table) and every other route. The server
 * stays up, every event is acked with { ok } or a typed error (never `internal`), no client
 * mistake gets a 5xx, nothing is logged as a server error, and afterwards every stored row
 * parses with its shared zod schema.
 */
import { request, Agent } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectIo, type Socket } from 'socket.io-client';
import { AdminPayloads, AdminUser } from '../../shared/admin-api.ts';
import { ConversationView } from '../../shared/conversation.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { Extraction } from '../../shared/extraction.ts';
import { Answer, Flow, KbEntry } from '../../shared/flow.ts';
import { Message } from '../../shared/message.ts';
import { LanguageTag, Site } from '../../shared/site.ts';
import { VisitorPayloads } from '../../shared/visitor-events.ts';
import { createAdminServices } from '../http/admin/compose.ts';
import { adminRouteTable } from '../http/admin/router.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { toView } from '../store/conversations.ts';
import { int, mutate, pick, randomString, randomValue, rng, WORDS, type Rng } from './fuzz-gen.ts';
import { captureLog } from './log-sink.ts';
import { connectResult, signIn, startRealServer, visitorSocket, type HostileServer } from './kit.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const TOTAL = { visitor: 4_000, admin: 2_000, http: 4_000 };
const BIG = { capacity: 1e9, perSecond: 1e9 };
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

const sink = captureLog('error');
let s: HostileServer;
let ownerCookie = '';
let ownerCsrf = '';
let spareCookie = '';
let spareCsrf = '';
let fuzzSiteId = '';

beforeAll(async () => {
  s = await startRealServer({}, { log: sink.log, limits: { connectionsPerIp: BIG, eventsPerSocket: BIG, messagesPerVisitor: BIG, messagesPerIp: BIG } });
  const owner = await signIn(s.server.url);
  ownerCookie = owner.cookie;
  ownerCsrf = owner.csrf;
  const spare = await signIn(s.server.url);
  spareCookie = spare.cookie;
  spareCsrf = spare.csrf;
  // the admin HTTP fuzz changes this site, not the demo site the widget session talks to
  fuzzSiteId = (await s.server.store.sites.create({ key: 'fuzz', name: 'Fuzz', allowedOrigins: ['https://fuzz.test'] })).id;
}, 60_000);
afterAll(async () => {
  await s.stop();
});

type AckShape = { ok?: unknown; error?: { code?: unknown; message?: unknown } };
const problems: string[] = [];

function checkAck(where: string, res: unknown): void {
  const a = res as AckShape;
  if (typeof a !== 'object' || a === null || typeof a.ok !== 'boolean') return void problems.push(`${where}: not an ack: ${JSON.stringify(res)?.slice(0, 200)}`);
  if (a.ok) return;
  const code = a.error?.code;
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code) || typeof a.error?.message !== 'string') {
    problems.push(`${where}: untyped error ${JSON.stringify(a.error)?.slice(0, 200)}`);
  } else if (code === 'internal') problems.push(`${where}: internal error`);
}

/** socket.io closes a connection whose frame is over maxHttpBufferSize (100 KB) instead of reading it */
const OVERSIZE = 95_000;

async function emit(sock: Socket, where: string, event: string, payload: unknown, withPayload: boolean): Promise<unknown> {
  if (withPayload && (JSON.stringify(payload)?.length ?? 0) > OVERSIZE) {
    sock.emit(event, payload);
    await new Promise<void>((resolve) => {
      if (!sock.connected) return resolve();
      const t = setTimeout(resolve, 2_000);
      sock.once('disconnect', () => (clearTimeout(t), resolve()));
    });
    if (sock.connected) problems.push(`${where}: an oversize frame was read`);
    return null;
  }
  try {
    return withPayload ? await sock.timeout(15_000).emitWithAck(event, payload) : await sock.timeout(15_000).emitWithAck(event);
  } catch (err) {
    problems.push(`${where}: no ack (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

/** encodeURIComponent, and a raw malformed escape for what it cannot encode (lone surrogates) */
const enc = (v: string): string => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
};

const clientId = (r: Rng) => `fz-${Math.floor(r() * 1e12).toString(36)}-${int(r, 0, 1e6)}`.padEnd(10, 'x');

async function fuzzVisitor(r: Rng): Promise<void> {
  let sock = visitorSocket(s.server.url);
  expect(await connectResult(sock)).toBeNull();
  const hello = (await sock.emitWithAck('session:hello', { locale: 'en' })) as { visitorToken: string };
  const started = (await sock.emitWithAck('conversation:start', { flowId: 'nps', restart: true })) as { conversation: { id: string } };
  let cid = started.conversation.id;
  const events = [...Object.keys(VisitorPayloads), ...WORDS, 'admin:anything', 'message:delete', randomString(r).slice(0, 30)];
  for (let i = 0; i < TOTAL.visitor; i++) {
    if (!sock.connected) {
      sock.close();
      sock = visitorSocket(s.server.url, { visitorToken: hello.visitorToken });
      expect(await connectResult(sock)).toBeNull();
    }
    const event = r() < 0.85 ? pick(r, Object.keys(VisitorPayloads)) : pick(r, events);
    if (RESERVED.has(event)) continue;
    const bases: Record<string, Record<string, unknown>> = {
      'session:hello': { locale: pick(r, ['en', 'de-CH', 'fr', '']), pageUrl: 'https://shop.example/cart' },
      'conversation:start': { flowId: pick(r, ['nps', 'support', 'product-feedback', 'nope']), restart: r() < 0.2 },
      'message:send': { conversationId: cid, clientId: clientId(r), text: pick(r, ['8', 'The parcel came late', 'constructor', 'yes', 'Das war gut']) },
      'messages:since': { conversationId: cid, afterSeq: int(r, 0, 20) },
      'conversation:end': { conversationId: cid },
      'visitor:identify': { id: 'cust-1', name: 'Ana', email: 'ana@example.com', userHash: 'ab'.repeat(32) },
      'visitor:typing': { conversationId: cid, typing: true },
    };
    const base = bases[event] ?? {};
    const res = await emit(sock, `visitor #${i} ${event}`, event, mutate(r, base), r() < 0.95);
    if (res) checkAck(`visitor #${i} ${event}`, res);
    const conv = (res as { ok?: boolean; conversation?: { id?: string } } | null)?.conversation?.id;
    if (event === 'conversation:start' && typeof conv === 'string') cid = conv;
  }
  sock.close();
}

async function fuzzAdmin(r: Rng): Promise<void> {
  const connect = async () => {
    const sock = connectIo(`${s.server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: ownerCookie, origin: s.server.url } });
    expect(await connectResult(sock)).toBeNull();
    return sock;
  };
  let sock = await connect();
  const demoSite = (await s.server.store.sites.getByKey('demo'))!.id;
  const events = [...Object.keys(AdminPayloads), ...WORDS, 'site:delete', 'user:promote', randomString(r).slice(0, 30)];
  for (let i = 0; i < TOTAL.admin; i++) {
    if (!sock.connected) sock = await connect();
    const event = r() < 0.8 ? pick(r, Object.keys(AdminPayloads)) : pick(r, events);
    if (RESERVED.has(event)) continue;
    const cids = (await s.server.store.admin.reviews.openForSite(demoSite) as { id: string }[]).map((c) => c.id);
    const cid = cids.length > 0 && r() < 0.8 ? pick(r, cids) : randomString(r).slice(0, 40);
    const bases: Record<string, Record<string, unknown>> = {
      'site:subscribe': { siteId: demoSite },
      'site:unsubscribe': { siteId: demoSite },
      'conversation:watch': { conversationId: cid },
      'conversation:unwatch': { conversationId: cid },
      'conversation:take-over': { conversationId: cid },
      'conversation:hand-back': { conversationId: cid },
      'message:send': { conversationId: cid, clientId: clientId(r), text: 'Hi, Ana here from support.' },
      'canned:send': { conversationId: cid, clientId: clientId(r), cannedId: int(r, 1, 5) },
      'agent:typing': { conversationId: cid, typing: r() < 0.5 },
    };
    const res = await emit(sock, `admin #${i} ${event}`, event, mutate(r, bases[event] ?? {}), r() < 0.95);
    if (res) checkAck(`admin #${i} ${event}`, res);
  }
  sock.close();
}

const agent = new Agent({ keepAlive: false });
function raw(opts: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer }): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: s.server.port, agent, ...opts, setHost: !opts.headers.host }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(-1));
    });
    req.on('error', (err) => {
      problems.push(`http ${opts.method} ${opts.path}: ${err.message}`);
      resolve(-1);
    });
    req.end(opts.body);
  });
}

async function fuzzHttp(r: Rng): Promise<void> {
  // the route table of a throwaway admin side: only methods and paths are read from it
  const routes = adminRouteTable(createAdminServices(createStore(openDb(':memory:')), createLogger('silent'), { publicUrl: 'http://x' }));
  const others = ['/healthz', '/widget.js', '/widget-panel.js', '/widget-i18n/de.json', '/widget-i18n/xx.json', '/demo', '/', '/admin', '/admin/conversations/x', '/admin/assets/%E0%A4%A.js', '/api/v1/feedback', '/nope', '/%', '/api/admin/%E0%A4%A'];
  const demoConversations = async () => (await s.server.store.admin.reviews.openForSite((await s.server.store.sites.getByKey('demo'))!.id)) as { id: string }[];
  const agentUser = (await s.server.store.admin.users.list()).find((u) => u.role === 'agent');
  for (let i = 0; i < TOTAL.http; i++) {
    const admin = r() < 0.8;
    let method: string;
    let path: string;
    if (admin) {
      const route = pick(r, routes);
      const cids = route.path.includes(':') ? await demoConversations() : [];
      method = r() < 0.9 ? route.method.toUpperCase() : pick(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
      path = `/api/admin${route.path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
        const roll = r();
        if (roll < 0.3) return enc(randomString(r).slice(0, 40)) || 'x';
        if (roll < 0.35) return '%E0%A4%A';
        if (name === 'flowId') return pick(r, ['nps', 'support', 'new-flow']);
        if (name === 'id' && route.path.startsWith('/sites')) return fuzzSiteId;
        if (name === 'id' && route.path.startsWith('/users')) return agentUser?.id ?? 'x';
        if (name === 'id' && route.path.startsWith('/canned')) return String(int(r, 1, 5));
        return cids.length ? pick(r, cids).id : 'x';
      })}`;
      if (r() < 0.2) path += `?${pick(r, ['q', 'limit', 'format', 'status', 'cursor', '__proto__', 'siteId'])}=${enc(randomString(r).slice(0, 50))}`;
    } else {
      method = pick(r, ['GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS']);
      path = pick(r, others);
    }
    // /logout only ever ends the spare session
    const logout = path.includes('/logout');
    const headers: Record<string, string> = {};
    if (r() < 0.85) headers.cookie = logout ? spareCookie : ownerCookie;
    if (r() < 0.75) headers['x-csrf-token'] = logout ? spareCsrf : r() < 0.9 ? ownerCsrf : randomString(r).slice(0, 40).replace(/[^\x20-\x7e]/g, '');
    if (r() < 0.05) headers.range = pick(r, ['bytes=999999-', 'bytes=0-0', 'bytes=x']);
    if (r() < 0.03) headers.host = pick(r, ['evil.example', 'a b', '[::1']);
    let body: string | Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD' && r() < 0.9) {
      const roll = r();
      body = roll < 0.75 ? JSON.stringify(mutate(r, { email: 'owner@acme.test', password: 'wrong', name: 'x', text: 'note', tags: ['a'], status: 'open', json: '{}' })) : roll < 0.9 ? '{"unterminated": ' : JSON.stringify(randomValue(r));
      headers['content-type'] = r() < 0.9 ? 'application/json' : pick(r, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data']);
      if (r() < 0.03) headers['content-encoding'] = pick(r, ['gzip', 'deflate', 'br', 'x-nope']);
    }
    // never our own session's password change with the right password, never the owner deactivated
    if (path.includes('/me/password') && headers.cookie === ownerCookie) headers.cookie = spareCookie;
    const status = await raw({ method, path, headers, ...(body !== undefined ? { body } : {}) });
    if (status >= 500 || status < 0) problems.push(`http #${i} ${method} ${path} -> ${status}`);
  }
}

describe('fuzzer', () => {
  it(`survives ${TOTAL.visitor + TOTAL.admin + TOTAL.http} random and mutated inputs (seed ${SEED})`, async () => {
    await Promise.all([fuzzVisitor(rng(SEED)), fuzzAdmin(rng(SEED + 1)), fuzzHttp(rng(SEED + 2))]);
    await s.server.service.idle();
    if (problems.length) console.log(sink.errors().map((l) => JSON.stringify(l).slice(0, 1500)).join('\n'));
    if (problems.length) console.log([...new Set(problems.map((p) => p.replace(/#\d+ /, '')))].slice(0, 40).join('\n'));
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
    const serverErrors = sink.errors().filter((l) => l.msg !== 'storage fault');
    if (serverErrors.length) console.log(serverErrors.map((l) => `SERVER-ERROR ${l.msg} ${JSON.stringify(l.err ?? "").slice(0, 160)}`).join("\n"));
    expect(serverErrors.map((l) => `${l.msg} ${JSON.stringify(l.err ?? '').slice(0, 300)}`).slice(0, 10)).toEqual([]);
    expect((await fetch(`${s.server.url}/healthz`)).status).toBe(200);

    // nothing malformed was stored: every row reads back through its shared schema
    const store = s.server.store;
    const db = new Database(s.dbPath, { readonly: true });
    try {
      for (const site of await store.sites.list()) {
        Site.parse(site);
        for (const f of await store.flows.list(site.id)) Flow.parse(f);
        for (const e of await store.kb.list(site.id)) KbEntry.parse(e);
      }
      for (const u of await store.admin.users.list()) AdminUser.parse(u);
      const ids = db.prepare<[], string>('SELECT id FROM conversations').pluck().all();
      expect(ids.length).toBeGreaterThan(1);
      for (const id of ids) {
        ConversationView.parse(toView((await store.conversations.get(id))!));
        for (const m of await store.messages.list(id)) {
          Message.parse(m);
          expect(m.text.trim().length, `message ${m.id} is blank`).toBeGreaterThan(0);
        }
        for (const a of await store.answers.list(id)) Answer.parse(a);
        const e = await store.extractions.get(id);
        if (e) Extraction.parse(e);
      }
      for (const locale of db.prepare<[], string | null>('SELECT locale FROM visitors').pluck().all()) if (locale !== null) LanguageTag.parse(locale);
      for (const p of db.prepare<[], string>('SELECT payload FROM jobs').pluck().all()) expect(() => JSON.parse(p) as unknown).not.toThrow();
    } finally {
      db.close();
    }
  }, 240_000);
});
