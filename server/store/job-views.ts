import type { Asyncify } from './async.ts';
import type { JobView } from '../../shared/admin-api.ts';
import type { Db } from './db.ts';
import { parsePayload, type JobRow } from './jobs.ts';

/** Read-only view of the job queue for the admin page (dead jobs above all). */
export function jobViewsStore(db: Db) {
  const list = db.prepare<[{ status: string | null; kind: string | null; limit: number }], JobRow>(
    `SELECT * FROM jobs WHERE (@status IS NULL OR status = @status) AND (@kind IS NULL OR kind = @kind)
     ORDER BY updated_at DESC, id DESC LIMIT @limit`,
  );
  return {
    list(filter: { status?: JobView['status']; kind?: string; limit: number }): JobView[] {
      return list.all({ status: filter.status ?? null, kind: filter.kind ?? null, limit: filter.limit }).map((r) => ({
        id: r.id,
        kind: r.kind,
        payload: parsePayload(r.payload),
        status: r.status,
        attempts: r.attempts,
        runAt: r.run_at,
        lastError: r.last_error,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },
  };
}
export type JobViewsStore = Asyncify<ReturnType<typeof jobViewsStore>>;
