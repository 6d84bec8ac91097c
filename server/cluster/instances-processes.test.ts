/**
 * Issue 13's proof with real processes: Parley instances (server/main.ts, each a child process)
 * against one real PostgreSQL database and one real Redis, driven over their sockets and HTTP the
 * way the widget and the admin page use them, checked against PostgreSQL directly.
 *
 * The tests share instances A and B and run in order; the last one kills A.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationView } from '../../shared/conversation.ts';
import type { Message } from '../../shared/message.ts';
import { startBalancer, type Balancer } from '../../e2e/helpers/balancer.ts';
import {
  adminCall,
  adminLogin,
  connectAdmin,
  connectVisitor,
  nextOn,
  ok,
  startCluster,
  startOutboxVisitor,
  visitorCall,
  waitFor,
  type AdminSocket,
  type Cluster,
  type OutboxVisitor,
  type VisitorSocket,
} from '../../e2e/helpers/cluster.ts';
import { testDatabase } from '../testing/pg-test.ts';
import { startRedis, type RedisServer } from '../testing/redis.ts';

type AdminMessage = { conversationId: string; message: Message };
type AdminUpdate = { conversationId: string; conversation: ConversationView };

let redis: RedisServer | null = null;
let cluster: Cluster | null = null;
let db: pg.Pool | null = null;
let balancer: Balancer | null = null;
let siteId = '';
const sockets: Array<{ close(): unknown }> = [];

const c = (): Cluster => {
  if (!cluster) throw new Error('the cluster did not start');
  return cluster;
};
const q = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => {
  if (!db) throw new Error('no database');
  return (await db.query<T>(text, params)).rows;
};
const detail = () => cluster?.output() ?? '';

beforeAll(async () => {
  const databaseUrl = await testDatabase(`parley_instances_${process.pid}`);
  db = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  redis = await startRedis();
  cluster = await startCluster({ databaseUrl, redisUrl: redis.url, names: ['A', 'B'] });
  const [site] = await q<{ id: string }>(`SELECT id FROM sites WHERE key = 'demo'`);
  if (!site) throw new Error('the first instance did not seed the demo site');
  siteId = site.id;
}, 120_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await balancer?.close();
  await cluster?.close();
  await redis?.close();
  await db?.end();
}, 60_000);

/** a visitor socket straight to `base`, with an open conversation (the default survey) */
async function visitorOn(base: string): Promise<{ socket: VisitorSocket; conversationId: string }> {
  const socket = await connectVisitor(base);
  sockets.push(socket);
  ok(await visitorCall(socket, 'session:hello', { locale: 'en' }));
  const started = ok(await visitorCall(socket, 'conversation:start', {}));
  return { socket, conversationId: started.conversation.id };
}

/** an admin signed in through `base`'s admin API, its socket on `base`'s /admin namespace */
async function adminOn(base: string): Promise<AdminSocket> {
  const socket = await connectAdmin(base, await adminLogin(base));
  sockets.push(socket);
  ok(await adminCall(socket, 'site:subscribe', { siteId }));
  return socket;
}

/** the admin takes the conversation over; resolves once the visitor saw the person arrive */
async function takeOver(admin: AdminSocket, visitor: VisitorSocket | null, conversationId: string): Promise<void> {
  ok(await adminCall(admin, 'conversation:watch', { conversationId }));
  const seen = visitor ? nextOn<ConversationView>(visitor, 'conversation:updated', (v) => v.id === conversationId && v.mode === 'human') : null;
  const took = ok(await adminCall(admin, 'conversation:take-over', { conversationId }));
  expect(took.conversation.mode).toBe('human');
  await seen;
}

const rowsFor = (conversationId: string, clientId: string) =>
  q<{ n: number; seq: number | null }>(`SELECT count(*)::int AS n, min(seq) AS seq FROM messages WHERE conversation_id = $1 AND client_id = $2`, [conversationId, clientId]);

