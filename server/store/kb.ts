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

  return {
    upsert(siteId: string, entry: z.input<typeof KbEntry>, now = Date.now()): KbEntry {
      const e = KbEntry.parse(entry);
      upsert.run(siteId, e.id, e.title, e.body, JSON.stringify(e.tags), now);
      return e;
    },
    list(siteId: string): KbEntry[] {
      return list.all(siteId).map(toEntry);
    },
    remove(siteId: string, id: string): boolean {
      return remove.run(siteId, id).changes === 1;
    },
  };
}
export type KbStore = ReturnType<typeof kbStore>;
