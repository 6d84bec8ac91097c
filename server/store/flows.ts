import type { Asyncify } from './async.ts';
import { Flow } from '../../shared/flow.ts';
import type { z } from 'zod';
import type { Db } from './db.ts';

interface FlowRow {
  definition: string;
}

/** A site's flows (surveys and support), stored as validated JSON. */
export function flowsStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO flows (site_id, id, definition, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (site_id, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
  );
  const get = db.prepare<[string, string], FlowRow>('SELECT definition FROM flows WHERE site_id = ? AND id = ?');
  const list = db.prepare<[string], FlowRow>('SELECT definition FROM flows WHERE site_id = ? ORDER BY id');
  const remove = db.prepare('DELETE FROM flows WHERE site_id = ? AND id = ?');
  // every bot turn reads its flow; parsing the JSON with zod each time would dominate the turn
  const cache = new Map<string, Flow>();
  const cacheKey = (siteId: string, flowId: string) => `${siteId}\u0000${flowId}`;

  return {
    upsert(siteId: string, flow: z.input<typeof Flow>, now = Date.now()): Flow {
      const f = Flow.parse(flow);
      upsert.run(siteId, f.id, JSON.stringify(f), now);
      cache.delete(cacheKey(siteId, f.id));
      return f;
    },
    /** callers must not mutate the returned flow: it is shared through the cache */
    get(siteId: string, flowId: string): Flow | null {
      const key = cacheKey(siteId, flowId);
      const hit = cache.get(key);
      if (hit) return hit;
      const row = get.get(siteId, flowId);
      if (!row) return null;
      const flow = Flow.parse(JSON.parse(row.definition));
      cache.set(key, flow);
      return flow;
    },
    list(siteId: string): Flow[] {
      return list.all(siteId).map((r) => Flow.parse(JSON.parse(r.definition)));
    },
    remove(siteId: string, flowId: string): boolean {
      cache.delete(cacheKey(siteId, flowId));
      return remove.run(siteId, flowId).changes === 1;
    },
  };
}
export type FlowsStore = Asyncify<ReturnType<typeof flowsStore>>;
