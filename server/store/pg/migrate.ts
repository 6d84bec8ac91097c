/**
 * PostgreSQL migrations: every `NNN-name.sql` in ./migrations, applied in name order, each once,
 * each in its own transaction, recorded in `schema_migrations` (the same table the SQLite side
 * keeps).
 *
 * The whole run holds a session advisory lock, so instances starting together take turns: the
 * first applies what is pending, the others then find nothing left to do. The lock goes with the
 * connection, so a runner that dies mid-way does not block the next one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { asStorageError } from './pg-sql.ts';

export const PG_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** the advisory lock key of Parley's schema work (any constant no other tool uses) */
export const MIGRATION_LOCK_KEY = 0x5061726c6579n; // "Parley"

export interface MigratePgOptions {
  dir?: string;
}

/** Apply the pending migrations; returns the files this call applied. */
export async function migratePg(pool: pg.Pool, options: MigratePgOptions = {}): Promise<string[]> {
  const dir = options.dir ?? PG_MIGRATIONS_DIR;
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort();
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw asStorageError(err, true);
  }
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const text = readFileSync(join(dir, file), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query(text);
          await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [file, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const e = asStorageError(err);
          if (e instanceof Error && e === err) e.message = `migration ${file} failed: ${e.message}`;
          throw e;
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch((err: Error) => {
        broken = err;
      });
    }
  } catch (err) {
    broken ??= err as Error;
    throw asStorageError(err);
  } finally {
    // a connection whose lock or transaction state is in doubt is not given back to the pool
    client.release(broken);
  }
}

/** the advisory lock key instances take turns on for start-up seeding (the migrations use MIGRATION_LOCK_KEY) */
const STARTUP_LOCK_KEY = (MIGRATION_LOCK_KEY + 1n).toString();

/**
 * Instances starting together on one PostgreSQL database seed it one after another (the demo site,
 * the first owner, the insights backfill all check, then write): a session advisory lock held on a
 * connection of its own until `release`. The lock goes with the connection if the process dies.
 */
export async function startupLock(pool: pg.Pool): Promise<() => Promise<void>> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
  } catch (err) {
    client.release(err instanceof Error ? err : true);
    throw err;
  }
  let released: Promise<void> | null = null;
  return () =>
    (released ??= client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).then(
      () => client.release(),
      (err: unknown) => client.release(err instanceof Error ? err : true),
    ));
}
