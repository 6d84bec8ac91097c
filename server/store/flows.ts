import { Flow } from '../../shared/flow.ts';
import type { z } from 'zod';
import type { InvalidationBus } from '../cluster/invalidation.ts';
import { cacheKind } from './invalidate.ts';
import { bytewise, type Sql } from './sql.ts';

interface FlowRow {
  definition: string;
}

/**
 * A site's flows (surveys and support), stored as validated JSON. Cached; a write drops this
 * instance's copy and tells the others through `bus` after its commit.
 */
export function flowsStore(sql: Sql, bus: InvalidationBus | null = null) {
  // every bot turn reads its flow; parsing the JSON with zod each time would dominate the turn
  const cache = new Map<string, Flow>();
  const cacheKey = (siteId: string, flowId: string) => `${siteId}\u0000${flowId}`;
  // bumped by every write (here or announced by another instance): a read that raced one does not fill the cache
  let writes = 0;
  const flows = cacheKind(sql, bus, 'flow', (key) => {
    writes++;
    if (key === null) cache.clear();
    else cache.delete(key);
  });
  // every flow of a site at once (the site was deleted; its flows went with it by cascade)
  const siteFlows = cacheKind(sql, bus, 'site-flows', (siteId) => {
    writes++;
    if (siteId === null) return cache.clear();
    const prefix = cacheKey(siteId, '');
    for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
  });

  return {
    async upsert(siteId: string, flow: z.input<typeof Flow>, now = Date.now()): Promise<Flow> {
      const f = Flow.parse(flow);
      // dropped before the write too: a read while it runs must not keep the old copy
      flows.drop(cacheKey(siteId, f.id));
      await sql.run(
        `INSERT INTO flows (site_id, id, definition, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (site_id, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
        [siteId, f.id, JSON.stringify(f), now],
      );
      flows.changed(cacheKey(siteId, f.id));
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
      // inside a transaction the row may yet be rolled back: keep nothing
      if (writes === before && !sql.inTx()) cache.set(key, flow);
      return flow;
    },
    async list(siteId: string): Promise<Flow[]> {
      const rows = await sql.all<FlowRow>(`SELECT definition FROM flows WHERE site_id = ? ORDER BY id${bytewise(sql)}`, [siteId]);
      return rows.map((r) => Flow.parse(JSON.parse(r.definition)));
    },
    /** the site `siteId` is being deleted (call beside its DELETE): its flows leave every instance's cache */
    siteRemoved(siteId: string): void {
      siteFlows.changed(siteId);
    },
    async remove(siteId: string, flowId: string): Promise<boolean> {
      flows.drop(cacheKey(siteId, flowId));
      const r = await sql.run('DELETE FROM flows WHERE site_id = ? AND id = ?', [siteId, flowId]);
      flows.changed(cacheKey(siteId, flowId));
      return r.changes === 1;
    },
  };
}
export type FlowsStore = ReturnType<typeof flowsStore>;
