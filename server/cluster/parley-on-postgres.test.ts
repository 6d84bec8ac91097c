/**
 * The running product on PostgreSQL (issue 13): `startServer` with DATABASE_URL (a fresh, empty
 * database: start-up migrates it) and REDIS_URL, then without REDIS_URL (the postgres adapter).
 * A visitor runs the NPS survey to its end over a real socket; every message is acknowledged and
 * is in PostgreSQL; the extraction job runs on the instance's worker and its result shows through
 * the admin API. PostgreSQL and Redis are real servers; the test fails when either cannot start.
 */
import pg from 'pg';
import { io as connectIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message.ts';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { DEMO_ORIGIN } from '../realtime/test-client.ts';
import { testDatabase } from '../testing/pg-test.ts';
import { startRedis, type RedisServer } from '../testing/redis.ts';

const OWNER = { email: 'owner@northwind.example', password: 'owner-password-1' };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

async function startOnPostgres(name: string, withRedis: boolean): Promise<{ server: RunningServer; databaseUrl: string }> {
  // an empty database: the schema comes from start-up's migrations
  const databaseUrl = await testDatabase(name);
  return { server: await startServer(configFor(databaseUrl, withRedis)), databaseUrl };
}

function configFor(databaseUrl: string, withRedis: boolean) {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_LLM: 'offline',
    LOG_LEVEL: 'silent',
    PARLEY_DEMO_HISTORY: 'false',
    PARLEY_ADMIN_EMAIL: OWNER.email,
    PARLEY_ADMIN_PASSWORD: OWNER.password,
    DATABASE_URL: databaseUrl,
    ...(withRedis ? { REDIS_URL: redis.url } : {}),
  });
}

type Ack<T> = { ok: true } & T | { ok: false; error: { code: string; message: string } };

function visitor(url: string): Socket {
  return connectIo(`${url}/visitor`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { siteKey: 'demo' }, extraHeaders: { origin: DEMO_ORIGIN } });
}

async function emit<T>(sock: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await sock.timeout(20_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

/** a bounded wait for something the server pushes (a guard against hanging, not a timed assertion) */
function until(what: string, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (done()) return resolve();
      if (Date.now() - started > 20_000) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const FREE_TEXT = 'The jacket is warm and well made, and your support team answered my sizing question within the hour.';

/**
 * hello, start the NPS survey, answer every question (9 on the scale, the top option on the others,
 * a sentence where text is asked) until the conversation:ended push; returns the acks of the
 * visitor's messages and the conversation id
 */
async function runSurvey(url: string): Promise<{ conversationId: string; sent: Message[] }> {
  const sock = visitor(url);
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('connect_error', reject);
    });
    const bots: Message[] = [];
    let ended = false;
    sock.on('message:created', (m: Message) => void (m.author === 'bot' && bots.push(m)));
    sock.on('conversation:ended', () => void (ended = true));
    await emit(sock, 'session:hello', { locale: 'en' });
    const started = await emit<{ conversation: { id: string }; messages: Message[] }>(sock, 'conversation:start', { flowId: 'nps', restart: true });
    const conversationId = started.conversation.id;
    for (const m of started.messages) if (m.author === 'bot' && !bots.some((b) => b.id === m.id)) bots.push(m);
    await until('the opening question', () => bots.some((b) => b.reply !== null));
    const sent: Message[] = [];
    for (let turn = 0; turn < 12 && !ended; turn++) {
      const question = bots.at(-1);
      const options = question?.reply?.options ?? [];
      const option = options.find((o) => o.label === '9') ?? options.at(-1);
      const before = bots.length;
      const { message } = await emit<{ message: Message }>(sock, 'message:send', {
        conversationId,
        clientId: `pg-visitor-${turn}-xxxxxxxx`,
        ...(option ? { text: option.label, value: option.value } : { text: FREE_TEXT }),
      });
      sent.push(message);
      // the bot's next question, or the outro and the end
      await until('the next bot turn', () => ended || bots.length > before);
      if (!ended && bots.at(-1)?.reply === null && !/\?\s*$/.test(bots.at(-1)?.text ?? '')) await until('the end of the survey', () => ended);
    }
    expect(ended).toBe(true);
    return { conversationId, sent };
  } finally {
    sock.disconnect();
  }
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

/** the admin API's view of the conversation once its extraction job has run on this instance's worker */
async function extractionThroughAdmin(url: string, conversationId: string): Promise<{ npsCategory: string | null; ratings: { questionId: string | null; value: number }[] }> {
  const cookie = await signIn(url);
  let extraction: { npsCategory: string | null; ratings: { questionId: string | null; value: number }[] } | null = null;
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      const res = await fetch(`${url}/api/admin/conversations/${conversationId}`, { headers: { cookie } });
      const body = (await res.json()) as { extraction: typeof extraction };
      if (body.extraction) {
        extraction = body.extraction;
        return resolve();
      }
      if (Date.now() - started > 20_000) return reject(new Error('the extraction never showed up in the admin API'));
      setTimeout(() => void tick().catch(reject), 25);
    };
    void tick().catch(reject);
  });
  if (!extraction) throw new Error('no extraction');
  return extraction;
}

