/** Test helper: the admin router on a real port over an in-memory store, plus a small HTTP client. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../../logger.ts';
import { openDb, type Db } from '../../store/db.ts';
import { createStore, type Store } from '../../store/index.ts';
import type { AdminUser } from '../../../shared/admin-api.ts';
import type { Site } from '../../../shared/site.ts';
import type { SessionPolicy } from '../../auth/sessions.ts';
import { createAdminServices, type AdminServices } from './compose.ts';
import { errorHandler } from '../errors.ts';
import type { LoginLimits } from './login-limits.ts';
import { createAdminRouter } from './router.ts';

export const OWNER = { email: 'owner@acme.test', password: 'owner-password-1' };
export const AGENT = { email: 'agent@acme.test', password: 'agent-password-1' };

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface Client {
  cookie: string | null;
  csrf: string | null;
  req(method: string, path: string, body?: unknown, opts?: { csrf?: string | null; headers?: Record<string, string> }): Promise<Reply>;
  login(who: { email: string; password: string }): Promise<Reply>;
}

export interface AdminKit {
  db: Db;
  store: Store;
  site: Site;
  svc: AdminServices;
  owner: AdminUser;
  agent: AdminUser;
  base: string;
  client(): Client;
  signedIn(who: { email: string; password: string }): Promise<Client>;
  close(): Promise<void>;
}

type KitOptions = { sessionPolicy?: SessionPolicy; loginLimits?: LoginLimits };

export async function adminKit(opts: KitOptions = {}): Promise<AdminKit> {
  const kit = await emptyAdminKit(opts);
  const owner = (await kit.svc.accounts.ensureOwner(OWNER.email, OWNER.password)).user;
  const agent = await kit.svc.accounts.create({ ...AGENT, name: 'Ana', role: 'agent' }, null);
  return { ...kit, owner, agent };
}

/** the same, on a fresh install: no account at all (first-run setup) */
export async function emptyAdminKit(opts: KitOptions = {}): Promise<Omit<AdminKit, 'owner' | 'agent'>> {
  const db: Db = openDb(':memory:');
  const store: Store = createStore(db);
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'] });
  const svc: AdminServices = createAdminServices(store, createLogger('silent'), {
    publicUrl: 'https://parley.test',
    ...(opts.sessionPolicy ? { sessionPolicy: opts.sessionPolicy } : {}),
    ...(opts.loginLimits ? { loginLimits: opts.loginLimits } : {}),
  });
  const app = express();
  app.use('/api/admin', createAdminRouter(svc));
  app.use(errorHandler(createLogger('silent')));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin`;

  function client(): Client {
    const c: Client = {
      cookie: null,
      csrf: null,
      async req(method, path, body, o = {}) {
        const headers: Record<string, string> = { ...(o.headers ?? {}) };
        if (c.cookie) headers.cookie = c.cookie;
        const csrf = o.csrf === undefined ? c.csrf : o.csrf;
        if (csrf) headers['x-csrf-token'] = csrf;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
        const text = await res.text();
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
        return { status: res.status, headers: res.headers, body: parsed, text };
      },
      async login(who) {
        const r = await c.req('POST', '/login', who);
        const set = r.headers.get('set-cookie');
        if (r.status === 200 && set) {
          c.cookie = set.split(';')[0] ?? null;
          const b = r.body as { csrfToken: string };
          c.csrf = b.csrfToken;
        }
        return r;
      },
    };
    return c;
  }

  return {
    db,
    store,
    site,
    svc,
    base,
    client,
    async signedIn(who: { email: string; password: string }): Promise<Client> {
      const c = client();
      const r = await c.login(who);
      if (r.status !== 200) throw new Error(`login failed: ${r.text}`);
      return c;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
