import type { Asyncify } from './async.ts';
import type { CannedResponse } from '../../shared/admin-api.ts';
import type { Db } from './db.ts';

interface CannedRow {
  id: number;
  site_id: string | null;
  shortcut: string;
  title: string;
  text: string;
  created_at: number;
  updated_at: number;
}

const toCanned = (r: CannedRow): CannedResponse => ({
  id: r.id,
  siteId: r.site_id,
  shortcut: r.shortcut,
  title: r.title,
  text: r.text,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface CannedFields {
  siteId: string | null;
  shortcut: string;
  title: string;
  text: string;
}

/** Saved replies, per site or for every site (site_id NULL). */
export function cannedStore(db: Db) {
  const insert = db.prepare<[string | null, string, string, string, number, number], CannedRow>(
    'INSERT INTO canned_responses (site_id, shortcut, title, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  );
  const get = db.prepare<[number], CannedRow>('SELECT * FROM canned_responses WHERE id = ?');
  const listAll = db.prepare<[], CannedRow>('SELECT * FROM canned_responses ORDER BY shortcut, id');
  const listForSite = db.prepare<[string], CannedRow>(
    'SELECT * FROM canned_responses WHERE site_id = ? OR site_id IS NULL ORDER BY shortcut, id',
  );
  const update = db.prepare<[string | null, string, string, string, number, number], CannedRow>(
    'UPDATE canned_responses SET site_id = ?, shortcut = ?, title = ?, text = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const remove = db.prepare('DELETE FROM canned_responses WHERE id = ?');
  const shortcutTaken = db
    .prepare<[string | null, string, number], number>(
      "SELECT count(*) FROM canned_responses WHERE COALESCE(site_id, '') = COALESCE(?, '') AND shortcut = ? AND id <> ?",
    )
    .pluck();

  return {
    create(c: CannedFields, now = Date.now()): CannedResponse {
      return toCanned(insert.get(c.siteId, c.shortcut, c.title, c.text, now, now)!);
    },
    get(id: number): CannedResponse | null {
      const r = get.get(id);
      return r ? toCanned(r) : null;
    },
    /** for one site: its own plus the ones for every site */
    list(siteId?: string): CannedResponse[] {
      return (siteId === undefined ? listAll.all() : listForSite.all(siteId)).map(toCanned);
    },
    update(id: number, c: CannedFields, now = Date.now()): CannedResponse | null {
      const r = update.get(c.siteId, c.shortcut, c.title, c.text, now, id);
      return r ? toCanned(r) : null;
    },
    remove(id: number): boolean {
      return remove.run(id).changes === 1;
    },
    isShortcutTaken(siteId: string | null, shortcut: string, exceptId = 0): boolean {
      return (shortcutTaken.get(siteId, shortcut, exceptId) ?? 0) > 0;
    },
  };
}
export type CannedStore = Asyncify<ReturnType<typeof cannedStore>>;
