/**
 * Test doubles for the admin page: a fetch that answers /api/admin routes from a table and
 * records every request, and a LiveClient that records calls and lets a test push events.
 */
import type { ConversationView } from '../../../shared/conversation.ts';
import type { Message } from '../../../shared/message.ts';
import { createAdminApi, type AdminApi } from '../api/admin-api.ts';
import { createHttp } from '../api/http.ts';
import type { LiveClient, LiveHandler, LiveEvent } from '../api/live.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

type Reply = { status?: number; body: unknown } | ((req: RecordedRequest) => { status?: number; body: unknown });

export function fakeApi(routes: Record<string, Reply>) {
  const requests: RecordedRequest[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://admin.test');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/admin/, '');
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const req: RecordedRequest = {
      method,
      path,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers,
    };
    requests.push(req);
    const route = routes[`${method} ${path}`];
    const reply = typeof route === 'function' ? route(req) : route;
    if (!reply) {
      return new Response(JSON.stringify({ ok: false, error: { code: 'not_found', message: `no route ${method} ${path}` } }), { status: 404 });
    }
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } });
  };
  const http = createHttp({ base: '/api/admin', fetchFn });
  http.setCsrfToken('csrf-test');
  const api: AdminApi = createAdminApi(http);
  return { api, requests, http, routes };
}

export function fakeLive() {
  const calls: { method: string; args: unknown[] }[] = [];
  const handlers = new Map<string, Set<LiveHandler>>();
  const view = (conversationId: string, mode: 'bot' | 'human'): ConversationView => ({
    id: conversationId,
    flowId: 'support',
    status: 'open',
    mode,
    agentName: mode === 'human' ? 'Ana' : null,
    startedAt: 1,
    endedAt: null,
    endReason: null,
  });
  const add = (key: string, h: LiveHandler) => {
    const set = handlers.get(key) ?? new Set();
    set.add(h);
    handlers.set(key, set);
    return () => void set.delete(h);
  };
  const live: LiveClient = {
    subscribeSite(siteId, h) {
      calls.push({ method: 'subscribeSite', args: [siteId] });
      return add(`site:${siteId}`, h);
    },
    watch(conversationId, h) {
      calls.push({ method: 'watch', args: [conversationId] });
      return add(`conversation:${conversationId}`, h);
    },
    async takeOver(conversationId) {
      calls.push({ method: 'takeOver', args: [conversationId] });
      return view(conversationId, 'human');
    },
    async handBack(conversationId) {
      calls.push({ method: 'handBack', args: [conversationId] });
      return view(conversationId, 'bot');
    },
    async send(conversationId, text) {
      calls.push({ method: 'send', args: [conversationId, text] });
      const m: Message = { id: 999, conversationId, seq: 99, clientId: null, author: 'agent', authorName: 'Ana', text, reply: null, createdAt: 2 };
      return m;
    },
    async sendCanned(conversationId, cannedId) {
      calls.push({ method: 'sendCanned', args: [conversationId, cannedId] });
      const m: Message = { id: 998, conversationId, seq: 98, clientId: null, author: 'agent', authorName: 'Ana', text: 'canned', reply: null, createdAt: 2 };
      return m;
    },
    typing(conversationId, typing) {
      calls.push({ method: 'typing', args: [conversationId, typing] });
    },
    onSessionEnded: () => () => undefined,
    close() {
      calls.push({ method: 'close', args: [] });
    },
  };
  const push = (key: string, e: LiveEvent) => {
    for (const h of handlers.get(key) ?? []) h(e);
  };
  return { live, calls, push };
}
