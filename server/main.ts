/**
 * The composition root: config -> database -> store -> seed -> LLM -> engine -> services ->
 * HTTP + realtime -> listen. Nothing else wires parts together. `startServer` is also what
 * tests and benchmarks use (port 0, a temp or ':memory:' database).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Router } from 'express';
import type { Server as IoServer } from 'socket.io';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createEngine } from './conversation/engine.ts';
import type { Engine } from './conversation/engine-types.ts';
import { ConversationBus } from './conversation/events.ts';
import { startIdleSweeper } from './conversation/idle-sweeper.ts';
import { startJobWorker } from './jobs/extraction-worker.ts';
import type { JobWorker } from './jobs/worker.ts';
import { createKnowledgeBase } from './conversation/knowledge-base.ts';
import { createConversationService, type ConversationService } from './conversation/service.ts';
import { createAdminServices } from './http/admin/compose.ts';
import { DEFAULT_LOGIN_LIMITS } from './http/admin/login-limits.ts';
import { createInsightsService } from './insights/service.ts';
import { createAdminRouter } from './http/admin/router.ts';
import { createHttpApp } from './http/app.ts';
import { DEMO_USER_ID } from './http/demo.ts';
import { userHash } from './conversation/identity.ts';
import { createV1Router, DEFAULT_V1_RATE_LIMIT } from './http/v1/router.ts';
import { createEmbedder, withEmbeddings } from './llm/embeddings.ts';
import { createOpenAILlm } from './llm/openai.ts';
import { createReach } from './respond/reach.ts';
import { inLane, type LlmClient } from './llm/types.ts';
import { createLogger, type Logger } from './logger.ts';
import { registerAdminNamespace, siteRoom } from './realtime/admin.ts';
import { createRealtime } from './realtime/io.ts';
import { createLiveService } from './review/live.ts';
import { startRetentionTimer } from './review/privacy.ts';
import { NO_RATE_LIMITS, type RateLimits } from './realtime/rate-limit.ts';
import { seedDemoHistory } from './insights/demo-history.ts';
import { createRespondService } from './respond/service.ts';
import { WEBHOOK_JOB } from './respond/webhooks.ts';
import { EXAMPLES_DIR, seedDemo } from './seed.ts';
import type { ResponsePorts } from './respond/ports.ts';
import { openDb, type Db } from './store/db.ts';
import { stopCheckpoints } from './store/wal-checkpointer.ts';
import { createStore, type Store } from './store/index.ts';
import { migratePg, startupLock } from './store/pg/migrate.ts';
import { openPgSql, type PgSql } from './store/pg/pg-sql.ts';
import { createClusterFanOut, redisAnswers, type ClusterFanOut } from './cluster/adapter.ts';
import { createClusterState, type ClusterState } from './cluster/state.ts';
import type pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What tests may swap; production passes none of these. */
export interface ServerOverrides {
  log?: Logger;
  engine?: Engine;
  limits?: Partial<RateLimits>;
  idleSweepMs?: number;
  distDir?: string;
  /** e-mail and reply delivery for routing rules (default: log and drop until wired) */
  responsePorts?: ResponsePorts;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  store: Store;
  service: ConversationService;
  bus: ConversationBus;
  io: IoServer;
  log: Logger;
  /**
   * the SQLite connection (fault-injection tests set pragmas on it); reading it on a server that
   * runs on PostgreSQL (DATABASE_URL) throws
   */
  db: Db;
  /** the PostgreSQL pool (DATABASE_URL), null on SQLite */
  pool: pg.Pool | null;
  /** which database the store runs on */
  engine: 'sqlite' | 'postgres';
  /** how live events reach the other instances: 'redis', 'postgres' or 'none' (one process) */
  fanOut: ClusterFanOut['kind'];
  close(): Promise<void>;
}

/** the database, the cluster fan-out and the shared state, opened in that order */
interface Opened {
  store: Store;
  db: Db | null;
  pgSql: PgSql | null;
  fanOut: ClusterFanOut;
  cluster: ClusterState;
  /** end of the start-up work only one instance at a time may do (seeding); idempotent */
  startupDone(): Promise<void>;
}

