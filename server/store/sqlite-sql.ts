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

function createSqliteSql(db: Db): Sql {
  const statements = new Map<string, Database.Statement<SqlValue[], unknown>>();
  const prepared = (text: string): Database.Statement<SqlValue[], unknown> => {
    let s = statements.get(text);
    if (s === undefined) {
      s = db.prepare<SqlValue[], unknown>(text);
      // statements built per call (filters, IN lists) could grow the cache without end: when it
      // is full it starts over, and the statements in use are prepared again once
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statements.set(text, s);
    }
    return s;
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
      prepared('BEGIN').run();
    },
    beforeCommit: () => (before.size === 0 ? undefined : runBeforeCommit()),
    commit: () => {
      prepared('COMMIT').run();
      committed = true;
    },
    rollback: () => void prepared('ROLLBACK').run(),
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
      prepared(`SAVEPOINT ${name}`).run();
    },
    release: (name) => {
      marks.pop();
      prepared(`RELEASE ${name}`).run();
    },
    rollbackTo: (name) => {
      const mark = marks.at(-1);
      if (mark !== undefined) after.length = mark;
      prepared(`ROLLBACK TO ${name}`).run();
    },
  });

  type Kind = 'all' | 'get' | 'run';
  const execute = (kind: Kind, text: string, params: readonly SqlValue[]): unknown => {
    const s = prepared(text);
    if (kind === 'get') return s.get(...params);
    if (kind === 'all') return s.all(...params);
    return { changes: s.run(...params).changes };
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
