/**
 * Cache invalidation between instances (issue 13). A process keeps copies of rows it reads on
 * every event (sites by key, flows, knowledge-base entries, the union of allowed origins); the
 * instance that changes a row drops its own copy as today and publishes `(kind, key)`, and every
 * other instance drops its copy of that entry.
 *
 * Pub/sub is fire-and-forget: a message sent while an instance's subscription was down is lost.
 * So when the subscription drops and again once it is back, every subscriber is called with
 * `null`: drop everything of that kind (the next read goes to the database).
 *
 * Backends: Redis pub/sub (REDIS_URL), PostgreSQL LISTEN/NOTIFY (DATABASE_URL only; a NOTIFY sent
 * inside a transaction is delivered at its commit), and `localInvalidation()` for one process.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import type { RedisClient } from './adapter.ts';

/**
 * what a cache entry is; the key's meaning is the kind's (site key, `${siteId}\0${flowId}`, ...);
 * 'site-flows' (key: site id) is every flow of a deleted site
 */
export type InvalidationKind = 'site' | 'site-origins' | 'flow' | 'site-flows' | 'kb' | (string & {});

export interface InvalidationBus {
  /** tell the other instances to drop `key` of `kind` (this one drops its own copy itself) */
  publish(kind: InvalidationKind, key: string): Promise<void>;
  /** `drop(key)` when another instance changed an entry; `drop(null)` = drop them all. Returns the unsubscribe. */
  subscribe(kind: InvalidationKind, drop: (key: string | null) => void): () => void;
  close(): Promise<void>;
}

interface Wire {
  from: string;
  kind: string;
  key: string;
}

const parseWire = (text: string): Wire | null => {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return null;
    const from: unknown = Reflect.get(v, 'from');
    const kind: unknown = Reflect.get(v, 'kind');
    const key: unknown = Reflect.get(v, 'key');
    return typeof from === 'string' && typeof kind === 'string' && typeof key === 'string' ? { from, kind, key } : null;
  } catch {
    return null;
  }
};

/** subscribers by kind, and the rules every backend shares */
function subscribers(self: string, log: Logger | undefined) {
  const byKind = new Map<string, Set<(key: string | null) => void>>();
  const call = (fn: (key: string | null) => void, key: string | null) => {
    try {
      fn(key);
    } catch (err) {
      log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'invalidation: a subscriber failed');
    }
  };
  return {
    add(kind: string, drop: (key: string | null) => void): () => void {
      let set = byKind.get(kind);
      if (!set) byKind.set(kind, (set = new Set()));
      set.add(drop);
      return () => void set.delete(drop);
    },
    deliver(text: string) {
      const m = parseWire(text);
      if (!m || m.from === self) return;
      for (const fn of byKind.get(m.kind) ?? []) call(fn, m.key);
    },
    dropAll() {
      for (const set of byKind.values()) for (const fn of set) call(fn, null);
    },
    wire: (kind: string, key: string): string => JSON.stringify({ from: self, kind, key } satisfies Wire),
  };
}

/** one process: nothing to tell anyone */
export function localInvalidation(): InvalidationBus {
  return {
    async publish() {},
    subscribe: () => () => {},
    async close() {},
  };
}

export interface RedisInvalidationOptions {
  channel?: string;
  log?: Logger;
}

/** Redis pub/sub on a connection of its own (a subscribed connection can do nothing else) */
export async function redisInvalidation(client: RedisClient, opts: RedisInvalidationOptions = {}): Promise<InvalidationBus> {
  const channel = opts.channel ?? 'parley:invalidate';
  const subs = subscribers(randomUUID(), opts.log);
  const sub = client.duplicate();
  let connected = false;
  sub.on('error', () => {
    // the client reconnects by itself; what was published meanwhile is lost: drop everything
    if (connected) subs.dropAll();
    connected = false;
  });
  sub.on('ready', () => {
    if (!connected) subs.dropAll();
    connected = true;
  });
  await sub.connect();
  await sub.subscribe(channel, (message: string) => subs.deliver(message));
  connected = true;
  return {
    async publish(kind, key) {
      await client.publish(channel, subs.wire(kind, key));
    },
    subscribe: (kind, drop) => subs.add(kind, drop),
    async close() {
      if (sub.isOpen) await sub.close().catch(() => sub.destroy());
    },
  };
}

export interface PostgresInvalidationOptions {
  channel?: string;
  log?: Logger;
  /** first wait before re-listening after the connection dropped (doubles, up to 5 s) */
  retryMs?: number;
}

/**
 * PostgreSQL LISTEN/NOTIFY: one pooled connection held for LISTEN (re-acquired after it drops);
 * `publish` is a NOTIFY on the pool. `notifySql(kind, key)` gives the statement for a store that
 * wants the message sent at its own transaction's commit.
 */
export async function postgresInvalidation(pool: pg.Pool, opts: PostgresInvalidationOptions = {}): Promise<InvalidationBus & { notifySql(kind: InvalidationKind, key: string): { text: string; values: string[] } }> {
  const channel = opts.channel ?? 'parley_invalidate';
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid LISTEN channel name "${channel}"`);
  const subs = subscribers(randomUUID(), opts.log);
  let listener: pg.PoolClient | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let wait = opts.retryMs ?? 250;

  const listen = async (): Promise<void> => {
    const client = await pool.connect();
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      client.removeAllListeners('notification');
      if (listener === client) listener = null;
      subs.dropAll();
      if (!closed) timer = setTimeout(retry, wait);
    };
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) subs.deliver(n.payload);
    });
    client.once('error', (err) => {
      opts.log?.warn({ err: err.message }, 'invalidation: LISTEN connection lost');
      if (!gone) client.release(err);
      lost();
    });
    client.once('end', () => {
      if (!closed && listener === client) lost();
    });
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw err;
    }
    listener = client;
    wait = opts.retryMs ?? 250;
  };
  const retry = () => {
    if (closed) return;
    listen().then(
      () => subs.dropAll(),
      () => {
        wait = Math.min(wait * 2, 5_000);
        timer = setTimeout(retry, wait);
      },
    );
  };

  await listen();
  const notifySql = (kind: InvalidationKind, key: string) => ({ text: 'SELECT pg_notify($1, $2)', values: [channel, subs.wire(kind, key)] });
  return {
    notifySql,
    async publish(kind, key) {
      const q = notifySql(kind, key);
      await pool.query(q.text, q.values);
    },
    subscribe: (kind, drop) => subs.add(kind, drop),
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners('notification');
        await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
