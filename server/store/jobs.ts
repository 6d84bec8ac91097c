import type { Db } from './db.ts';
import type { Sql } from './sql.ts';
import { sqliteSql } from './sqlite-sql.ts';

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

/**
 * The claim that holds a job: every claim counts an attempt and sets a new lease end (strictly
 * later than the one before, which had run out), so the pair names one claim. A worker whose
 * lease ran out and whose job was claimed again no longer holds it.
 */
export type JobLease = Pick<Job, 'id' | 'attempts' | 'lockedUntil'>;

/** the row is still leased to this claim */
const HELD = `id = ? AND status = 'running' AND attempts = ? AND locked_until = ?`;
const held = (l: JobLease) => [l.id, l.attempts, l.lockedUntil];

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** The durable job queue's store. Call enqueue inside the transaction of the event that causes the job. */
export function jobsStore(sqlOrDb: Sql | Db) {
  // a bare SQLite connection (the worker's tests) gets its runner, shared with createStore's
  const sql = 'dialect' in sqlOrDb ? sqlOrDb : sqliteSql(sqlOrDb);
  // PostgreSQL: rows another worker is claiming are skipped rather than claimed twice
  const skipLocked = sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';

  return {
    async enqueue(kind: string, payload: object, opts: EnqueueOptions = {}): Promise<void> {
      const now = Date.now();
      await sql.run(
        `INSERT INTO jobs (kind, payload, status, attempts, run_at, dedupe_key, created_at, updated_at)
         VALUES (?, ?, 'pending', 0, ?, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [kind, JSON.stringify(payload), opts.runAt ?? now, opts.dedupeKey ?? null, now, now],
      );
    },
    /**
     * Take up to `limit` due jobs of the given kinds and lease them until `now + leaseMs`, in one
     * transaction, so two workers never take the same job while its lease holds.
     */
    async claim(kinds: string[], limit: number, leaseMs: number, now = Date.now()): Promise<Job[]> {
      if (kinds.length === 0 || limit <= 0) return [];
      return sql.tx(async () => {
        // A running job whose lease ran out belongs to a worker that died (or hung): it is due again.
        const rows = await sql.all<JobRow>(
          `SELECT * FROM jobs
           WHERE ((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until <= ?))
             AND kind IN (${marks(kinds.length)})
           ORDER BY run_at, id LIMIT ?${skipLocked}`,
          [now, now, ...kinds, limit],
        );
        if (rows.length === 0) return [];
        await sql.run(
          `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?, updated_at = ? WHERE id IN (${marks(rows.length)})`,
          [now + leaseMs, now, ...rows.map((r) => r.id)],
        );
        return rows.map((r) => toJob({ ...r, status: 'running', attempts: r.attempts + 1, locked_until: now + leaseMs }));
      });
    },
    /**
     * The claim `lease` succeeded; false (nothing written) when it no longer holds the job (its
     * lease ran out and another claim took it: that one's outcome counts).
     * `note`: a problem the job worked around (e.g. an LLM error it fell back from), kept as last_error.
     */
    async complete(lease: JobLease, now = Date.now(), note: string | null = null): Promise<boolean> {
      // Done and dead jobs give up their dedupe key so the same work can be enqueued again later
      // (re-analysis, a manual retry); the key only guards against duplicates while one is in flight.
      const r = await sql.run(
        `UPDATE jobs SET status = 'done', locked_until = NULL, dedupe_key = NULL, last_error = ?, updated_at = ? WHERE ${HELD}`,
        [note, now, ...held(lease)],
      );
      return r.changes === 1;
    },
    /**
     * A failed attempt of the claim `lease`: try again at `retryAt`, or give up (dead) when retryAt
     * is null. False (nothing written) when the claim no longer holds the job.
     */
    async fail(lease: JobLease, error: string, retryAt: number | null, now = Date.now()): Promise<boolean> {
      const r =
        retryAt === null
          ? await sql.run(
              `UPDATE jobs SET status = 'dead', locked_until = NULL, dedupe_key = NULL, last_error = ?, updated_at = ? WHERE ${HELD}`,
              [error, now, ...held(lease)],
            )
          : await sql.run(
              `UPDATE jobs SET status = 'pending', locked_until = NULL, run_at = ?, last_error = ?, updated_at = ? WHERE ${HELD}`,
              [retryAt, error, now, ...held(lease)],
            );
      return r.changes === 1;
    },
    /** put a dead job back in the queue with fresh attempts (its last error stays until it runs) */
    async revive(id: number, now = Date.now()): Promise<boolean> {
      const r = await sql.run(
        `UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND status = 'dead'`,
        [now, now, id],
      );
      return r.changes > 0;
    },
    async get(id: number): Promise<Job | null> {
      const r = await sql.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [id]);
      return r ? toJob(r) : null;
    },
    async listByStatus(status: JobStatus): Promise<Job[]> {
      return (await sql.all<JobRow>('SELECT * FROM jobs WHERE status = ? ORDER BY id', [status])).map(toJob);
    },
    async counts(): Promise<Record<JobStatus, number>> {
      const out: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
      for (const r of await sql.all<{ status: JobStatus; n: number }>('SELECT status, count(*) AS n FROM jobs GROUP BY status')) {
        out[r.status] = r.n;
      }
      return out;
    },
    /** when the earliest pending or leased job of these kinds becomes due; null when none */
    async nextDueAt(kinds: string[]): Promise<number | null> {
      if (kinds.length === 0) return null;
      const row = await sql.get<{ t: number | null }>(
        `SELECT min(CASE status WHEN 'pending' THEN run_at ELSE locked_until END) AS t FROM jobs
         WHERE status IN ('pending', 'running') AND kind IN (${marks(kinds.length)})`,
        kinds,
      );
      return row?.t ?? null;
    },
  };
}
export type JobsStore = ReturnType<typeof jobsStore>;