describe('Parley instances A and B on one PostgreSQL and one Redis', () => {
  it('a visitor on A and an admin on B see each other live; acks follow commits; the extraction job runs once', async () => {
    const A = c().get('A');
    const B = c().get('B');
    // both run on the shared PostgreSQL and Redis (not on a SQLite file of their own)
    for (const i of [A, B]) {
      const health = (await (await fetch(`${i.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health, `instance ${i.name}`).toMatchObject({ ok: true, database: 'postgres', redis: 'up' });
    }
    const admin = await adminOn(B.url);
    const { socket: visitor, conversationId } = await visitorOn(A.url);

    // the admin on B learns of the conversation started on A
    const open = ok(await adminCall(admin, 'site:subscribe', { siteId }));
    expect(open.open.map((o) => o.id)).toContain(conversationId);

    // take-over on B reaches the visitor on A
    await takeOver(admin, visitor, conversationId);

    // the agent's message, sent on B, reaches the visitor on A
    const toVisitor = nextOn<Message>(visitor, 'message:created', (m) => m.author === 'agent' && m.text === 'Hello from B');
    ok(await adminCall(admin, 'message:send', { conversationId, clientId: 'agent-b-00001', text: 'Hello from B' }));
    expect(await toVisitor).toMatchObject({ conversationId, author: 'agent', text: 'Hello from B' });

    // the visitor's message, sent on A, reaches the admin on B; its ack comes after its commit
    const toAdmin = nextOn<AdminMessage>(admin, 'message:created', (e) => e.message.clientId === 'visitor-a-00001');
    const ack = ok(await visitorCall(visitor, 'message:send', { conversationId, clientId: 'visitor-a-00001', text: 'Hello from A' }));
    // straight after the ack, before anything else: the row is in PostgreSQL
    expect(await rowsFor(conversationId, 'visitor-a-00001')).toEqual([{ n: 1, seq: ack.message.seq }]);
    expect(ack.duplicate).toBe(false);
    expect(await toAdmin).toMatchObject({ conversationId, message: { author: 'visitor', text: 'Hello from A', seq: ack.message.seq } });

    // several acks in a row, each checked at once
    for (let i = 2; i <= 6; i++) {
      const clientId = `visitor-a-0000${i}`;
      const res = ok(await visitorCall(visitor, 'message:send', { conversationId, clientId, text: `message ${i}` }));
      expect(await rowsFor(conversationId, clientId)).toEqual([{ n: 1, seq: res.message.seq }]);
    }

    // the conversation ends on A: its extraction job runs once, on A or B
    ok(await visitorCall(visitor, 'conversation:end', { conversationId }));
    const job = await waitFor(
      'the extraction job to finish',
      async () => {
        const rows = await q<{ status: string; attempts: number; last_error: string | null }>(
          `SELECT status, attempts, last_error FROM jobs WHERE kind = 'extract' AND payload::jsonb ->> 'conversationId' = $1`,
          [conversationId],
        );
        return rows.length === 1 && (rows[0]!.status === 'done' || rows[0]!.status === 'dead') ? rows[0] : null;
      },
      { timeoutMs: 30_000, everyMs: 100, detail },
    );
    expect(job).toEqual({ status: 'done', attempts: 1, last_error: null });
    expect(await q(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'extract' AND payload::jsonb ->> 'conversationId' = $1`, [conversationId])).toEqual([{ n: 1 }]);
    expect(await q(`SELECT count(*)::int AS n FROM extractions WHERE conversation_id = $1`, [conversationId])).toEqual([{ n: 1 }]);
  }, 60_000);

  it('after Redis restarts mid-conversation, live delivery between A and B resumes', async () => {
    const A = c().get('A');
    const B = c().get('B');
    const admin = await adminOn(B.url);
    const { socket: visitor, conversationId } = await visitorOn(A.url);
    await takeOver(admin, visitor, conversationId);
    // live before the outage
    const before = nextOn<AdminMessage>(admin, 'message:created', (e) => e.message.clientId === 'before-restart');
    ok(await visitorCall(visitor, 'message:send', { conversationId, clientId: 'before-restart', text: 'before' }));
    await before;

    // Redis goes away: both instances notice, and keep storing and acking the conversation
    await redis!.stop();
    for (const i of [A, B]) {
      await waitFor(`instance ${i.name} to report Redis unavailable`, async () => {
        const health = (await (await fetch(`${i.url}/healthz`)).json()) as Record<string, unknown>;
        return health.redis === 'unavailable';
      }, { everyMs: 100, detail });
    }
    const during = ok(await visitorCall(visitor, 'message:send', { conversationId, clientId: 'during-outage', text: 'while Redis is down' }));
    expect(await rowsFor(conversationId, 'during-outage')).toEqual([{ n: 1, seq: during.message.seq }]);

    await redis!.restart();

    // a broadcast sent while the adapters are still reconnecting may be lost (the message itself is
    // stored and acked): each try is a new message, until one arrives live
    let tries = 0;
    const heard = await waitFor(
      'a visitor message on A to reach the admin on B after the Redis restart',
      async () => {
        tries += 1;
        const clientId = `after-restart-v-${tries}`;
        const arrived = nextOn<AdminMessage>(admin, 'message:created', (e) => e.message.clientId === clientId, 1_000).catch(() => null);
        ok(await visitorCall(visitor, 'message:send', { conversationId, clientId, text: `after ${tries}` }));
        return await arrived;
      },
      { timeoutMs: 40_000, everyMs: 0, detail },
    );
    expect(heard.message).toMatchObject({ author: 'visitor', conversationId });

    let agentTries = 0;
    const reached = await waitFor(
      'an agent message on B to reach the visitor on A after the Redis restart',
      async () => {
        agentTries += 1;
        const text = `agent after ${agentTries}`;
        const arrived = nextOn<Message>(visitor, 'message:created', (m) => m.author === 'agent' && m.text === text, 1_000).catch(() => null);
        ok(await adminCall(admin, 'message:send', { conversationId, clientId: `after-restart-a-${agentTries}`, text }));
        return await arrived;
      },
      { timeoutMs: 20_000, everyMs: 0, detail },
    );
    expect(reached).toMatchObject({ author: 'agent', conversationId });

    // every message acked during and after the outage is stored once
    const rows = await q<{ client_id: string; n: number }>(
      `SELECT client_id, count(*)::int AS n FROM messages WHERE conversation_id = $1 AND client_id LIKE 'after-restart-%' GROUP BY client_id`,
      [conversationId],
    );
    expect(rows.length).toBe(tries + agentTries);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // the admin on B, opening the conversation again, has what was said during the outage
    const watched = ok(await adminCall(admin, 'conversation:watch', { conversationId }));
    expect(watched.messages.map((m) => m.clientId)).toContain('during-outage');
  }, 90_000);

  it('SIGKILL of A under load: its visitors reconnect to B through the balancer and lose nothing, the outbox delivers the rest once', async () => {
    const A = c().get('A');
    const B = c().get('B');
    const admin = await adminOn(B.url);
    // the visitors arrive while only A is in rotation, then B joins
    balancer = await startBalancer([A.url]);
    const visitors: OutboxVisitor[] = [];
    for (let i = 0; i < 4; i++) {
      const v = await startOutboxVisitor(balancer.url);
      sockets.push(v);
      visitors.push(v);
      // an agent holds each conversation, so every message is the visitor's own (no bot turns)
      await takeOver(admin, null, v.conversationId);
    }
    balancer.addBackend(B.url);
    expect(balancer.counts().get(new URL(B.url).origin) ?? 0).toBe(0);

    const PER_VISITOR = 60;
    for (const v of visitors) for (let n = 1; n <= PER_VISITOR; n++) v.send(`visitor message ${n}`);

    // under way on every visitor, not finished on any: kill A
    await waitFor('every visitor to have some messages acked', () => visitors.every((v) => v.sent().filter((r) => r.acked).length >= 3), { everyMs: 10, detail });
    const ackedBeforeKill = visitors.map((v) => v.sent().filter((r) => r.acked !== null));
    // messages still on their way when A dies
    expect(visitors.some((v) => v.pending() > 0)).toBe(true);
    await A.kill();
    // the balancer's health check takes A out of rotation
    balancer.removeBackend(A.url, { cut: true });
    expect(A.alive()).toBe(false);

    await waitFor('every visitor to reconnect and deliver its outbox', () => visitors.every((v) => v.pending() === 0 && v.connects() >= 2), {
      timeoutMs: 40_000,
      everyMs: 100,
      detail: () => `${visitors.map((v) => `pending ${v.pending()}, connects ${v.connects()}`).join('; ')}\n${detail()}`,
    });
    // they came back through the balancer, to B
    expect(balancer.counts().get(new URL(B.url).origin) ?? 0).toBeGreaterThanOrEqual(visitors.length);

    for (const [i, v] of visitors.entries()) {
      const sent = v.sent();
      expect(sent).toHaveLength(PER_VISITOR);
      const rows = await q<{ client_id: string; seq: number; author: string; text: string }>(
        `SELECT client_id, seq, author, text FROM messages WHERE conversation_id = $1 ORDER BY seq`,
        [v.conversationId],
      );
      // one row per clientId: nothing lost, nothing doubled
      const byClient = new Map<string, number>();
      for (const r of rows) if (r.client_id !== null) byClient.set(r.client_id, (byClient.get(r.client_id) ?? 0) + 1);
      for (const s of sent) expect(byClient.get(s.clientId), `${s.clientId} (${s.text})`).toBe(1);
      expect(rows.filter((r) => r.author === 'visitor')).toHaveLength(PER_VISITOR);
      // what was acked before the kill is there, at the seq its ack named
      const seqOf = new Map(rows.map((r) => [r.client_id, r.seq]));
      for (const a of ackedBeforeKill[i]!) expect(seqOf.get(a.clientId)).toBe(a.acked!.seq);
      // every ack named the stored row
      for (const s of sent) expect(s.acked?.seq).toBe(seqOf.get(s.clientId));
      // the visitor's messages are stored in the order they were typed, and seqs have no gaps
      expect(rows.filter((r) => r.author === 'visitor').map((r) => r.text)).toEqual(sent.map((s) => s.text));
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, k) => k + 1));
    }

    // an ack A gave and the visitor never heard: the resend reaches B, which knows the message
    const v0 = visitors[0]!;
    const first = ackedBeforeKill[0]![0]!;
    const again = await connectVisitor(B.url, { visitorToken: v0.visitorToken });
    sockets.push(again);
    ok(await visitorCall(again, 'session:hello', {}));
    const resent = ok(await visitorCall(again, 'message:send', { conversationId: v0.conversationId, clientId: first.clientId, text: first.text }));
    expect(resent).toMatchObject({ duplicate: true, message: { seq: first.acked!.seq, clientId: first.clientId } });
    expect(await rowsFor(v0.conversationId, first.clientId)).toEqual([{ n: 1, seq: first.acked!.seq }]);
  }, 120_000);
});
