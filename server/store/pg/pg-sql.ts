/**
 * The `Sql` runner over PostgreSQL (`pg` 8, one pool).
 *
 * - Store SQL uses `?` placeholders; they become `$1..$n` here (not inside quoted strings,
 *   quoted identifiers, dollar-quoted bodies or comments), once per SQL text. PostgreSQL's JSONB
 *   `?` operators are therefore not available (JSON is TEXT in this schema anyway).
 * - BIGINT (int8) and NUMERIC come back as JavaScript numbers, like SQLite's integers and reals.
 * - `tx(fn)` takes a dedicated connection from the pool, found again through AsyncLocalStorage by
 *   every query made while `fn` runs; nested `tx` calls become savepoints (one at a time per
 *   level). Queries outside a transaction run on any pooled connection and commit on their own.
 * - Errors meaning the database is unreachable or read-only are storage faults (../faults.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { isPgFaultState, StorageUnavailableError } from '../faults.ts';
import type { RunResult, Sql, SqlValue } from '../sql.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** int8 and numeric as numbers, every other type as `pg` parses it */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value === null ? null : Number(value));
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

// ---------------------------------------------------------------------------------------------
// placeholders

interface Rewritten {
  text: string;
  params: number;
  /**
   * the name it is prepared under on each connection (parsed and planned once per connection,
   * not per call), or undefined: statements without parameters (they may hold several commands)
   * and texts beyond the first PREPARED_MAX (built per call, e.g. IN lists) run unnamed
   */
  name?: string;
}

const PREPARED_MAX = 1_000;
/** names given so far, by text: a name once given never changes (a connection knows it) */
const preparedNames = new Map<string, string>();

