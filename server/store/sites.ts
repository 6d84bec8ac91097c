import type { Asyncify } from './async.ts';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { OriginPattern, Site, SiteSettings } from '../../shared/site.ts';
import type { Db } from './db.ts';
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

/** Sites. Every widget connection looks its site up by key, so key lookups are cached. */
export function sitesStore(db: Db) {
  const byKeyStmt = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE key = ?');
  const byIdStmt = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?');
  const listStmt = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY created_at, id');
  const countStmt = db.prepare<[], number>('SELECT count(*) FROM sites').pluck();
  const insertStmt = db.prepare(
    `INSERT INTO sites (id, key, name, allowed_origins, settings, identity_secret, api_token_hash, created_at)
     VALUES (@id, @key, @name, @allowed_origins, @settings, @identity_secret, @api_token_hash, @created_at)`,
  );
  const updateStmt = db.prepare(
    `UPDATE sites SET name = @name, allowed_origins = @allowed_origins, settings = @settings,
       identity_secret = @identity_secret, api_token_hash = @api_token_hash WHERE id = @id`,
  );
  const deleteStmt = db.prepare('DELETE FROM sites WHERE id = ?');
  // a new API token; the previous one keeps working until `prevUntil` (rotation without downtime)
  const rotateStmt = db.prepare(
    `UPDATE sites SET api_token_prev_hash = api_token_hash, api_token_prev_until = ?, api_token_hash = ? WHERE id = ?`,
  );
  const byTokenStmt = db
    .prepare<[string, string, number], string>(
      `SELECT id FROM sites WHERE api_token_hash = ? OR (api_token_prev_hash = ? AND api_token_prev_until > ?) LIMIT 1`,
    )
    .pluck();
  // key -> record; a miss is not cached so a site created elsewhere is found at once
  const cache = new Map<string, SiteRecord>();
  // every site's origin patterns, for the CORS preflight of long-polling (before a site is known)
  let allOrigins: string[] | null = null;
  const allOriginsStmt = db.prepare<[], string>('SELECT allowed_origins FROM sites').pluck();

  function byKey(key: string): SiteRecord | null {
    const hit = cache.get(key);
    if (hit) return hit;
    const row = byKeyStmt.get(key);
    if (!row) return null;
    const rec = toRecord(row);
    cache.set(key, rec);
    return rec;
  }

  function byId(id: string): SiteRecord | null {
    const row = byIdStmt.get(id);
    return row ? toRecord(row) : null;
  }

  return {
    count(): number {
      return countStmt.get() ?? 0;
    },
    create(input: NewSite, now = Date.now()): Site {
      const settings = SiteSettings.parse(input.settings ?? {});
      const id = input.id ?? uuidv7(now);
      insertStmt.run({
        id,
        key: input.key,
        name: input.name,
        allowed_origins: JSON.stringify(Origins.parse(input.allowedOrigins)),
        settings: JSON.stringify(settings),
        identity_secret: input.identitySecret ?? randomBytes(32).toString('hex'),
        api_token_hash: input.apiTokenHash ?? null,
        created_at: now,
      });
      allOrigins = null;
      return byId(id)!.site;
    },
    /** the union of all sites' allowed-origin patterns (cached) */
    allOriginPatterns(): readonly string[] {
      allOrigins ??= [...new Set(allOriginsStmt.all().flatMap((json) => Origins.parse(JSON.parse(json))))];
      return allOrigins;
    },
    getByKey(key: string): Site | null {
      return byKey(key)?.site ?? null;
    },
    getById(id: string): Site | null {
      return byId(id)?.site ?? null;
    },
    /** the HMAC key for identify(); never sent to a client */
    identitySecret(siteId: string): string | null {
      return byIdStmt.get(siteId)?.identity_secret ?? null;
    },
    apiTokenHash(siteId: string): string | null {
      return byIdStmt.get(siteId)?.api_token_hash ?? null;
    },
    /** set a new token hash; the current one stays valid until `prevUntil` (epoch ms) */
    rotateApiToken(id: string, hash: string, prevUntil: number): boolean {
      return rotateStmt.run(prevUntil, hash, id).changes === 1;
    },
    /** the site whose current token, or previous token still in its grace period, has this hash */
    siteIdForTokenHash(hash: string, now = Date.now()): string | null {
      return byTokenStmt.get(hash, hash, now) ?? null;
    },
    list(): Site[] {
      return listStmt.all().map((r) => toRecord(r).site);
    },
    update(id: string, patch: SitePatch): Site | null {
      const row = byIdStmt.get(id);
      if (!row) return null;
      const current = toRecord(row);
      updateStmt.run({
        id,
        name: patch.name ?? current.site.name,
        allowed_origins: JSON.stringify(Origins.parse(patch.allowedOrigins ?? current.site.allowedOrigins)),
        settings: JSON.stringify(SiteSettings.parse(patch.settings ?? current.site.settings)),
        identity_secret: patch.identitySecret ?? current.identitySecret,
        api_token_hash: patch.apiTokenHash === undefined ? current.apiTokenHash : patch.apiTokenHash,
      });
      cache.delete(row.key);
      allOrigins = null;
      return byId(id)?.site ?? null;
    },
    remove(id: string): boolean {
      const row = byIdStmt.get(id);
      if (!row) return false;
      deleteStmt.run(id);
      cache.delete(row.key);
      allOrigins = null;
      return true;
    },
  };
}
export type SitesStore = Asyncify<ReturnType<typeof sitesStore>>;
