/**
 * The whole path through main.ts: a conversation ends -> extraction -> the demo site's rules ->
 * follow-up in the inbox, signed webhooks at a local receiver, e-mail through the ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedEnded, DETRACTOR } from '../analysis/test-fixtures.ts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { recordingPorts } from './recording-ports.ts';
import { verify } from './signature.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';

let dir: string;
let server: RunningServer;
let receiver: Receiver;
const ports = recordingPorts();
let cookie = '';
let csrf = '';

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/admin${path}`, {
    method,
    headers: { cookie, 'x-csrf-token': csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-respond-'));
  receiver = await startReceiver();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DB: join(dir, 'parley.db'),
    PARLEY_LLM: 'offline',
    LOG_LEVEL: 'silent',
    PARLEY_ADMIN_EMAIL: 'owner@northwind.example',
    PARLEY_ADMIN_PASSWORD: 'owner-password-1',
    PARLEY_WEBHOOKS_ALLOW_PRIVATE: '1',
    // the inbox below holds only this test's follow-up
    PARLEY_DEMO_HISTORY: 'false',
  });
  server = await startServer(config, { responsePorts: ports });
  const res = await fetch(`${server.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@northwind.example', password: 'owner-password-1' }),
  });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
});

afterAll(async () => {
  await server.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a detractor with an unmet expectation fires the demo rules: follow-up in the inbox, signed webhooks, in order', async () => {
  const siteId = (await server.store.sites.getByKey('demo'))!.id;
  const rules = await api('GET', `/sites/${siteId}/rules`);
  expect((rules.body.rules as { name: string }[]).map((r) => r.name)).toContain('Detractor with an unmet expectation: call back within a day');
  const created = await api('POST', `/sites/${siteId}/webhooks`, {
    name: 'ops',
    url: receiver.url,
    events: ['conversation.analysed', 'rule.fired', 'follow_up.opened'],
  });
  expect(created.status).toBe(200);
  const secret = created.body.secret as string;

  const conversationId = await seedEnded(server.store, siteId, DETRACTOR);
  await receiver.waitFor(4);
  const got = receiver.received.map((r) => ({ ...(JSON.parse(r.body) as { event: string; conversationId: string; data: { ruleName?: string } }), r }));
  for (const g of got) expect(verify(secret, String(g.r.headers['parley-signature']), String(g.r.headers['parley-timestamp']), g.r.body)).toBe(true);
  expect(got.every((g) => g.conversationId === conversationId)).toBe(true);
  expect(got[0]?.event).toBe('conversation.analysed');
  expect(got.map((g) => g.event)).toContain('follow_up.opened');
  expect(got.filter((g) => g.event === 'rule.fired').map((g) => g.data.ruleName)).toContain('Detractor with an unmet expectation: call back within a day');

  const fired = await api('GET', `/conversations/${conversationId}/rules`);
  expect(fired.body.routing).toMatchObject({ priority: 'high' });
  const firing = (fired.body.firings as { ruleName: string; reasons: string[] }[]).find((f) => f.ruleName.startsWith('Detractor'));
  expect(firing?.reasons).toEqual(['NPS category is detractor', expect.stringMatching(/^unmet expectation/)]);
  const inbox = await api('GET', '/follow-ups');
  expect(inbox.body.items).toEqual([expect.objectContaining({ conversationId, status: 'open', priority: 'high' })]);
  expect((await api('GET', '/follow-ups/count')).body).toMatchObject({ open: 1 });

  // re-analysis: nothing is sent again
  const before = receiver.received.length;
  await server.store.jobs.enqueue('extract', { conversationId }, { dedupeKey: `extract:${conversationId}` });
  for (;;) {
    const counts = await server.store.jobs.counts();
    if (counts.pending === 0 && counts.running === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(receiver.received.length).toBe(before);
  expect(ports.emails).toHaveLength(0);
});
