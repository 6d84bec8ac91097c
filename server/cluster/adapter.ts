/**
 * Live fan-out between Parley instances (issue 13). Given the configuration, decides which
 * socket.io adapter the server installs:
 * - REDIS_URL set: `@socket.io/redis-streams-adapter` over one `redis` client. It keeps reading
 *   the stream after a Redis restart (the client reconnects by itself) and supports socket.io's
 *   connection-state recovery (sessions are kept in Redis).
 * - only DATABASE_URL set: `@socket.io/postgres-adapter` over a pg Pool (LISTEN/NOTIFY; payloads
 *   over `payloadThreshold` go through the `socket_io_attachments` table, which a PostgreSQL
 *   migration creates: see ATTACHMENTS_TABLE_DDL). Fine for a few instances.
 * - neither: null, socket.io's in-memory adapter (one process).
 *
 * The returned `redis` client is the one connection the other cluster backends share
 * (rate limits, invalidation bus); `close()` ends the clients this module opened, after
 * `io.close()` has closed the adapters.
 */
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import type { Server as IoServer, ServerOptions } from 'socket.io';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

const newRedisClient = (url: string) =>
  createClient({
    url,
    // reconnect forever, backing off to 2 s: an outage pauses fan-out, it never ends it
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2_000) },
  });
export type RedisClient = ReturnType<typeof newRedisClient>;
type AdapterFactory = ServerOptions['adapter'];

/** the table the postgres adapter stores large/binary broadcasts in (created by a migration) */
export const ATTACHMENTS_TABLE = 'socket_io_attachments';
export const ATTACHMENTS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (
  id bigserial UNIQUE,
  created_at timestamptz DEFAULT now(),
  payload bytea
)`;
/** pg_notify refuses payloads of 8000 bytes and more: larger ones must go through the table */
export const POSTGRES_PAYLOAD_THRESHOLD = 7_500;

export interface ClusterFanOut {
  kind: 'redis' | 'postgres' | 'none';
  /** pass as `new Server(http, { adapter })`; undefined = the in-memory adapter */
  adapter: AdapterFactory | undefined;
  /** the shared Redis connection (REDIS_URL), for rate limits and the invalidation bus */
  redis: RedisClient | null;
  /** the pool the postgres adapter uses (only kind 'postgres') */
  pool: pg.Pool | null;
  /**
   * resolves once every namespace of `io` receives from the other instances (the redis-streams
   * adapter subscribes in the background; an io.close() before that ends leaves the subscribe
   * rejected and unhandled). Call after the namespaces exist, before serving.
   */
  ready(io: IoServer): Promise<void>;
  /** end the clients opened here (call after io.close(), which closes the adapters) */
  close(): Promise<void>;
}

export interface ClusterAdapterDeps {
  log: Logger;
  /**
   * the process's PostgreSQL pool, when the store already has one (the adapter holds one of its
   * connections for LISTEN); without it a small pool of its own is opened from DATABASE_URL
   */
  pool?: pg.Pool;
  /** how long start-up waits for Redis before it gives up with a clear error */
  connectTimeoutMs?: number;
}

/** a Redis client that reconnects forever and logs an outage once (not every retry) */
export async function connectRedis(url: string, log: Logger, connectTimeoutMs = 10_000): Promise<RedisClient> {
  const client = newRedisClient(url);
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'redis: connection lost; retrying');
  });
  client.on('ready', () => {
    if (down) log.info('redis: connection back');
    down = false;
  });
  const where = redactedUrl(url);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`could not reach Redis at ${where} within ${connectTimeoutMs} ms (REDIS_URL); is it running?`)), connectTimeoutMs);
      }),
    ]);
  } catch (err) {
    client.destroy();
    throw err instanceof Error && err.message.includes('REDIS_URL') ? err : new Error(`could not connect to Redis at ${where} (REDIS_URL): ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

const STREAMS_CHANNEL_PREFIX = 'parley:socket.io';

