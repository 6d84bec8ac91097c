import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { AdminSite, SiteCreateBody, SiteCreated, SiteUpdateBody } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { Flow } from '../../shared/flow.ts';
import type { Site } from '../../shared/site.ts';
import { SiteSettings } from '../../shared/site.ts';
import type { Actor } from '../auth/accounts.ts';
import type { Store } from '../store/index.ts';
import { embedSnippet } from './snippet.ts';

/** the bearer token for /api/v1; only its sha256 is stored */
export function newIdentitySecret(): string {
  return randomBytes(32).toString('hex');
}

function newApiToken(): { token: string; hash: string } {
  const token = `pk_${randomBytes(24).toString('base64url')}`;
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s.length >= 2 ? s : `site-${s}`;
}

/** Sites as owners manage them: create (with snippet and API token), settings, token rotation. */
export interface SiteAdminOptions {
  publicUrl: string | (() => string);
  /** flows a new site starts with, so its snippet works at once (the example NPS and support flows) */
  starterFlows?: () => Flow[];
  /** after a rotation the previous API token stays valid this long (default 24 h) */
  tokenGraceMs?: number;
}

export const DEFAULT_TOKEN_GRACE_MS = 24 * 60 * 60_000;

export function createSiteAdminService(store: Store, opts: SiteAdminOptions) {
  const { audit } = store.admin;

  const view = async (site: Site): Promise<AdminSite> => ({
    ...site,
    snippet: embedSnippet(typeof opts.publicUrl === 'function' ? opts.publicUrl() : opts.publicUrl, site.key),
    hasApiToken: (await store.sites.apiTokenHash(site.id)) !== null,
  });

  async function mustGet(id: string): Promise<Site> {
    const site = await store.sites.getById(id);
    if (!site) throw new AppError('not_found', 'No such site.');
    return site;
  }

  async function freeKey(name: string): Promise<string> {
    const base = slug(name);
    if (!(await store.sites.getByKey(base))) return base;
    for (;;) {
      const k = `${base}-${randomBytes(3).toString('hex')}`;
      if (!(await store.sites.getByKey(k))) return k;
    }
  }

  return {
    async list(): Promise<AdminSite[]> {
      return Promise.all((await store.sites.list()).map(view));
    },
    async get(id: string): Promise<AdminSite> {
      return view(await mustGet(id));
    },
    async create(body: z.output<typeof SiteCreateBody>, actor: Actor): Promise<SiteCreated> {
      const { token, hash } = newApiToken();
      const flows = opts.starterFlows?.() ?? [];
      // the key check and the insert share one transaction: of two creates with one key, one wins
      const site = await store.tx(async () => {
        if (body.key !== undefined && (await store.sites.getByKey(body.key))) throw new AppError('conflict', `The site key "${body.key}" is taken.`);
        const created = await store.sites.create({
          key: body.key ?? (await freeKey(body.name)),
          name: body.name,
          allowedOrigins: body.allowedOrigins,
          settings: body.settings ?? {},
          apiTokenHash: hash,
        });
        for (const flow of flows) await store.flows.upsert(created.id, flow);
        return created;
      });
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'site.create', target: site.id, detail: { key: site.key, name: site.name } });
      return { site: await view(site), apiToken: token };
    },
    update(id: string, body: z.output<typeof SiteUpdateBody>, actor: Actor): Promise<AdminSite> {
      // read, merge and write in one transaction, so two edits of one site do not lose each other's fields
      return store.tx(async () => {
      const current = await mustGet(id);
      const merged = { ...current.settings, ...(body.settings ?? {}) };
      if (body.greeting !== undefined) {
        const locale = merged.locale;
        const own = Object.hasOwn(merged.strings, locale) ? merged.strings[locale] : undefined;
        merged.strings = { ...merged.strings, [locale]: { ...(own ?? {}), greeting: body.greeting } };
      }
      if (body.settings?.defaultFlow !== undefined && !(await store.flows.get(id, body.settings.defaultFlow))) {
        const issues = [{ path: 'settings.defaultFlow', message: `no flow "${body.settings.defaultFlow}" on this site` }];
        throw new AppError('invalid_payload', `settings.defaultFlow: ${issues[0]!.message}`, { issues });
      }
      const parsed = SiteSettings.safeParse(merged);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: ['settings', ...i.path].join('.'), message: i.message }));
        throw new AppError('invalid_payload', issues[0] ? `${issues[0].path}: ${issues[0].message}` : 'invalid settings', { issues });
      }
      const site = (await store.sites.update(id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.allowedOrigins !== undefined ? { allowedOrigins: body.allowedOrigins } : {}),
        settings: parsed.data,
      }))!;
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'site.update', target: id, detail: { fields: Object.keys(body) } });
      return view(site);
      });
    },
    /** the HMAC key the site's server signs user ids with (identify({ userHash })); owners only, audited */
    async identitySecret(id: string, actor: Actor): Promise<string> {
      await mustGet(id);
      const secret = await store.sites.identitySecret(id);
      if (!secret) throw new AppError('not_found', 'No such site.');
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'site.identity_secret_view', target: id });
      return secret;
    },
    /** a new identity secret: every userHash made with the old one stops verifying at once */
    async rotateIdentitySecret(id: string, actor: Actor): Promise<string> {
      await mustGet(id);
      const secret = newIdentitySecret();
      await store.sites.update(id, { identitySecret: secret });
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'site.identity_secret_rotate', target: id });
      return secret;
    },
    /** a new API token; the old one keeps working for the grace period, so callers can switch without downtime */
    async rotateToken(id: string, actor: Actor, now = Date.now()): Promise<string> {
      await mustGet(id);
      const { token, hash } = newApiToken();
      const graceMs = opts.tokenGraceMs ?? DEFAULT_TOKEN_GRACE_MS;
      await store.sites.rotateApiToken(id, hash, now + graceMs);
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'site.token_rotate', target: id, detail: { graceMs } });
      return token;
    },
  };
}
export type SiteAdminService = ReturnType<typeof createSiteAdminService>;
