import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../../../shared/errors.ts';
import { parsesOwnBody } from '../app.ts';
import type { AdminServices } from './compose.ts';
import { authorize } from './guard.ts';
import { insightRoutes } from './insight-routes.ts';
import { ingestRoutes } from './ingest-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { reachRoutes } from './reach-routes.ts';
import { respondRoutes } from './respond-routes.ts';
import type { AnyRoute } from './route.ts';
import { sessionRoutes } from './session-routes.ts';
import { setupRoutes } from './setup-routes.ts';
import { siteRoutes } from './site-routes.ts';
import { transcriptRoutes } from './transcript-routes.ts';

/** Every /api/admin route; tests walk this table so a new route cannot skip the auth checks. */
export function adminRouteTable(svc: AdminServices): AnyRoute[] {
  return [...sessionRoutes(svc), ...setupRoutes(svc), ...transcriptRoutes(svc), ...siteRoutes(svc), ...opsRoutes(svc), ...respondRoutes(svc), ...reachRoutes(svc), ...ingestRoutes(svc), ...insightRoutes(svc)];
}

/** The /api/admin router (mount it at '/api/admin' in front of the app's error handler). */
export function createAdminRouter(svc: AdminServices): Router {
  // its own, smaller limit: the app-wide parser skips routers marked with parsesOwnBody
  const router = parsesOwnBody(Router());
  router.use(express.json({ limit: '300kb' }));
  router.use((_req, res, next) => {
    // admin answers carry transcripts and tokens: never cache them
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  for (const route of adminRouteTable(svc)) {
    const run = async (req: Request, res: Response) => {
      const body = route.access === 'public' ? await route.handle(req, res) : await route.handle(req, res, await authorize(req, svc.sessions, route.access));
      if (body !== undefined && !res.headersSent) res.json({ ok: true, ...body });
    };
    router[route.method](route.path, ...(route.before ?? []), run);
  }

  // an unknown /api/admin path says so in the admin error shape (after auth, so it reveals nothing)
  router.use(async (req) => {
    await authorize(req, svc.sessions, 'signed-in');
    throw new AppError('not_found', 'No such admin route.');
  });
  // errors go on to the app's one error middleware (http/errors.ts)
  return router;
}
