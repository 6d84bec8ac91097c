import express, { type RequestHandler } from 'express';
import { AppError } from '../../../shared/errors.ts';
import { FeedCreateBody, FeedListQuery, FeedUpdateBody, ImportListQuery, ImportStartBody, ImportUploadQuery, INGEST_LIMITS, WebhookSaveBody } from '../../../shared/feedback.ts';
import type { AdminServices } from './compose.ts';
import { authorize } from './guard.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute } from './route.ts';

/** Ingest: file imports, feeds and the inbound webhook. Everyone signed in reads; owners change. */
export function ingestRoutes(svc: AdminServices): AnyRoute[] {
  const { ingest } = svc;
  const id = (p: string | string[] | undefined) => param(p, 'id');
  // the upload is read only after the caller is known to be an owner
  const ownerFirst: RequestHandler = async (req, _res, next) => {
    await authorize(req, svc.sessions, 'owner');
    next();
  };
  const fileBody = express.raw({ type: () => true, limit: INGEST_LIMITS.UPLOAD_MAX_BYTES });
  // teams: an agent reads only the sites their teams cover (owners see all)
  const access = svc.respond.access;
  type Actor = Parameters<typeof access.canSeeSite>[0];
  const visible = async <T extends { siteId: string }>(actor: Actor, rows: T[] | Promise<T[]>): Promise<T[]> => {
    const scope = await access.scope(actor);
    return (await rows).filter((r) => scope === null || scope.includes(r.siteId));
  };
  const seen = async <T extends { siteId: string }>(actor: Actor, row: T | Promise<T>): Promise<T> => {
    const r = await row;
    if (!(await access.canSeeSite(actor, r.siteId))) throw new AppError('not_found', 'Not found.');
    return r;
  };
  return [
    {
      method: 'get',
      path: '/ingest/imports',
      access: 'signed-in',
      handle: async (req, _res, { actor }) => ({ imports: await visible(actor, ingest.imports.list(parse(ImportListQuery, req.query).siteId ?? null)) }),
    },
    {
      method: 'post',
      path: '/ingest/imports',
      access: 'owner',
      before: [ownerFirst, fileBody],
      async handle(req) {
        const q = parse(ImportUploadQuery, req.query);
        return ingest.imports.upload(q.siteId, q.filename, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      },
    },
    { method: 'get', path: '/ingest/imports/:id', access: 'signed-in', handle: async (req, _res, { actor }) => ({ import: await seen(actor, ingest.imports.get(id(req.params.id))) }) },
    {
      method: 'post',
      path: '/ingest/imports/:id/start',
      access: 'owner',
      handle: async (req) => ({ import: await ingest.imports.start(id(req.params.id), parse(ImportStartBody, req.body).mapping) }),
    },
    {
      method: 'get',
      path: '/ingest/feeds',
      access: 'signed-in',
      handle: async (req, _res, { actor }) => ({ feeds: await visible(actor, ingest.feeds.list(parse(FeedListQuery, req.query).siteId ?? null)) }),
    },
    { method: 'post', path: '/ingest/feeds', access: 'owner', handle: async (req) => ({ feed: await ingest.feeds.create(parse(FeedCreateBody, req.body)) }) },
    { method: 'patch', path: '/ingest/feeds/:id', access: 'owner', handle: async (req) => ({ feed: await ingest.feeds.update(id(req.params.id), parse(FeedUpdateBody, req.body)) }) },
    {
      method: 'delete',
      path: '/ingest/feeds/:id',
      access: 'owner',
      async handle(req) {
        await ingest.feeds.remove(id(req.params.id));
        return {};
      },
    },
    { method: 'post', path: '/ingest/feeds/:id/poll', access: 'owner', handle: async (req) => ({ feed: await ingest.feeds.pollNow(id(req.params.id)) }) },
    // the webhook view holds its secret: owners only
    { method: 'get', path: '/ingest/webhook/:siteId', access: 'owner', handle: async (req) => ({ webhook: await ingest.inbound.get(param(req.params.siteId, 'siteId')) }) },
    {
      method: 'put',
      path: '/ingest/webhook/:siteId',
      access: 'owner',
      handle: async (req) => ({ webhook: await ingest.inbound.save(param(req.params.siteId, 'siteId'), parse(WebhookSaveBody, req.body)) }),
    },
  ];
}
