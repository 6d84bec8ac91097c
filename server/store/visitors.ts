import { createHash, randomBytes } from 'node:crypto';
import type { VisitorInfo } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

/** A visitor as the store keeps it: what the admin page sees, plus the site. */
export type Visitor = VisitorInfo & { siteId: string };

export interface VisitorRow {
  id: string;
  site_id: string;
  external_id: string | null;
  name: string | null;
  email: string | null;
  verified: number;
  locale: string | null;
  created_at: number;
  last_seen_at: number;
}

export const toVisitor = (r: VisitorRow): Visitor => ({
  id: r.id,
  siteId: r.site_id,
  externalId: r.external_id,
  name: r.name,
  email: r.email,
  verified: r.verified === 1,
  locale: r.locale,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

// A leaked database must not hand out live tokens: only their hash is stored.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Anonymous widget visitors, known by a bearer token the widget keeps in localStorage. */
export function visitorsStore(sql: Sql) {
  const byId = (id: string) => sql.get<VisitorRow>('SELECT * FROM visitors WHERE id = ?', [id]);

  return {
    /** a new visitor and the token to give it (returned once, never stored) */
    async create(siteId: string, locale: string | null, now = Date.now()): Promise<{ visitor: Visitor; token: string }> {
      const token = randomBytes(32).toString('base64url');
      const id = uuidv7(now);
      await sql.run('INSERT INTO visitors (id, site_id, token_hash, locale, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        siteId,
        hashToken(token),
        locale,
        now,
        now,
      ]);
      return { visitor: toVisitor((await byId(id))!), token };
    },
    async findByToken(siteId: string, token: string): Promise<Visitor | null> {
      const row = await sql.get<VisitorRow>('SELECT * FROM visitors WHERE token_hash = ? AND site_id = ?', [hashToken(token), siteId]);
      return row ? toVisitor(row) : null;
    },
    async get(id: string): Promise<Visitor | null> {
      const row = await byId(id);
      return row ? toVisitor(row) : null;
    },
    async touch(id: string, locale: string | null, now = Date.now()): Promise<void> {
      await sql.run('UPDATE visitors SET last_seen_at = ?, locale = COALESCE(?, locale) WHERE id = ?', [now, locale, id]);
    },
    async identify(
      id: string,
      who: { externalId: string; name: string | null; email: string | null; verified: boolean },
    ): Promise<Visitor | null> {
      await sql.run('UPDATE visitors SET external_id = ?, name = ?, email = ?, verified = ? WHERE id = ?', [
        who.externalId,
        who.name,
        who.email,
        who.verified ? 1 : 0,
        id,
      ]);
      const row = await byId(id);
      return row ? toVisitor(row) : null;
    },
  };
}
export type VisitorsStore = ReturnType<typeof visitorsStore>;
