import type { Db } from './db.ts';

export interface EnqueueOptions {
  /** run no earlier than this (epoch ms); default now */
  runAt?: number;
  /** a second enqueue with the same key is ignored while the first exists */
  dedupeKey?: string;
}

/** The durable job queue's store. Call enqueue inside the transaction of the event that causes the job. */
export function jobsStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO jobs (kind, payload, status, attempts, run_at, dedupe_key, created_at, updated_at)
     VALUES (?, ?, 'pending', 0, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  return {
    enqueue(kind: string, payload: object, opts: EnqueueOptions = {}): void {
      const now = Date.now();
      insert.run(kind, JSON.stringify(payload), opts.runAt ?? now, opts.dedupeKey ?? null, now, now);
    },
  };
}
export type JobsStore = ReturnType<typeof jobsStore>;