async function query<R extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function surveyLandsInPostgres(server: RunningServer, databaseUrl: string): Promise<void> {
  const { conversationId, sent } = await runSurvey(server.url);
  expect(sent.length).toBeGreaterThanOrEqual(2);

  // every acknowledged visitor message is a committed row in PostgreSQL (read with a connection of our own)
  const rows = await query<{ id: string; client_id: string; text: string; author: string }>(
    databaseUrl,
    "SELECT id, client_id, text, author FROM messages WHERE conversation_id = $1 AND author = 'visitor' ORDER BY seq",
    [conversationId],
  );
  expect(rows.map((r) => ({ id: Number(r.id), clientId: r.client_id, text: r.text }))).toEqual(sent.map((m) => ({ id: m.id, clientId: m.clientId, text: m.text })));
  const [conversation] = await query<{ status: string; flow_id: string }>(databaseUrl, 'SELECT status, flow_id FROM conversations WHERE id = $1', [conversationId]);
  expect(conversation).toEqual({ status: 'ended', flow_id: 'nps' });

  // the extraction job, enqueued with the end, ran on this instance and shows through the admin API
  const extraction = await extractionThroughAdmin(server.url, conversationId);
  expect(extraction.npsCategory).toBe('promoter');
  expect(extraction.ratings).toContainEqual(expect.objectContaining({ questionId: 'nps', type: 'nps', value: 9 }));
  const jobs = await query<{ status: string }>(databaseUrl, "SELECT status FROM jobs WHERE kind = 'extract' AND payload LIKE $1", [`%${conversationId}%`]);
  expect(jobs).toEqual([{ status: 'done' }]);
}

describe('Parley on PostgreSQL', () => {
  it('with Redis: migrates a fresh database, runs a survey to the end, stores it and extracts it; health shows Redis going and coming back', async () => {
    const { server, databaseUrl } = await startOnPostgres('parley_on_pg_redis', true);
    try {
      expect({ engine: server.engine, fanOut: server.fanOut }).toEqual({ engine: 'postgres', fanOut: 'redis' });
      const migrations = await query<{ name: string }>(databaseUrl, 'SELECT name FROM schema_migrations');
      expect(migrations.length).toBeGreaterThan(0);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, db: 'open', database: 'postgres', redis: 'up' });

      await surveyLandsInPostgres(server, databaseUrl);

      // Redis away: the instance keeps passing its health check (and says Redis is unavailable)
      await redis.stop();
      const down = await fetch(`${server.url}/healthz`);
      expect(down.status).toBe(200);
      expect(await down.json()).toMatchObject({ ok: true, redis: 'unavailable' });
      await redis.restart();
      // and back: the client reconnects by itself
      let back = false;
      for (let i = 0; i < 400 && !back; i++) {
        back = ((await (await fetch(`${server.url}/healthz`)).json()) as { redis?: string }).redis === 'up';
        if (!back) await new Promise((r) => setTimeout(r, 25));
      }
      expect(back).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('without Redis: the postgres adapter fans out, and the same survey works', async () => {
    const { server, databaseUrl } = await startOnPostgres('parley_on_pg_only', false);
    try {
      expect({ engine: server.engine, fanOut: server.fanOut }).toEqual({ engine: 'postgres', fanOut: 'postgres' });
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ ok: true, database: 'postgres' });
      expect(health).not.toHaveProperty('redis');

      await surveyLandsInPostgres(server, databaseUrl);
    } finally {
      await server.close();
    }
  });

  it('two instances starting together on one empty database take turns migrating and seeding; both serve, a survey on one is extracted; sign-in back-off is shared', async () => {
    const databaseUrl = await testDatabase('parley_on_pg_two');
    const started = await Promise.allSettled([startServer(configFor(databaseUrl, true)), startServer(configFor(databaseUrl, true))]);
    const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'up'))).toEqual(['up', 'up']);
      const applied = await query<{ name: string }>(databaseUrl, 'SELECT name FROM schema_migrations ORDER BY name');
      expect(new Set(applied.map((r) => r.name)).size).toBe(applied.length);
      // one demo site and one owner, though both instances seeded
      expect(await query(databaseUrl, 'SELECT count(*)::int AS n FROM sites')).toEqual([{ n: 1 }]);
      expect(await query(databaseUrl, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 1 }]);
      await surveyLandsInPostgres(servers[1]!, databaseUrl);

      // sign-in back-off is shared through Redis: failures on A make B wait too
      const login = (s: RunningServer) =>
        fetch(`${s.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: OWNER.email, password: 'wrong-password-1' }) });
      for (let i = 0; i < 5; i++) expect((await login(servers[0]!)).status).toBe(401);
      const refused = await login(servers[1]!);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('an instance stopped right after it started stops serving and leaves no failed promise behind', async () => {
    // (the redis-streams adapter subscribes in the background: a close before that ended used to
    // leave rejected promises behind, which vitest reports and which end a Node process)
    const { server } = await startOnPostgres('parley_on_pg_quick', true);
    expect(server.fanOut).toBe('redis');
    await server.close();
    expect((await fetch(`${server.url}/healthz`).catch((err: unknown) => err)) instanceof Error).toBe(true);
  });

  it('refuses to start, naming the database, when PostgreSQL cannot be used', async () => {
    const url = new URL(await testDatabase('parley_on_pg_gone'));
    url.pathname = '/no_such_database_here';
    await expect(
      startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_LLM: 'offline', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() })),
    ).rejects.toThrow(/no_such_database_here/);
  });
});
