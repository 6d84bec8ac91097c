import { Flow } from '../../shared/flow.ts';
import type { z } from 'zod';
import type { Sql } from './sql.ts';

interface FlowRow {
  definition: string;
}

/** A site's flows (surveys and support), stored as validated JSON. */
export function flowsStore(sql: Sql) {
  // every bot turn reads its flow; parsing the JSON with zod each time would dominate the turn
  // PG-TODO: with several server processes an edit made by another one is not seen here (cache
  // invalidation across nodes: NOTIFY or Redis)
  const cache = new Map<string, Flow>();
  const cacheKey = (siteId: string, flowId: string) => `${siteId}\u0000${flowId}`;
  // bumped by every local write: a read that raced one does not fill the cache
  let writes = 0;

  return {
    async upsert(siteId: string, flow: z.input<typeof Flow>, now = Date.now()): Promise<Flow> {
      const f = Flow.parse(flow);
      writes++;
      cache.delete(cacheKey(siteId, f.id));
      await sql.run(
        `INSERT INTO flows (site_id, id, definition, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (site_id, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
        [siteId, f.id, JSON.stringify(f), now],
      );
      writes++;
      cache.delete(cacheKey(siteId, f.id));
      return f;
    },
    /** callers must not mutate the returned flow: it is shared through the cache */
    async get(siteId: string, flowId: string): Promise<Flow | null> {
      const key = cacheKey(siteId, flowId);
      const hit = cache.get(key);
      if (hit) return hit;
      const before = writes;
      const row = await sql.get<FlowRow>('SELECT definition FROM flows WHERE site_id = ? AND id = ?', [siteId, flowId]);
      if (!row) return null;
      const flow = Flow.parse(JSON.parse(row.definition));
      if (writes === before) cache.set(key, flow);
      return flow;
    },
    async list(siteId: string): Promise<Flow[]> {
      const rows = await sql.all<FlowRow>('SELECT definition FROM flows WHERE site_id = ? ORDER BY id', [siteId]);
      return rows.map((r) => Flow.parse(JSON.parse(r.definition)));
    },
    async remove(siteId: string, flowId: string): Promise<boolean> {
      writes++;
      cache.delete(cacheKey(siteId, flowId));
      const r = await sql.run('DELETE FROM flows WHERE site_id = ? AND id = ?', [siteId, flowId]);
      writes++;
      cache.delete(cacheKey(siteId, flowId));
      return r.changes === 1;
    },
  };
}
export type FlowsStore = ReturnType<typeof flowsStore>;
