/**
 * The store's public surface is asynchronous, so that one interface fits both engines: SQLite
 * (better-sqlite3, synchronous underneath) and PostgreSQL (a network round trip per query).
 *
 * `createTxGate` gives SQLite transactions that may await: one connection can hold only one
 * transaction, so while one is open, store calls made outside it wait until it ends, and calls
 * made inside it (found through AsyncLocalStorage) run at once, as part of it. Inside a
 * transaction only store work may be awaited: waiting on the network there would hold every
 * other writer back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { rolledBackBySqlite } from './faults.ts';

interface TxFrame {
  open: boolean;
  /** savepoints open now (the nesting depth) */
  savepoints: number;
}

/** one level of a transaction: its savepoints run one at a time (siblings started together wait) */
interface Level {
  busy: boolean;
  /** siblings waiting for the savepoint running at this level to end (null: none ever waited) */
  waiting: (() => void)[] | null;
}

/** what a caller inside a transaction carries (AsyncLocalStorage): the transaction and its level */
interface Scope {
  frame: TxFrame;
  level: Level;
}

export interface TxHooks {
  begin(): void;
  /** inside the transaction, just before COMMIT (may throw to roll back) */
  beforeCommit(): Promise<void> | void;
  commit(): void;
  rollback(): void;
  /** whether the connection is still inside a transaction (SQLite may have rolled back by itself) */
  inTransaction(): boolean;
  /** after COMMIT or ROLLBACK, whichever happened */
  finished(): void;
  savepoint(name: string): void;
  release(name: string): void;
  rollbackTo(name: string): void;
}

export interface TxGate {
  /** run `fn` in one transaction; nested calls become savepoints */
  tx<T>(fn: () => Promise<T> | T): Promise<T>;
  /** run one synchronous store call once no other transaction holds the connection */
  call<T>(fn: () => T): Promise<T>;
  /** whether the caller runs inside an open transaction */
  inside(): boolean;
  /** 'free': no transaction is open; 'inside': the caller runs in the open one; 'busy': the caller must wait */
  state(): 'free' | 'inside' | 'busy';
}

const newLevel = (): Level => ({ busy: false, waiting: null });

/** wake the siblings waiting at `level` (its savepoint ended) */
function wake(level: Level): void {
  level.busy = false;
  const waiting = level.waiting;
  if (waiting === null || waiting.length === 0) return;
  level.waiting = [];
  for (const w of waiting) w();
}

export function createTxGate(hooks: TxHooks): TxGate {
  const als = new AsyncLocalStorage<Scope>();
  let current: TxFrame | null = null;
  let waiters: (() => void)[] = [];

  const mine = (): boolean => current !== null && als.getStore()?.frame === current && current.open;
  const free = (): boolean => current === null || mine();
  const waitTurn = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const release = (): void => {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };

  async function nested<T>(scope: Scope, fn: () => Promise<T> | T): Promise<T> {
    // two savepoints started side by side (Promise.all inside a transaction) would interleave
    // their SAVEPOINT/RELEASE: the second waits for the first
    const parent = scope.level;
    while (parent.busy) await new Promise<void>((resolve) => (parent.waiting ??= []).push(resolve));
    parent.busy = true;
    const frame = scope.frame;
    // named by depth: the same few names (and so the same prepared statements) over and over
    const name = `parley_sp${++frame.savepoints}`;
    try {
      hooks.savepoint(name);
    } catch (err) {
      frame.savepoints--;
      wake(parent);
      throw err;
    }
    try {
      const result = await als.run({ frame, level: newLevel() }, fn);
      hooks.release(name);
      return result;
    } catch (err) {
      if (hooks.inTransaction()) {
        hooks.rollbackTo(name);
        hooks.release(name);
      }
      throw err;
    } finally {
      frame.savepoints--;
      wake(parent);
    }
  }

  return {
    inside: mine,
    state: () => (current === null ? 'free' : mine() ? 'inside' : 'busy'),
    async call<T>(fn: () => T): Promise<T> {
      while (!free()) await waitTurn();
      return fn();
    },
    async tx<T>(fn: () => Promise<T> | T): Promise<T> {
      const scope = als.getStore();
      if (scope && scope.frame === current && scope.frame.open) return nested(scope, fn);
      while (current !== null) await waitTurn();
      const frame: TxFrame = { open: true, savepoints: 0 };
      current = frame;
      return als.run({ frame, level: newLevel() }, async () => {
        try {
          hooks.begin();
          const result = await fn();
          if (!hooks.inTransaction()) throw rolledBackBySqlite();
          await hooks.beforeCommit();
          if (!hooks.inTransaction()) throw rolledBackBySqlite();
          hooks.commit();
          return result;
        } catch (err) {
          if (hooks.inTransaction()) hooks.rollback();
          throw err;
        } finally {
          frame.open = false;
          current = null;
          hooks.finished();
          // while enabled, AsyncLocalStorage puts a hook on every promise the process creates
          // (Node 20), and only a caller inside an open transaction needs it: off between
          // transactions, on again with the next one's run() (an afterCommit hook may have
          // begun it already). A scope left on a resource names a closed frame: never "inside".
          if (current === null) als.disable();
          release();
        }
      });
    },
  };
}
