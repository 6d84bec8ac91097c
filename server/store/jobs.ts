import type { Asyncify } from './async.ts';
import type { Db } from './db.ts';

export interface EnqueueOptions {
  /** run no earlier than this (epoch ms); default now */
  runAt?: number;
  /** a second enqueue with the same key is ignored while the first is pending or running */
  dedupeKey?: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

/** A job as the worker sees it; the payload is parsed JSON, validated by the handler. */
export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  status: JobStatus;
  /** attempts so far, counting the one that is running */
  attempts: number;
  runAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  dedupeKey: string | null;
}

/** A row of the jobs table (migration 001). */
export interface JobRow {
  id: number;
  kind: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: number;
  updated_at: number;
}

/** A payload that is not JSON reads as null; the handler's validation then fails the job. */
export function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  payload: parsePayload(r.payload),
  status: r.status,
  attempts: r.attempts,
  runAt: r.run_at,
  lockedUntil: r.locked_until,
  lastError: r.last_error,
  dedupeKey: r.dedupe_key,
});

/** The durable job queue's store. Call enqueue inside the transaction of the event that causes the job. */
export function jobsStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO jobs (kind, payload, status, attempts, run_at, dedupe_key, created_at, updated_at)
     VALUES (?, ?, 'pending', 0, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  // A running job whose lease ran out belongs to a worker that died (or hung): it is due again.
  const due = db.prepare<[{ now: number; kinds: string; limit: number }], JobRow>(
    `SELECT * FROM jobs
     WHERE ((status = 'pending' AND run_at <= @now) OR (status = 'running' AND locked_until <= @now))
       AND kind IN (SELECT value FROM json_each(@kinds))
     ORDER BY run_at, id LIMIT @limit`,
  );
  const lock = db.prepare(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?, updated_at = ? WHERE id = ?`,
  );
  // Done and dead jobs give up their dedupe key so the same work can be enqueued again later
  // (re-analysis, a manual retry); the key only guards against duplicates while one is in flight.
  const done = db.prepare(
    `UPDATE jobs SET status = 'done', locked_until = NULL, dedupe_key = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const retryLater = db.prepare(
    `UPDATE jobs SET status = 'pending', locked_until = NULL, run_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const dead = db.prepare(
    `UPDATE jobs SET status = 'dead', locked_until = NULL, dedupe_key = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const revive = db.prepare(
    `UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND status = 'dead'`,
  );
  const byId = db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const byStatus = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE status = ? ORDER BY id');
  const counts = db.prepare<[], { status: JobStatus; n: number }>('SELECT status, count(*) AS n FROM jobs GROUP BY status');
  const nextRunAt = db.prepare<[string], { t: number | null }>(
    `SELECT min(CASE status WHEN 'pending' THEN run_at ELSE locked_until END) AS t FROM jobs
     WHERE status IN ('pending', 'running') AND kind IN (SELECT value FROM json_each(?))`,
  );

  return {
    enqueue(kind: string, payload: object, opts: EnqueueOptions = {}): void {
      const now = Date.now();
      insert.run(kind, JSON.stringify(payload), opts.runAt ?? now, opts.dedupeKey ?? null, now, now);
    },
    /**
     * Take up to `limit` due jobs of the given kinds and lease them until `now + leaseMs`, in one
     * transaction, so two workers never take the same job while its lease holds.
     */
    claim(kinds: string[], limit: number, leaseMs: number, now = Date.now()): Job[] {
      return db.transaction(() => {
        const rows = due.all({ now, kinds: JSON.stringify(kinds), limit });
        for (const r of rows) lock.run(now + leaseMs, now, r.id);
        return rows.map((r) => toJob({ ...r, status: 'running', attempts: r.attempts + 1, locked_until: now + leaseMs }));
      })();
    },
    /** `note`: a problem the job worked around (e.g. an LLM error it fell back from), kept as last_error */
    complete(id: number, now = Date.now(), note: string | null = null): void {
      done.run(note, now, id);
    },
    /** a failed attempt: try again at `retryAt`, or give up (dead) when retryAt is null */
    fail(id: number, error: string, retryAt: number | null, now = Date.now()): void {
      if (retryAt === null) dead.run(error, now, id);
      else retryLater.run(retryAt, error, now, id);
    },
    /** put a dead job back in the queue with fresh attempts (its last error stays until it runs) */
    revive(id: number, now = Date.now()): boolean {
      return revive.run(now, now, id).changes > 0;
    },
    get(id: number): Job | null {
      const r = byId.get(id);
      return r ? toJob(r) : null;
    },
    listByStatus(status: JobStatus): Job[] {
      return byStatus.all(status).map(toJob);
    },
    counts(): Record<JobStatus, number> {
      const out: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
      for (const r of counts.all()) out[r.status] = r.n;
      return out;
    },
    /** when the earliest pending or leased job of these kinds becomes due; null when none */
    nextDueAt(kinds: string[]): number | null {
      return nextRunAt.get(JSON.stringify(kinds))?.t ?? null;
    },
  };
}
export type JobsStore = Asyncify<ReturnType<typeof jobsStore>>;
