/**
 * Storage faults: the database cannot be written (disk full, read-only file or mount, I/O error,
 * locked past the busy timeout). They are the server's problem, not the client's, but the client
 * must hear it clearly and know nothing was stored, so it can send the same thing again later.
 */
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.ts';

const FAULT_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL|ABORT_ROLLBACK)/;

export const STORAGE_RETRY_MS = 5_000;

/**
 * PostgreSQL SQLSTATEs that mean the database is unreachable or cannot write: connection
 * exceptions (08), insufficient resources such as a full disk or too many connections (53),
 * operator intervention such as a shutdown (57P), a read-only transaction or standby (25006).
 */
const PG_FAULT_STATES = /^(08|53|57P)|^25006$/;

/**
 * A PostgreSQL connection that failed or was lost (refused, reset, timed out, terminated): the
 * PostgreSQL runner (server/store/pg/pg-sql.ts) throws this in place of the driver's error.
 */
export class StorageUnavailableError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** a PostgreSQL server error (it carries a severity and a five-character SQLSTATE) of a fault class */
export function isPgFaultState(err: unknown): boolean {
  if (!(err instanceof Error) || !('severity' in err) || !('code' in err)) return false;
  return typeof err.code === 'string' && err.code.length === 5 && PG_FAULT_STATES.test(err.code);
}

export function isStorageFault(err: unknown): err is Error {
  if (err instanceof Database.SqliteError) return FAULT_CODES.test(err.code);
  return err instanceof StorageUnavailableError || isPgFaultState(err);
}

/** the AppError to answer with, or null when `err` is not a storage fault */
export function storageFault(err: unknown): AppError | null {
  if (!isStorageFault(err)) return null;
  return new AppError('storage_unavailable', 'The server cannot save right now; nothing was stored. Please try again in a moment.', {
    retryAfterMs: STORAGE_RETRY_MS,
  });
}

/**
 * SQLite rolls a whole transaction back by itself after some errors inside it (disk full, I/O
 * error, out of memory), even when the statement that failed was in a savepoint its caller
 * caught. What the transaction did is gone, so committing must not be attempted: this error takes
 * its place and reads as a storage fault.
 */
export function rolledBackBySqlite(): InstanceType<typeof Database.SqliteError> {
  return new Database.SqliteError('the database rolled the transaction back by itself (disk full or I/O error)', 'SQLITE_ABORT_ROLLBACK');
}
