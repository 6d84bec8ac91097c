/**
 * The express app: security headers, JSON bodies, health, built files, the demo page, the
 * routers main.ts hands in (admin API, machine API), then 404 and the one error handler.
 */
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger.ts';
import { expressTrust, type TrustProxy } from './client-address.ts';
import { demoRouter } from './demo.ts';
import { errorHandler, notFound } from './errors.ts';
import { healthRouter, type HealthDeps } from './health.ts';
import { staticRouter } from './static.ts';

export interface HttpAppDeps {
  log: Logger;
  /** true when the database answers */
  ping(): Promise<boolean>;
  /** GET /healthz also shows: the database engine, and whether Redis answers (REDIS_URL) */
  health?: Pick<HealthDeps, 'database' | 'redis'>;
  distDir: string;
  demoTemplatePath: string;
  publicUrl: string | null;
  demoSiteKey?: string;
  /** the demo page's identify button: hex HMAC of the demo user id with the demo site's secret */
  demoUserHash?: () => Promise<string | null>;
  startedAt?: number;
  /** JSON body limit, e.g. "1mb" (uploads have their own parsers) */
  jsonLimit?: string;
  /** behind reverse proxies: which of them to believe for req.ip and req.protocol (http/client-address.ts) */
  trustProxy?: TrustProxy;
}

const OWN_BODY_PARSER = new WeakSet<Router>();

/** a router that parses its own bodies (with its own limit): the app-wide parser leaves its paths alone */
export function parsesOwnBody<R extends Router>(router: R): R {
  OWN_BODY_PARSER.add(router);
  return router;
}

export function createHttpApp(deps: HttpAppDeps, routers: Array<[string, Router]> = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', expressTrust(deps.trustProxy ?? false));
  app.use(
    helmet({
      crossOriginResourcePolicy: { policy: 'same-origin' },
      // served over plain http on localhost by default; upgrading would break every sub-resource
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  // /api/v1 parses its own bodies (feedback batches, webhook bodies) with their own limits, and so
  // does any router marked with parsesOwnBody (the admin API: 300 KB)
  const ownParserPaths = routers.filter(([, r]) => OWN_BODY_PARSER.has(r)).map(([path]) => path.replace(/\/+$/, ''));
  const json = express.json({ limit: deps.jsonLimit ?? '1mb' });
  app.use((req, res, next) => {
    const own = req.path.startsWith('/api/v1/') || ownParserPaths.some((p) => req.path === p || req.path.startsWith(`${p}/`));
    if (own) next();
    else json(req, res, next);
  });
  app.use(healthRouter({ ...deps.health, ping: deps.ping, startedAt: deps.startedAt ?? Date.now() }));
  app.use(staticRouter(deps.distDir));
  app.use(demoRouter({ templatePath: deps.demoTemplatePath, publicUrl: deps.publicUrl, siteKey: deps.demoSiteKey ?? 'demo', ...(deps.demoUserHash ? { userHash: deps.demoUserHash } : {}) }));
  for (const [path, router] of routers) app.use(path, router);
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