/**
 * Each namespace's redis-streams adapter subscribes to its own channel `prefix#nsp#uid#`: wait
 * until Redis counts a subscriber on each (bounded; after that start-up goes on with a warning).
 */
async function redisAdaptersSubscribed(redis: RedisClient, io: IoServer, log: Logger, timeoutMs = 10_000): Promise<void> {
  const channels: string[] = [];
  for (const nsp of io._nsps.values()) {
    const uid: unknown = Reflect.get(nsp.adapter, 'uid');
    if (typeof uid === 'string') channels.push(`${STREAMS_CHANNEL_PREFIX}#${nsp.name}#${uid}#`);
  }
  if (channels.length === 0) return;
  const started = Date.now();
  for (;;) {
    const counts = await redis.pubSubNumSub(channels);
    if (channels.every((c) => Number(counts[c] ?? 0) > 0)) return;
    if (Date.now() - started > timeoutMs) {
      log.warn({ channels }, 'redis: the socket.io adapter has not subscribed yet; serving anyway');
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** a health check: resolves true when Redis answers PING within `timeoutMs`, else false */
export function redisAnswers(client: RedisClient, timeoutMs = 1_000): () => Promise<boolean> {
  return async () => {
    if (!client.isReady) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        client.ping().then((reply) => reply === 'PONG'),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** host and port only: the URL may carry a password */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Both adapter packages open their subscriber connections when the factory is made, and release
 * them when the last namespace's adapter closes (io.close()). Made on the first namespace instead,
 * so a fan-out no socket.io server ever used holds no connection that would keep the pool (or the
 * process) open.
 */
type AdapterFn = Extract<NonNullable<AdapterFactory>, (nsp: never) => unknown>;
function lazily(make: () => AdapterFn): AdapterFn {
  let factory: AdapterFn | null = null;
  // socket.io calls it with `new`: a plain function returning the adapter (not an arrow function)
  return function adapterOf(nsp) {
    return (factory ??= make())(nsp);
  };
}

export async function createClusterFanOut(config: Pick<Config, 'databaseUrl' | 'redisUrl'>, deps: ClusterAdapterDeps): Promise<ClusterFanOut> {
  if (config.redisUrl) {
    const redis = await connectRedis(config.redisUrl, deps.log, deps.connectTimeoutMs);
    return {
      kind: 'redis',
      adapter: lazily(() =>
        createRedisStreamsAdapter(redis, {
          streamName: STREAMS_CHANNEL_PREFIX,
          channelPrefix: STREAMS_CHANNEL_PREFIX,
          sessionKeyPrefix: 'parley:sio:session:',
          // every event we emit is JSON (shared/ zod schemas): skip the binary scan per broadcast
          onlyPlaintext: true,
        }),
      ),
      redis,
      pool: null,
      ready: (io) => redisAdaptersSubscribed(redis, io, deps.log),
      async close() {
        if (redis.isOpen) await redis.close().catch(() => redis.destroy());
      },
    };
  }
  if (config.databaseUrl) {
    const own = deps.pool === undefined;
    const pool = deps.pool ?? new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
    if (own) pool.on('error', (err) => deps.log.warn({ err: err.message }, 'postgres adapter: idle client error'));
    return {
      kind: 'postgres',
      adapter: lazily(() =>
        createPostgresAdapter(pool, {
          tableName: ATTACHMENTS_TABLE,
          channelPrefix: 'parley_socket_io',
          payloadThreshold: POSTGRES_PAYLOAD_THRESHOLD,
          errorHandler: (err: Error) => deps.log.warn({ err: err.message }, 'postgres adapter'),
        }),
      ),
      redis: null,
      pool,
      // the postgres adapter's LISTEN is awaited by its own close
      ready: async () => undefined,
      async close() {
        if (own) await pool.end();
      },
    };
  }
  return { kind: 'none', adapter: undefined, redis: null, pool: null, ready: async () => undefined, async close() {} };
}