/**
 * DATABASE_URL: a pool, the migrations (under an advisory lock, so instances starting together take
 * turns), the store with the cluster's invalidation bus. Otherwise the SQLite file as before.
 * Whatever opened before a failure is closed again, so a failed start leaves nothing running.
 */
async function openData(config: Config, log: Logger): Promise<Opened> {
  const undo: Array<() => Promise<void> | void> = [];
  try {
    let db: Db | null = null;
    let pgSql: PgSql | null = null;
    let source: Db | PgSql;
    let startupDone = async (): Promise<void> => undefined;
    if (config.databaseUrl) {
      const opened = openPgSql(config.databaseUrl, {
        onPoolError: (err) => log.warn({ err: err.message }, 'postgres: an idle connection failed'),
        onHookError: (err) => log.error({ err }, 'postgres: a commit hook failed'),
      });
      pgSql = source = opened;
      undo.push(() => opened.close());
      const applied = await migratePg(opened.pool);
      if (applied.length > 0) log.info({ migrations: applied }, 'postgres: applied migrations');
      const release = await startupLock(opened.pool);
      startupDone = release;
      undo.push(release);
    } else {
      const opened = openDb(config.dbPath, { sync: config.dbSync, checkpointOn: 'worker' });
      db = source = opened;
      undo.push(() => void opened.close());
    }
    const fanOut = await createClusterFanOut(config, { log, ...(pgSql ? { pool: pgSql.pool } : {}) });
    undo.push(() => fanOut.close());
    const cluster = await createClusterState(fanOut, log);
    const store = createStore(source, { invalidation: cluster.invalidation });
    return { store, db, pgSql, fanOut, cluster, startupDone };
  } catch (err) {
    for (const fn of undo.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    throw err;
  }
}

function buildLlm(config: Config, log: Logger): LlmClient | null {
  if (config.llm.provider === 'offline') return null;
  const { apiKey, baseURL, model, embeddingModel, timeoutMs } = config.llm;
  const auth = { ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) };
  // embeddings serve hybrid KB search; a server without /v1/embeddings is detected on first use
  return withEmbeddings(createOpenAILlm({ ...auth, model, timeoutMs, log }), createEmbedder({ ...auth, model: embeddingModel, timeoutMs }));
}

/** close what openData opened, in reverse order (shutdown, or a start-up that failed half-way) */
async function closeData({ db, pgSql, fanOut, cluster, startupDone }: Opened): Promise<void> {
  await startupDone();
  await cluster.close();
  await fanOut.close();
  if (pgSql) await pgSql.close();
  else if (db) {
    await stopCheckpoints(db);
    db.close();
  }
}

export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const startedAt = Date.now();
  const log = overrides.log ?? createLogger(config.logLevel);
  const opened = await openData(config, log);
  let dataClosed: Promise<void> | null = null;
  const closeOpened = () => (dataClosed ??= closeData(opened));
  try {
    return await startOn(opened, closeOpened, config, overrides, log, startedAt);
  } catch (err) {
    // a start that failed after the database opened (seeding, the port taken) leaves nothing open
    await closeOpened().catch(() => undefined);
    throw err;
  }
}

