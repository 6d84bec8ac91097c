/**
 * The SQLite `Sql` runner: one better-sqlite3 connection behind the asynchronous interface.
 *
 * Statements are prepared once per SQL text and reused. better-sqlite3 is synchronous, so a call
 * runs at once when no transaction holds the connection, or when it is made inside the open one
 * (found through AsyncLocalStorage, see createTxGate); any other call waits for it to end.
 */
import type Database from 'better-sqlite3';
import { createTxGate } from './async.ts';
import type { Db } from './db.ts';
import { rolledBackBySqlite } from './faults.ts';
import type { RunResult, Sql, SqlValue } from './sql.ts';

type Hook = () => Promise<void> | void;

const MAX_STATEMENTS = 2_000;

/** one runner per connection: two gates over one connection would let transactions interleave */
const runners = new WeakMap<Db, Sql>();

export function sqliteSql(db: Db): Sql {
  let sql = runners.get(db);
  if (sql === undefined) {
    sql = createSqliteSql(db);
    runners.set(db, sql);
  }
  return sql;
}

/**
 * A prepared statement; one that returns rows runs in raw mode (arrays) and its rows are built
 * here: better-sqlite3 builds each row object in C++ one property at a time, which for a wide row
 * (a conversation's 17 columns) cost about a third more than filling a plain object in JS.
 */
interface Prepared {
  statement: Database.Statement<SqlValue[], unknown>;
  /** the column names of a statement that returns rows (null: it returns none) */
  names: string[] | null;
}

const columnNames = (s: Database.Statement<SqlValue[], unknown>): string[] => s.columns().map((c) => c.name);

/** a row as better-sqlite3 would build it: later columns of the same name win, as there */
function toRow(p: Prepared, values: unknown[]): unknown {
  let names = p.names!;
  // a schema change re-prepares the statement underneath, and `SELECT *` may change its columns
  if (names.length !== values.length) names = p.names = columnNames(p.statement);
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row;
}

function createSqliteSql(db: Db): Sql {
  const statements = new Map<string, Prepared>();
  const prepared = (text: string): Prepared => {
    let p = statements.get(text);
    if (p === undefined) {
      const statement = db.prepare<SqlValue[], unknown>(text);
      p = { statement, names: statement.reader ? columnNames(statement.raw(true)) : null };
      // statements built per call (filters, IN lists) could grow the cache without end: when it
      // is full it starts over, and the statements in use are prepared again once
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statements.set(text, p);
    }
    return p;
  };

  let before = new Map<string, Hook>();
  let after: (() => void)[] = [];
  /** how many afterCommit hooks each open savepoint started with (dropped when it rolls back) */
  const marks: number[] = [];
  let committed = false;

  // a hook may register another (or run queries that do): each key runs once, in order
  const runBeforeCommit = async (): Promise<void> => {
    const ran = new Set<string>();
    for (;;) {
      const next = [...before].find(([key]) => !ran.has(key));
      if (next === undefined) return;
      ran.add(next[0]);
      await next[1]();
      if (!db.inTransaction) throw rolledBackBySqlite();
    }
  };

  const gate = createTxGate({
    begin: () => {
      before = new Map();
      after = [];
      marks.length = 0;
      committed = false;
      prepared('BEGIN').statement.run();
    },
    beforeCommit: () => (before.size === 0 ? undefined : runBeforeCommit()),
    commit: () => {
      prepared('COMMIT').statement.run();
      committed = true;
    },
    rollback: () => void prepared('ROLLBACK').statement.run(),
    inTransaction: () => db.inTransaction,
    finished: () => {
      const run = committed ? after : [];
      before = new Map();
      after = [];
      marks.length = 0;
      committed = false;
      for (const fn of run) {
        try {
          fn();
        } catch (err) {
          // the transaction is committed; a failing follower must not make it look failed
          console.error('afterCommit hook failed', err);
        }
      }
    },
    savepoint: (name) => {
      marks.push(after.length);
      prepared(`SAVEPOINT ${name}`).statement.run();
    },
    release: (name) => {
      marks.pop();
      prepared(`RELEASE ${name}`).statement.run();
    },
    rollbackTo: (name) => {
      const mark = marks.at(-1);
      if (mark !== undefined) after.length = mark;
      prepared(`ROLLBACK TO ${name}`).statement.run();
    },
  });

  type Kind = 'all' | 'get' | 'run';
  const execute = (kind: Kind, text: string, params: readonly SqlValue[]): unknown => {
    const p = prepared(text);
    const s = p.statement;
    if (kind === 'run') {
      const r = s.run(...params);
      return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
    }
    if (p.names === null) throw new TypeError(`${kind}() needs a statement that returns rows: ${text}`);
    if (kind === 'get') {
      const values = s.get(...params) as unknown[] | undefined;
      return values === undefined ? undefined : toRow(p, values);
    }
    return (s.all(...params) as unknown[][]).map((values) => toRow(p, values));
  };
  // runs at once when the connection is free or the caller is inside the open transaction (no
  // promise but the result's); inside a transaction SQLite rolled back by itself, nothing may run
  // in autocommit mode instead
  const query = <T>(kind: Kind, text: string, params: readonly SqlValue[]): Promise<T> => {
    const state = gate.state();
    if (state === 'busy') return gate.call(() => query<T>(kind, text, params)).then((p) => p);
    try {
      if (state === 'inside' && !db.inTransaction) throw rolledBackBySqlite();
      return Promise.resolve(execute(kind, text, params) as T);
    } catch (err) {
      return Promise.reject(err);
    }
  };

  return {
    dialect: 'sqlite',
    all: <R>(text: string, params: readonly SqlValue[] = []): Promise<R[]> => query<R[]>('all', text, params),
    get: <R>(text: string, params: readonly SqlValue[] = []): Promise<R | undefined> => query<R | undefined>('get', text, params),
    run: (text: string, params: readonly SqlValue[] = []): Promise<RunResult> => query<RunResult>('run', text, params),
    exec: (text: string): Promise<void> =>
      gate.call(() => {
        if (gate.inside() && !db.inTransaction) throw rolledBackBySqlite();
        db.exec(text);
      }),
    tx: <T>(fn: () => Promise<T> | T): Promise<T> => gate.tx(fn),
    inTx: (): boolean => gate.inside(),
    beforeCommit(key: string, fn: Hook): void {
      if (!gate.inside()) {
        const done = fn();
        if (done instanceof Promise) done.catch((err: unknown) => console.error('beforeCommit hook failed', err));
        return;
      }
      if (!before.has(key)) before.set(key, fn);
    },
    afterCommit(fn: () => void): void {
      if (gate.inside()) after.push(fn);
      else fn();
    },
    close: async (): Promise<void> => {
      statements.clear();
      db.close();
    },
  };
}
