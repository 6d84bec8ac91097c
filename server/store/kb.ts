import type { Asyncify } from './async.ts';
import { KbEntry } from '../../shared/flow.ts';
import { z } from 'zod';
import type { Db } from './db.ts';

interface KbRow {
  id: string;
  title: string;
  body: string;
  tags: string;
}

const Tags = z.array(z.string());

const toEntry = (r: KbRow): KbEntry => ({ id: r.id, title: r.title, body: r.body, tags: Tags.parse(JSON.parse(r.tags)) });

/** A site's knowledge base (FAQ entries and articles) the support flow answers from. */
export function kbStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO kb_entries (site_id, id, title, body, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (site_id, id) DO UPDATE SET title = excluded.title, body = excluded.body,
       tags = excluded.tags, updated_at = excluded.updated_at`,
  );
  const list = db.prepare<[string], KbRow>('SELECT id, title, body, tags FROM kb_entries WHERE site_id = ? ORDER BY id');
  const remove = db.prepare('DELETE FROM kb_entries WHERE site_id = ? AND id = ?');
  // changes whenever another connection (a CLI, a second process) commits: then nothing cached is trusted
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

  // the support bot lists a site's entries on every turn; rereading and parsing them each time was
  // a visible share of a message's cost, and they change only when someone edits the knowledge base
  const cache = new Map<string, KbEntry[]>();
  let cachedAt = dataVersion.get();
  const fresh = (): Map<string, KbEntry[]> => {
    const v = dataVersion.get();
    if (v !== cachedAt) {
      cache.clear();
      cachedAt = v;
    }
    return cache;
  };

  return {
    upsert(siteId: string, entry: z.input<typeof KbEntry>, now = Date.now()): KbEntry {
      const e = KbEntry.parse(entry);
      // dropped before the write too: a transaction rolled back around it must not leave a stale copy
      cache.delete(siteId);
      upsert.run(siteId, e.id, e.title, e.body, JSON.stringify(e.tags), now);
      cache.delete(siteId);
      return e;
    },
    /** the site's entries by id; callers must not mutate them (they are shared) */
    list(siteId: string): KbEntry[] {
      const c = fresh();
      const hit = c.get(siteId);
      if (hit) return hit;
      const entries = list.all(siteId).map(toEntry);
      // inside a transaction the rows may yet be rolled back: serve them, keep nothing
      if (!db.inTransaction) c.set(siteId, entries);
      return entries;
    },
    remove(siteId: string, id: string): boolean {
      cache.delete(siteId);
      const removed = remove.run(siteId, id).changes === 1;
      cache.delete(siteId);
      return removed;
    },
  };
}
export type KbStore = Asyncify<ReturnType<typeof kbStore>>;
