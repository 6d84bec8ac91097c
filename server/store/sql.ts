/**
 * The one way store modules talk to a database, whichever engine it is.
 *
 * Store modules write SQL once, with positional `?` parameters, in the dialect both engines
 * share (SQLite 3.50 and PostgreSQL 15 both know ON CONFLICT ... DO UPDATE/NOTHING, RETURNING,
 * COALESCE, CASE, window functions, CTEs). Where the engines differ (full-text search, JSON
 * functions, date arithmetic, scalar MAX/MIN), the module branches on `sql.dialect`.
 *
 * Values: strings, numbers, null. Booleans are stored as 0/1 integers and timestamps as integer
 * milliseconds in both engines; PostgreSQL's BIGINT and NUMERIC come back as JavaScript numbers.
 *
 * Transactions: `tx(fn)` runs `fn` in one transaction; a nested `tx` becomes a savepoint. Every
 * query made while `fn` runs (found through AsyncLocalStorage) is part of the transaction, any
 * other waits (SQLite) or uses another connection (PostgreSQL). Inside a transaction await only
 * database work: waiting on the network there holds other writers back.
 */
export type SqlValue = string | number | bigint | null;

export interface RunResult {
  /** rows inserted, updated or deleted */
  changes: number;
  /** SQLite: the rowid of the row the statement inserted last (cheaper than RETURNING); PostgreSQL: absent */
  lastId?: number;
}

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<R>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  get<R>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** several statements, no parameters (schema work) */
  exec(sql: string): Promise<void>;
  tx<T>(fn: () => Promise<T> | T): Promise<T>;
  /** whether the caller runs inside an open transaction */
  inTx(): boolean;
  /** run `fn` inside the current outermost transaction just before it commits (once per tx) */
  beforeCommit(key: string, fn: () => Promise<void> | void): void;
  /** run `fn` after the current outermost transaction committed (or at once outside one) */
  afterCommit(fn: () => void): void;
  close(): Promise<void>;
}

/**
 * ` COLLATE "C"` on PostgreSQL, nothing on SQLite: text sorted and compared byte by byte, as
 * SQLite's BINARY collation does, whatever collation the PostgreSQL database was created with
 * (an en_US database would put "apple" before "Billing" and ignore punctuation).
 */
export const bytewise = (sql: Pick<Sql, 'dialect'>): string => (sql.dialect === 'postgres' ? ' COLLATE "C"' : '');
