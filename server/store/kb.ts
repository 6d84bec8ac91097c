import { KbEntry } from '../../shared/flow.ts';
import { z } from 'zod';
import type { InvalidationBus } from '../cluster/invalidation.ts';
import { cacheKind } from './invalidate.ts';
import { bytewise, type Sql } from './sql.ts';

interface KbRow {
  id: string;
  title: string;
  body: string;
  tags: string;
}

const Tags = z.array(z.string());

const toEntry = (r: KbRow): KbEntry => ({ id: r.id, title: r.title, body: r.body, tags: Tags.parse(JSON.parse(r.tags)) });

/**
 * A site's knowledge base (FAQ entries and articles) the support flow answers from. Cached per
 * site: on SQLite checked against PRAGMA data_version (another process, the admin CLI, may write
 * the file); on PostgreSQL only with an invalidation `bus` (several instances share the database),
 * which announces every write to the other instances after its commit.
 */
export function kbStore(sql: Sql, bus: InvalidationBus | null = null) {
  // the support bot lists a site's entries on every turn; rereading and parsing them each time was
  // a visible share of a message's cost, and they change only when someone edits the knowledge base
  const cache = new Map<string, KbEntry[]>();
  const sqlite = sql.dialect === 'sqlite';
  // PostgreSQL without a bus cannot know what another instance wrote: nothing is cached there
  const caching = sqlite || bus !== null;
  // SQLite: changes whenever another connection (a CLI, a second process) commits, then nothing
  // cached is trusted
  let cachedAt: number | null = null;
  // bumped by every write (here or announced by another instance): a read that raced one does not fill the cache
  let writes = 0;
  const entries = cacheKind(sql, bus, 'kb', (siteId) => {
    writes++;
    if (siteId === null) cache.clear();
    else cache.delete(siteId);
  });
  const fresh = async (): Promise<Map<string, KbEntry[]> | null> => {
    if (!caching) return null;
    if (!sqlite) return cache;
    const v = (await sql.get<{ data_version: number }>('PRAGMA data_version'))?.data_version ?? -1;
    if (v !== cachedAt) {
      cache.clear();
      cachedAt = v;
    }
    return cache;
  };

  return {
    async upsert(siteId: string, entry: z.input<typeof KbEntry>, now = Date.now()): Promise<KbEntry> {
      const e = KbEntry.parse(entry);
      // dropped before the write too: a transaction rolled back around it must not leave a stale copy
      entries.drop(siteId);
      await sql.run(
        `INSERT INTO kb_entries (site_id, id, title, body, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, id) DO UPDATE SET title = excluded.title, body = excluded.body,
           tags = excluded.tags, updated_at = excluded.updated_at`,
        [siteId, e.id, e.title, e.body, JSON.stringify(e.tags), now],
      );
      entries.changed(siteId);
      return e;
    },
    /** the site's entries by id; callers must not mutate them (they are shared) */
    async list(siteId: string): Promise<KbEntry[]> {
      const c = await fresh();
      const hit = c?.get(siteId);
      if (hit) return hit;
      const before = writes;
      const rows = await sql.all<KbRow>(`SELECT id, title, body, tags FROM kb_entries WHERE site_id = ? ORDER BY id${bytewise(sql)}`, [siteId]);
      const entries = rows.map(toEntry);
      // inside a transaction the rows may yet be rolled back: serve them, keep nothing
      if (c && !sql.inTx() && writes === before) c.set(siteId, entries);
      return entries;
    },
    /** the site `siteId` is being deleted (call beside its DELETE): its entries leave every instance's cache */
    siteRemoved(siteId: string): void {
      entries.changed(siteId);
    },
    async remove(siteId: string, id: string): Promise<boolean> {
      entries.drop(siteId);
      const removed = (await sql.run('DELETE FROM kb_entries WHERE site_id = ? AND id = ?', [siteId, id])).changes === 1;
      entries.changed(siteId);
      return removed;
    },
  };
}
export type KbStore = ReturnType<typeof kbStore>;
