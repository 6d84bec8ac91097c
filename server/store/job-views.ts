import type { JobView } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';
import { parsePayload, type JobRow } from './jobs.ts';

/** Read-only view of the job queue for the admin page (dead jobs above all). */
export function jobViewsStore(sql: Sql) {
  return {
    async list(filter: { status?: JobView['status']; kind?: string; limit: number }): Promise<JobView[]> {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.status !== undefined) where.push('status = ?'), params.push(filter.status);
      if (filter.kind !== undefined) where.push('kind = ?'), params.push(filter.kind);
      const rows = await sql.all<JobRow>(
        `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ?`,
        [...params, filter.limit],
      );
      return rows.map((r) => ({
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
export type JobViewsStore = ReturnType<typeof jobViewsStore>;
