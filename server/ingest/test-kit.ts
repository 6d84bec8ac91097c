/**
 * Test helper: the real HTTP app with the admin and /api/v1 routers over an in-memory store, a
 * site with a known API token, a signed-in owner, and a job worker (not started) that tests drain.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createExtractionService } from '../analysis/extraction-service.ts';
import { createAdminServices, type AdminServices } from '../http/admin/compose.ts';
import { createAdminRouter } from '../http/admin/router.ts';
import { createHttpApp } from '../http/app.ts';
import { createV1Router } from '../http/v1/router.ts';
import { tokenHash } from '../http/v1/token-auth.ts';
import { createJobWorker, type JobWorker } from '../jobs/worker.ts';
import { FEED_JOB } from './feeds.ts';
import { createLogger } from '../logger.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/index.ts';
import type { Site } from '../../shared/site.ts';

export const TOKEN = 'pk_test_token_for_ingest_0001';
export const OWNER = { email: 'owner@acme.test', password: 'owner-password-1' };

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export type AdminCall = <T = unknown>(method: string, path: string, body?: unknown, raw?: { body: string | Buffer; type: string }) => Promise<Reply<T>>;

export interface IngestKit {
  store: Store;
  site: Site;
  svc: AdminServices;
  worker: JobWorker;
  /** run the feed_poll jobs that are due now, as the worker would; returns how many ran */
  runDueFeedPolls(): Promise<number>;
  url: string;
  /** /api/v1 with a bearer token (TOKEN unless given; null sends none) */
  v1<T = unknown>(method: string, path: string, body?: unknown, token?: string | null, headers?: Record<string, string>): Promise<Reply<T>>;
  /** /api/admin as the signed-in owner */
  admin: AdminCall;
  /** /api/admin as someone else (signs in first) */
  adminAs(email: string, password: string): Promise<AdminCall>;
  close(): Promise<void>;
}

async function reply<T>(res: Response): Promise<Reply<T>> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export async function ingestKit(
  opts: { rateLimit?: { windowMs: number; limit: number } | null; tokenGraceMs?: number; allowPrivateFeedUrls?: boolean; dbPath?: string } = {},
): Promise<IngestKit> {
  const log = createLogger('silent');
  const db = openDb(opts.dbPath ?? ':memory:');
  const store = createStore(db);
  const site = await store.sites.create({ key: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'], apiTokenHash: tokenHash(TOKEN) });
  const svc = createAdminServices(store, log, {
    publicUrl: 'http://parley.test',
    ingest: { tokenGraceMs: opts.tokenGraceMs ?? 24 * 3_600_000, allowPrivateFeedUrls: opts.allowPrivateFeedUrls ?? true },
  });
  await svc.accounts.ensureOwner(OWNER.email, OWNER.password);
  // as main.ts: routing rules run after every extraction
  const extraction = createExtractionService({ extractions: store.extractions, llm: null, log, afterSave: [(x) => svc.respond.afterExtraction(x)] });
  // feed polls re-enqueue themselves for later, so a worker that drains leaves them to runDue()
  const { [FEED_JOB]: feedHandler, ...otherHandlers } = svc.ingest.handlers;
  const worker = createJobWorker({ jobs: store.jobs, handlers: { extract: (p) => extraction.handleJob(p), ...otherHandlers }, log, pollMs: 5 });
  const app = createHttpApp({ log, ping: async () => true, distDir: '/nonexistent', demoTemplatePath: '/nonexistent', publicUrl: null }, [
    ['/api/admin', createAdminRouter(svc)],
    [
      '/api/v1',
      createV1Router({
        siteForTokenHash: (h) => store.sites.siteIdForTokenHash(h),
        feedback: store.feedback,
        ingest: svc.ingest.items,
        inbound: svc.ingest.inbound,
        rateLimit: opts.rateLimit ?? null,
      }),
    ],
  ]);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function signIn(who: { email: string; password: string }): Promise<AdminCall> {
    const login = await fetch(`${url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    return async <T,>(method: string, path: string, body?: unknown, raw?: { body: string | Buffer; type: string }) => {
      const h: Record<string, string> = { cookie, 'x-csrf-token': csrf };
      let payload: string | Buffer | undefined;
      if (raw) (h['content-type'] = raw.type), (payload = raw.body);
      else if (body !== undefined) (h['content-type'] = 'application/json'), (payload = JSON.stringify(body));
      const res = await fetch(`${url}/api/admin${path}`, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
      return reply<T>(res);
    };
  }
  const admin = await signIn(OWNER);

  return {
    store,
    site,
    svc,
    worker,
    url,
    async runDueFeedPolls() {
      const jobs = await store.jobs.claim([FEED_JOB], 100, 60_000);
      for (const job of jobs) {
        await feedHandler!(job.payload, job);
        await store.jobs.complete(job);
      }
      return jobs.length;
    },
    async v1(method, path, body, token = TOKEN, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (token !== null) h.authorization = `Bearer ${token}`;
      if (body !== undefined) h['content-type'] ??= 'application/json';
      const res = await fetch(`${url}/api/v1${path}`, { method, headers: h, ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}) });
      return reply(res);
    },
    admin,
    adminAs: (email, password) => signIn({ email, password }),
    async close() {
      await worker.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