function preparedName(text: string, params: number): string | undefined {
  if (params === 0) return undefined;
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < PREPARED_MAX) {
    name = `parley_${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name;
}

const REWRITE_CACHE_MAX = 2_000;
const rewriteCache = new Map<string, Rewritten>();

/**
 * `?` -> `$1..$n`, skipping '...' and E'...' strings, "..." identifiers, $tag$...$tag$ bodies,
 * -- line comments and (nested) block comments.
 */
export function rewritePlaceholders(sql: string): Rewritten {
  const cached = rewriteCache.get(sql);
  if (cached) return cached;
  let out = '';
  let n = 0;
  let i = 0;
  const len = sql.length;
  while (i < len) {
    const c = sql[i]!;
    if (c === '?') {
      out += `$${++n}`;
      i++;
    } else if (c === "'") {
      // E'..' strings allow backslash escapes
      const prev = i > 0 ? sql[i - 1]! : '';
      const backslashes = (prev === 'E' || prev === 'e') && (i < 2 || !/[\w$]/.test(sql[i - 2]!));
      let j = i + 1;
      while (j < len) {
        const d = sql[j]!;
        if (backslashes && d === '\\') j += 2;
        else if (d === "'" && sql[j + 1] === "'") j += 2;
        else if (d === "'") break;
        else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < len && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? len : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < len && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$' && (i === 0 || !/[\w$]/.test(sql[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const j = end === -1 ? len : end + tag[0].length;
        out += sql.slice(i, j);
        i = j;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  const name = preparedName(out, n);
  const result: Rewritten = name === undefined ? { text: out, params: n } : { text: out, params: n, name };
  if (rewriteCache.size >= REWRITE_CACHE_MAX) rewriteCache.clear();
  rewriteCache.set(sql, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// faults

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const LOST_CONNECTION = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed|connection timeout/i;

/** the driver's error, or a StorageUnavailableError when it means the database cannot be reached */
export function asStorageError(err: unknown, connecting = false): unknown {
  if (!(err instanceof Error) || err instanceof StorageUnavailableError) return err;
  if (isPgFaultState(err)) return err;
  if ('severity' in err) return err; // any other server error: the statement's own problem
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (connecting || NETWORK_CODES.has(code) || LOST_CONNECTION.test(err.message)) {
    return new StorageUnavailableError(`the database is unreachable: ${err.message}`, code || 'PG_CONNECTION', { cause: err });
  }
  return err;
}

// ---------------------------------------------------------------------------------------------
// the runner

interface TxRoot {
  client: pg.PoolClient;
  open: boolean;
  savepoints: number;
  before: Map<string, () => Promise<void> | void>;
  /** the connection's statements, one at a time (pg 9 drops queuing inside the client) */
  queue: Promise<unknown>;
}

interface TxFrame {
  root: TxRoot;
  /** afterCommit callbacks of this level: handed to the parent on release, dropped on rollback */
  after: (() => void)[];
  /** nested transactions of this level run one after another */
  children: Promise<unknown>;
}

export interface PgSqlOptions {
  /** an afterCommit callback (or a beforeCommit one outside a transaction) failed; default: console.error */
  onHookError?: (err: unknown) => void;
}

/** run `fn` on the transaction's connection once the statements queued before it are done */
function onRoot<T>(root: TxRoot, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const turn = root.queue.then(() => fn(root.client));
  root.queue = turn.catch(() => undefined);
  return turn;
}

export class PgSql implements Sql {
  readonly dialect = 'postgres' as const;
  private readonly als = new AsyncLocalStorage<TxFrame>();
  private readonly onHookError: (err: unknown) => void;

  constructor(
    readonly pool: pg.Pool,
    options: PgSqlOptions = {},
  ) {
    this.onHookError = options.onHookError ?? ((err) => console.error('[pg-sql] commit hook failed', err));
  }

  private frame(): TxFrame | undefined {
    const f = this.als.getStore();
    return f && f.root.open ? f : undefined;
  }

  private async query<R>(sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
    const { text, params: expected, name } = rewritePlaceholders(sql);
    if (params.length !== expected) {
      throw new Error(`SQL expects ${expected} parameter(s), got ${params.length}: ${sql.slice(0, 200)}`);
    }
    // PostgreSQL text cannot hold U+0000 (SQLite can): a NUL a client sent is stored as U+FFFD
    // rather than failing the whole statement (and, in group commit, its transaction)
    const values = params.map((v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v));
    const config: pg.QueryConfig = name === undefined ? { text, values, types: TYPES } : { name, text, values, types: TYPES };
    const root = this.frame()?.root;
    try {
      if (root) return await onRoot<pg.QueryResult<R & pg.QueryResultRow>>(root, (c) => c.query<R & pg.QueryResultRow>(config));
      return await this.pool.query<R & pg.QueryResultRow>(config);
    } catch (err) {
      throw asStorageError(err);
    }
  }

  async all<R>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  async get<R>(sql: string, params: readonly SqlValue[] = []): Promise<R | undefined> {
    return (await this.query<R>(sql, params)).rows[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    const root = this.frame()?.root;
    try {
      if (root) await onRoot(root, (c) => c.query(sql));
      else await this.pool.query(sql);
    } catch (err) {
      throw asStorageError(err);
    }
  }

  inTx(): boolean {
    return this.frame() !== undefined;
  }

  beforeCommit(key: string, fn: () => Promise<void> | void): void {
    const f = this.frame();
    if (!f) {
      // outside a transaction every statement commits by itself: run it now (as the SQLite runner does)
      try {
        const done = fn();
        if (done instanceof Promise) done.catch((err: unknown) => this.onHookError(err));
      } catch (err) {
        this.onHookError(err);
      }
      return;
    }
    if (!f.root.before.has(key)) f.root.before.set(key, fn);
  }

  afterCommit(fn: () => void): void {
    const f = this.frame();
    if (f) f.after.push(fn);
    else this.runAfter([fn]);
  }

  private runAfter(fns: (() => void)[]): void {
    for (const fn of fns) {
      try {
        fn();
      } catch (err) {
        this.onHookError(err);
      }
    }
  }

  tx<T>(fn: () => Promise<T> | T): Promise<T> {
    const parent = this.frame();
    if (parent) {
      const turn = parent.children.then(() => this.nested(parent, fn));
      parent.children = turn.catch(() => undefined);
      return turn;
    }
    return this.outer(fn);
  }

  private async nested<T>(parent: TxFrame, fn: () => Promise<T> | T): Promise<T> {
    const root = parent.root;
    const name = `parley_sp${++root.savepoints}`;
    await this.onRootText(root, `SAVEPOINT ${name}`);
    const frame: TxFrame = { root, after: [], children: Promise.resolve() };
    try {
      const result = await this.als.run(frame, fn);
      await frame.children;
      await this.onRootText(root, `RELEASE SAVEPOINT ${name}`);
      parent.after.push(...frame.after);
      return result;
    } catch (err) {
      await this.onRootText(root, `ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      await this.onRootText(root, `RELEASE SAVEPOINT ${name}`).catch(() => undefined);
      throw err;
    }
  }

  private async outer<T>(fn: () => Promise<T> | T): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw asStorageError(err, true);
    }
    const root: TxRoot = { client, open: true, savepoints: 0, before: new Map(), queue: Promise.resolve() };
    const frame: TxFrame = { root, after: [], children: Promise.resolve() };
    let broken: Error | undefined;
    // a checked-out connection the server drops between statements emits 'error' (unhandled, it
    // would end the process); the next statement on it fails, and it is not given back
    const onLost = (err: Error): void => {
      broken ??= err;
    };
    client.on('error', onLost);
    const release = (): void => {
      client.removeListener('error', onLost);
      client.release(broken ?? undefined);
    };
    try {
      await this.onRootText(root, 'BEGIN');
      const result = await this.als.run(frame, async () => {
        const value = await fn();
        await frame.children;
        // hooks may register more hooks; each key runs once
        const ran = new Set<string>();
        for (;;) {
          const next = [...root.before.entries()].find(([k]) => !ran.has(k));
          if (!next) break;
          ran.add(next[0]);
          await next[1]();
        }
        return value;
      });
      const done = await this.onRootText(root, 'COMMIT');
      // COMMIT of a transaction an earlier error aborted answers ROLLBACK, without an error
      if (done.command === 'ROLLBACK') {
        throw new Error('the transaction was rolled back: a statement inside it failed earlier (caught without a savepoint)');
      }
      root.open = false;
      release();
      this.runAfter(frame.after);
      return result;
    } catch (err) {
      if (root.open) {
        root.open = false;
        try {
          await onRoot(root, (c) => c.query('ROLLBACK'));
        } catch (rollbackErr) {
          broken ??= rollbackErr as Error;
        }
        release();
      }
      throw err;
    }
  }

  private async onRootText(root: TxRoot, text: string): Promise<pg.QueryResult> {
    try {
      return await onRoot(root, (c) => c.query(text));
    } catch (err) {
      throw asStorageError(err);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface OpenPgSqlOptions extends PgSqlOptions {
  /** most connections the pool opens (default 10) */
  max?: number;
  /** give up connecting after this long (default 5 s), a storage fault */
  connectionTimeoutMillis?: number;
  /** an idle pooled connection failed (e.g. the server restarted); default: ignored, the next query reports */
  onPoolError?: (err: Error) => void;
}

/** A pool for `url` and the runner over it. */
export function openPgSql(url: string, options: OpenPgSqlOptions = {}): PgSql {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // an idle client's error is emitted on the pool; without a listener it would end the process
  pool.on('error', options.onPoolError ?? (() => undefined));
  return new PgSql(pool, options);
}
