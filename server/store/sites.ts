import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { OriginPattern, Site, SiteSettings } from '../../shared/site.ts';
import type { InvalidationBus } from '../cluster/invalidation.ts';
import { cacheKind } from './invalidate.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

interface SiteRow {
  id: string;
  key: string;
  name: string;
  allowed_origins: string;
  settings: string;
  identity_secret: string;
  api_token_hash: string | null;
  created_at: number;
}

/** A site plus what must never leave the server. */
export interface SiteRecord {
  site: Site;
  identitySecret: string;
  apiTokenHash: string | null;
}

export interface NewSite {
  id?: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  settings?: z.input<typeof SiteSettings>;
  identitySecret?: string;
  apiTokenHash?: string | null;
}

export interface SitePatch {
  name?: string;
  allowedOrigins?: string[];
  settings?: z.input<typeof SiteSettings>;
  identitySecret?: string;
  apiTokenHash?: string | null;
}

const Origins = z.array(OriginPattern);

function toRecord(row: SiteRow): SiteRecord {
  return {
    site: Site.parse({
      id: row.id,
      key: row.key,
      name: row.name,
      allowedOrigins: Origins.parse(JSON.parse(row.allowed_origins)),
      settings: SiteSettings.parse(JSON.parse(row.settings)),
      createdAt: row.created_at,
    }),
    identitySecret: row.identity_secret,
    apiTokenHash: row.api_token_hash,
  };
}

/**
 * Sites. Every widget connection looks its site up by key, so key lookups are cached; a write
 * drops this instance's copy at once and tells the others through `bus` after its commit.
 * `onRemoved(siteId)` runs beside a site's DELETE, for the caches of what it cascades to (flows,
 * knowledge base), which drop and announce the same way.
 */
export function sitesStore(sql: Sql, bus: InvalidationBus | null = null, onRemoved: (siteId: string) => void = () => {}) {
  const byIdRow = (id: string) => sql.get<SiteRow>('SELECT * FROM sites WHERE id = ?', [id]);
  // key -> record; a miss is not cached so a site created elsewhere is found at once
  const cache = new Map<string, SiteRecord>();
  // every site's origin patterns, for the CORS preflight of long-polling (before a site is known)
  let allOrigins: string[] | null = null;
  // bumped by every write (here or announced by another instance): a read that raced one does not fill a cache
  let writes = 0;
  // bus: another instance changed a site (null: messages may have been lost, drop them all)
  const sites = cacheKind(sql, bus, 'site', (key) => {
    writes++;
    if (key === null) cache.clear();
    else cache.delete(key);
  });
  const origins = cacheKind(sql, bus, 'site-origins', () => {
    writes++;
    allOrigins = null;
  });
  /** this instance wrote the site with `key` (null: a new one) */
  const changed = (key: string | null): void => {
    if (key !== null) sites.changed(key);
    origins.changed('*');
  };

  async function byKey(key: string): Promise<SiteRecord | null> {
    const hit = cache.get(key);
    if (hit) return hit;
    const before = writes;
    const row = await sql.get<SiteRow>('SELECT * FROM sites WHERE key = ?', [key]);
    if (!row) return null;
    const rec = toRecord(row);
    // inside a transaction the row may yet be rolled back: keep nothing
    if (writes === before && !sql.inTx()) cache.set(key, rec);
    return rec;
  }

  async function byId(id: string): Promise<SiteRecord | null> {
    const row = await byIdRow(id);
    return row ? toRecord(row) : null;
  }

  return {
    async count(): Promise<number> {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM sites'))?.n ?? 0;
    },
    async create(input: NewSite, now = Date.now()): Promise<Site> {
      const settings = SiteSettings.parse(input.settings ?? {});
      const id = input.id ?? uuidv7(now);
      await sql.run(
        `INSERT INTO sites (id, key, name, allowed_origins, settings, identity_secret, api_token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          input.key,
          input.name,
          JSON.stringify(Origins.parse(input.allowedOrigins)),
          JSON.stringify(settings),
          input.identitySecret ?? randomBytes(32).toString('hex'),
          input.apiTokenHash ?? null,
          now,
        ],
      );
      changed(null);
      return (await byId(id))!.site;
    },
    /** the union of all sites' allowed-origin patterns (cached) */
    async allOriginPatterns(): Promise<readonly string[]> {
      if (allOrigins !== null) return allOrigins;
      const before = writes;
      const rows = await sql.all<{ allowed_origins: string }>('SELECT allowed_origins FROM sites');
      const all = [...new Set(rows.flatMap((r) => Origins.parse(JSON.parse(r.allowed_origins))))];
      if (writes === before && !sql.inTx()) allOrigins = all;
      return all;
    },
    async getByKey(key: string): Promise<Site | null> {
      return (await byKey(key))?.site ?? null;
    },
    async getById(id: string): Promise<Site | null> {
      return (await byId(id))?.site ?? null;
    },
    /** the HMAC key for identify(); never sent to a client */
    async identitySecret(siteId: string): Promise<string | null> {
      return (await byIdRow(siteId))?.identity_secret ?? null;
    },
    async apiTokenHash(siteId: string): Promise<string | null> {
      return (await byIdRow(siteId))?.api_token_hash ?? null;
    },
    /** set a new token hash; the current one stays valid until `prevUntil` (epoch ms) */
    async rotateApiToken(id: string, hash: string, prevUntil: number): Promise<boolean> {
      // a new API token; the previous one keeps working until `prevUntil` (rotation without downtime)
      const r = await sql.run(
        'UPDATE sites SET api_token_prev_hash = api_token_hash, api_token_prev_until = ?, api_token_hash = ? WHERE id = ?',
        [prevUntil, hash, id],
      );
      return r.changes === 1;
    },
    /** the site whose current token, or previous token still in its grace period, has this hash */
    async siteIdForTokenHash(hash: string, now = Date.now()): Promise<string | null> {
      const row = await sql.get<{ id: string }>(
        'SELECT id FROM sites WHERE api_token_hash = ? OR (api_token_prev_hash = ? AND api_token_prev_until > ?) LIMIT 1',
        [hash, hash, now],
      );
      return row?.id ?? null;
    },
    async list(): Promise<Site[]> {
      const rows = await sql.all<SiteRow>('SELECT * FROM sites ORDER BY created_at, id');
      return rows.map((r) => toRecord(r).site);
    },
    async update(id: string, patch: SitePatch): Promise<Site | null> {
      const row = await byIdRow(id);
      if (!row) return null;
      const current = toRecord(row);
      await sql.run(
        `UPDATE sites SET name = ?, allowed_origins = ?, settings = ?, identity_secret = ?, api_token_hash = ? WHERE id = ?`,
        [
          patch.name ?? current.site.name,
          JSON.stringify(Origins.parse(patch.allowedOrigins ?? current.site.allowedOrigins)),
          JSON.stringify(SiteSettings.parse(patch.settings ?? current.site.settings)),
          patch.identitySecret ?? current.identitySecret,
          patch.apiTokenHash === undefined ? current.apiTokenHash : patch.apiTokenHash,
          id,
        ],
      );
      changed(row.key);
      return (await byId(id))?.site ?? null;
    },
    async remove(id: string): Promise<boolean> {
      const row = await byIdRow(id);
      if (!row) return false;
      await sql.run('DELETE FROM sites WHERE id = ?', [id]);
      changed(row.key);
      onRemoved(id);
      return true;
    },
  };
}
export type SitesStore = ReturnType<typeof sitesStore>;