async function startOn(opened: Opened, closeOpened: () => Promise<void>, config: Config, overrides: ServerOverrides, log: Logger, startedAt: number): Promise<RunningServer> {
  const { store, db, pgSql, fanOut, cluster } = opened;
  // on PostgreSQL, instances starting together do the seeding below one at a time (startupLock)
  const seeded = await seedDemo(store, log);

  const llm = buildLlm(config, log);
  const kb = createKnowledgeBase((siteId) => store.kb.list(siteId));
  const engine = overrides.engine ?? createEngine({ llm, kb, log });
  const bus = new ConversationBus();
  // bot turns per conversation and starts per visitor: one at a time across instances (Redis lock)
  const service = createConversationService({ store, engine, bus, log, serialQueue: (name) => cluster.serialQueue(name) });
  // reaching customers: e-mail, replies into the widget, drafts, playbooks (reach.ports = ResponsePorts)
  let jobWorker: JobWorker | null = null;
  const reach = createReach({ store, bus, log, llm, mail: config.mail, conversations: service, wake: () => jobWorker?.wake() });
  // insights: facts for extractions written before insights existed (or by the CLI), then kept current
  const insights = createInsightsService({
    store,
    llm,
    log: log.child({ part: 'insights' }),
    // scheduled reports by e-mail only when SMTP is set up; webhooks always
    ports: overrides.responsePorts ?? (config.mail ? reach.ports : null),
    // respond is built below; alerts only run from jobs, after start-up
    webhooks: { emit: (e) => respond.webhooks.emit(e) },
  });
  const backfilled = await insights.backfill();
  if (backfilled > 0) log.info({ conversations: backfilled }, 'insights: built facts for analysed conversations');
  // a new demo site gets a few weeks of past conversations, so the overview has something to show
  if (seeded.createdSite && seeded.siteId && config.demoHistory) {
    const n = await seedDemoHistory(store, insights, seeded.siteId, EXAMPLES_DIR);
    log.info({ conversations: n }, 'seeded the demo history');
  }

  // --- admin (auth, API routes) and machine API: add their routers here -----------------------
  const routers: Array<[string, Router]> = [];
  // snippets name this server's URL, known only once it listens (port 0 in tests)
  let listeningUrl = '';
  // respond: routing rules, teams, follow-ups, webhooks; they reach customers through reach.ports
  let wakeJobs = (): void => undefined;
  const respond = createRespondService({
    store,
    log,
    ports: overrides.responsePorts ?? reach.ports,
    allowPrivateWebhooks: config.webhooksAllowPrivate,
    publicUrl: () => config.publicUrl ?? (listeningUrl || null),
    onJobsEnqueued: () => setImmediate(() => wakeJobs()),
  });
  const admin = createAdminServices(store, log, {
    // sign-in limits and back-off shared between instances (Redis), else per process as before
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, shared: cluster },
    publicUrl: () => config.publicUrl ?? listeningUrl,
    respond,
    reach,
    insights,
    ...(config.ingest ? { ingest: config.ingest } : {}),
  });
  if (config.admin) {
    const { created, user } = await admin.accounts.ensureOwner(config.admin.email, config.admin.password);
    if (created) log.info({ email: user.email }, 'created the first admin (owner) from PARLEY_ADMIN_EMAIL');
  }
  // seeded: the next instance starting on this database may check and seed now
  await opened.startupDone();
  routers.push(['/api/admin', createAdminRouter(admin)]);
  routers.push([
    '/api/v1',
    createV1Router({
      siteForTokenHash: (hash) => store.sites.siteIdForTokenHash(hash),
      feedback: store.feedback,
      ingest: admin.ingest.items,
      inbound: admin.ingest.inbound,
      rateLimit: config.rateLimits ? DEFAULT_V1_RATE_LIMIT : null,
      rateLimitStore: (prefix) => cluster.expressStore(prefix),
    }),
  ]);

  const app = createHttpApp(
    {
      log,
      ping: () => store.ping(),
      health: { database: pgSql ? 'postgres' : 'sqlite', ...(fanOut.redis ? { redis: redisAnswers(fanOut.redis) } : {}) },
      distDir: overrides.distDir ?? `${ROOT}dist`,
      demoTemplatePath: `${ROOT}examples/demo.html`,
      publicUrl: config.publicUrl,
      demoUserHash: async () => {
        const demo = await store.sites.getByKey('demo');
        const secret = demo ? await store.sites.identitySecret(demo.id) : null;
        return secret ? userHash(secret, DEMO_USER_ID) : null;
      },
      trustProxy: config.trustProxy,
      startedAt,
    },
    routers,
  );
  const httpServer = createServer(app);
  const limits = overrides.limits ?? (config.rateLimits ? undefined : NO_RATE_LIMITS);
  const io = createRealtime(httpServer, {
    service,
    sites: store.sites,
    bus,
    log,
    trustProxy: config.trustProxy,
    replies: reach.widget,
    ...(limits ? { limits } : {}),
    rateLimits: cluster.rateLimits,
    // only the redis-streams adapter keeps sessions: reconnecting to any instance recovers the socket
    cluster: { adapter: fanOut.adapter, recovery: fanOut.kind === 'redis' },
  });
  // --- admin namespace: registerAdminNamespace(io, deps) from realtime/admin.ts goes here ------
  const adminLive = registerAdminNamespace(io, {
    live: createLiveService({ store, conversations: service, bus }),
    sessions: admin.sessions,
    bus,
    log,
    publicUrl: config.publicUrl,
    access: respond.access,
  });
  respond.events.on('follow-ups:changed', (e) => adminLive.nsp.to(siteRoom(e.siteId)).emit('follow-ups:changed', e));
  // every namespace exists now: wait until each receives from the other instances
  await fanOut.ready(io);
  const stopRetention = startRetentionTimer(admin.privacy, log, undefined, () => admin.sessions.purgeExpired());

  // --- background work: the extraction job worker starts here -----------------------------------
  // jobs get their own LLM lane: a queue of extractions never delays a live visitor turn
  const worker = (jobWorker = startJobWorker({
    store,
    llm: llm && inLane(llm, 'background'),
    log,
    handlers: { [WEBHOOK_JOB]: (payload) => respond.webhooks.handleJob(payload), ...reach.jobHandlers, ...admin.ingest.handlers, ...insights.handlers },
    // rules first (they may open a follow-up), then the playbooks
    afterExtraction: [(x) => respond.afterExtraction(x), reach.afterExtraction, (x) => insights.recordExtraction(x)],
  }));
  wakeJobs = () => worker.wake();
  admin.ingest.setWake(() => worker.wake());
  // webhook events of ends and reopens; a database fault here is logged, never an unhandled rejection
  const hookFailed = (event: string, conversationId: string) => (err: unknown) => log.error({ err, conversationId }, `recording the ${event} webhook event failed`);
  bus.on('conversation:ended', (e) => void respond.conversationEnded(e).catch(hookFailed('conversation.ended', e.conversationId)));
  bus.on('conversation:reopened', (e) => void respond.conversationReopened(e).catch(hookFailed('conversation.reopened', e.conversationId)));
  // extract a conversation that just ended now rather than at the next poll (after its transaction)
  bus.on('conversation:ended', () => setImmediate(() => worker.wake()));
  const stopIdleSweeper = startIdleSweeper(() => service.endIdle(), log, overrides.idleSweepMs ?? config.idleSweepMs);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      stopIdleSweeper();
      stopRetention();
      // stop accepting at once: no new connections or requests; open sockets finish what they started
      httpServer.close();
      httpServer.closeIdleConnections();
      adminLive.stop();
      // --- stop background workers here, before the database closes ---
      // in-flight jobs and bot turns finish (their replies still reach the open sockets)
      await worker.stop();
      reach.close();
      await service.idle();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await service.idle();
      // then the shared state (its subscriptions), the fan-out's clients, and the database last
      await closeOpened();
    })());

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // the port is taken (or similar): stop the timers and workers started above, then fail
    await close().catch(() => undefined);
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  listeningUrl = url;

  const engineName = pgSql ? 'postgres' : 'sqlite';
  return {
    url,
    port,
    store,
    service,
    bus,
    io,
    log,
    get db(): Db {
      if (!db) throw new Error('server.db: this server runs on PostgreSQL (DATABASE_URL); use server.pool');
      return db;
    },
    pool: pgSql?.pool ?? null,
    engine: engineName,
    fanOut: fanOut.kind,
    close,
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`parley: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const server = await startServer(config);
  const base = config.publicUrl ?? server.url;
  console.log(
    [
      `Parley is running (LLM: ${config.llm.provider === 'offline' ? 'offline rules' : config.llm.model}, database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dbPath}${config.redisUrl ? ', Redis fan-out' : ''})`,
      `  demo:   ${base}/demo`,
      `  admin:  ${base}/admin`,
      `  health: ${base}/healthz`,
    ].join('\n'),
  );
  // a fresh install without PARLEY_ADMIN_EMAIL: the admin page offers to create the first owner
  if ((await server.store.admin.users.count()) === 0) {
    console.log(`  admin:  no account yet — open ${base}/admin to create the owner (or set PARLEY_ADMIN_EMAIL/PASSWORD)`);
  }
  const shutdown = (signal: string) => {
    server.log.info({ signal }, 'shutting down');
    // a stuck close must not keep a stopped service around forever
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('parley: failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
