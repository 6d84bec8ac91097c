import type { CannedResponse } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';

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
export function cannedStore(sql: Sql) {
  return {
    async create(c: CannedFields, now = Date.now()): Promise<CannedResponse> {
      const row = await sql.get<CannedRow>(
        'INSERT INTO canned_responses (site_id, shortcut, title, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
        [c.siteId, c.shortcut, c.title, c.text, now, now],
      );
      return toCanned(row!);
    },
    async get(id: number): Promise<CannedResponse | null> {
      const r = await sql.get<CannedRow>('SELECT * FROM canned_responses WHERE id = ?', [id]);
      return r ? toCanned(r) : null;
    },
    /** for one site: its own plus the ones for every site */
    async list(siteId?: string): Promise<CannedResponse[]> {
      const rows =
        siteId === undefined
          ? await sql.all<CannedRow>('SELECT * FROM canned_responses ORDER BY shortcut, id')
          : await sql.all<CannedRow>('SELECT * FROM canned_responses WHERE site_id = ? OR site_id IS NULL ORDER BY shortcut, id', [siteId]);
      return rows.map(toCanned);
    },
    async update(id: number, c: CannedFields, now = Date.now()): Promise<CannedResponse | null> {
      const r = await sql.get<CannedRow>(
        'UPDATE canned_responses SET site_id = ?, shortcut = ?, title = ?, text = ?, updated_at = ? WHERE id = ? RETURNING *',
        [c.siteId, c.shortcut, c.title, c.text, now, id],
      );
      return r ? toCanned(r) : null;
    },
    async remove(id: number): Promise<boolean> {
      return (await sql.run('DELETE FROM canned_responses WHERE id = ?', [id])).changes === 1;
    },
    async isShortcutTaken(siteId: string | null, shortcut: string, exceptId = 0): Promise<boolean> {
      const row = await sql.get<{ n: number }>(
        "SELECT count(*) AS n FROM canned_responses WHERE COALESCE(site_id, '') = COALESCE(?, '') AND shortcut = ? AND id <> ?",
        [siteId, shortcut, exceptId],
      );
      return (row?.n ?? 0) > 0;
    },
  };
}
export type CannedStore = ReturnType<typeof cannedStore>;
