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

export function sqliteSql(db: Db): Sql {
  const statements = new Map<string, Database.Statement<SqlValue[], unknown>>();
  const prepared = (text: string): Database.Statement<SqlValue[], unknown> => {
    let s = statements.get(text);
    if (s === undefined) {
      s = db.prepare<SqlValue[], unknown>(text);
      statements.set(text, s);
    }
    return s;
  };

  let before = new Map<string, Hook>();
  let after: (() => void)[] = [];
  /** how many afterCommit hooks each open savepoint started with (dropped when it rolls back) */
  const marks: number[] = [];
  let committed = false;

  const gate = createTxGate({
    begin: () => {
      before = new Map();
      after = [];
      marks.length = 0;
      committed = false;
      db.exec('BEGIN');
    },
    beforeCommit: async () => {
      // a hook may register another (or run queries that do): run each key once, in order
      const ran = new Set<string>();
      for (;;) {
        const next = [...before].find(([key]) => !ran.has(key));
        if (next === undefined) return;
        ran.add(next[0]);
        await next[1]();
        if (!db.inTransaction) throw rolledBackBySqlite();
      }
    },
    commit: () => {
      db.exec('COMMIT');
      committed = true;
    },
    rollback: () => db.exec('ROLLBACK'),
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
      db.exec(`SAVEPOINT ${name}`);
    },
    release: (name) => {
      marks.pop();
      db.exec(`RELEASE ${name}`);
    },
    rollbackTo: (name) => {
      const mark = marks.at(-1);
      if (mark !== undefined) after.length = mark;
      db.exec(`ROLLBACK TO ${name}`);
    },
  });

  // inside a transaction SQLite rolled back by itself, nothing may run in autocommit mode instead
  const checked = <T>(fn: () => T) => (): T => {
    if (gate.inside() && !db.inTransaction) throw rolledBackBySqlite();
    return fn();
  };

  return {
    dialect: 'sqlite',
    all: <R>(text: string, params: readonly SqlValue[] = []): Promise<R[]> =>
      gate.call(checked(() => prepared(text).all(...params) as R[])),
    get: <R>(text: string, params: readonly SqlValue[] = []): Promise<R | undefined> =>
      gate.call(checked(() => prepared(text).get(...params) as R | undefined)),
    run: (text: string, params: readonly SqlValue[] = []): Promise<RunResult> =>
      gate.call(checked(() => ({ changes: prepared(text).run(...params).changes }))),
    exec: (text: string): Promise<void> => gate.call(checked(() => void db.exec(text))),
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
