import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointOnWorker } from './wal-checkpointer.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenDbOptions {
  /** how often the WAL is copied into the database (0: only the size backstop does it) */
  checkpointMs?: number;
  /**
   * 'worker': the timer's checkpoints run on a worker thread with its own connection, off the
   * event loop (the server); default 'thread': on this one (tests, CLIs: no extra thread)
   */
  checkpointOn?: 'thread' | 'worker';
  /** WAL pages past which a commit checkpoints by itself: the bound when the timer cannot run */
  walBackstopPages?: number;
  /** 'full' (PARLEY_DB_SYNC=full): every commit is fsynced, durable across power loss */
  sync?: 'normal' | 'full';
}

const CHECKPOINT_MS = 1_000;
/** 16k pages of 4 KiB: 64 MiB, several seconds of the heaviest traffic measured here */
const WAL_BACKSTOP_PAGES = 16_384;

/**
 * Open (creating if needed) the database at `path` (':memory:' for tests), set the pragmas we
 * rely on and run pending migrations.
 *
 * WAL checkpoints run on a timer, not inside commits: SQLite's automatic checkpoint (every 1,000
 * pages) runs in whichever commit crosses the line and stalls every message waiting on it. The
 * automatic one stays as a far-off backstop so the WAL stays bounded even if the event loop never
 * gets to the timer, and journal_size_limit gives the disk back after a burst. Closing the last
 * connection checkpoints and removes the WAL (SQLite does that itself).
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a process crash (an acked message is in the WAL); FULL also survives a
  // power loss, and group commit (one fsync per batch of messages) keeps its cost small.
  db.pragma(options.sync === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  if (!memory) {
    const backstop = Math.max(1, Math.floor(options.walBackstopPages ?? WAL_BACKSTOP_PAGES));
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`wal_autocheckpoint = ${backstop}`);
    db.pragma(`journal_size_limit = ${backstop * pageSize}`);
    const every = options.checkpointMs ?? CHECKPOINT_MS;
    const onWorker = every > 0 && options.checkpointOn === 'worker' && checkpointOnWorker(db, path, every, () => checkpointWal(db));
    if (every > 0 && !onWorker) {
      const timer = setInterval(() => {
        if (!db.open) return clearInterval(timer);
        checkpointWal(db);
      }, every);
      // a database left open must not keep a finished process (a CLI, a test) alive
      timer.unref();
    }
  }
  return db;
}

/**
 * Copy what the WAL holds into the database without waiting for anyone (PASSIVE: readers in
 * other processes are skipped, not waited for). Returns how many WAL frames there were and how
 * many are now in the database.
 */
export function checkpointWal(db: Db): { log: number; checkpointed: number } {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  return { log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 };
}

/**
 * Versioned migrations: every `NNN-name.sql` in migrations/, applied in name order, each once,
 * each in its own transaction. Running it again applies nothing.
 */
export function migrate(db: Db): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, Date.now());
    })();
    applied.push(file);
  }
  return applied;
}
