/**
 * The socket.io server: CORS for long-polling only for origins some site allows (the handshake
 * then checks the exact site), the /visitor namespace and its fan-out. The admin namespace is
 * registered by main.ts next to this (realtime/admin.ts).
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { ConversationBus } from '../conversation/events.ts';
import type { ConversationService } from '../conversation/service.ts';
import type { TrustProxy } from '../http/client-address.ts';
import type { Logger } from '../logger.ts';
import type { SitesStore } from '../store/sites.ts';
import { fanOutToVisitors } from './fan-out.ts';
import { originAllowed } from './origins.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.ts';
import { registerVisitorNamespace, type VisitorNamespaceDeps } from './visitor.ts';

export interface RealtimeDeps {
  service: ConversationService;
  sites: SitesStore;
  bus: ConversationBus;
  log: Logger;
  limits?: Partial<RateLimits>;
  /** which proxies' X-Forwarded-For to believe for the client address (http/client-address.ts) */
  trustProxy?: TrustProxy;
  replies?: VisitorNamespaceDeps['replies'];
  /**
   * several instances (cluster/adapter.ts): the adapter that carries broadcasts to the other
   * instances, and whether it keeps sessions so a socket that reconnects within two minutes
   * (to any instance) gets its rooms back and the events it missed (the redis-streams adapter does)
   */
  cluster?: { adapter: ServerOptions['adapter'] | undefined; recovery: boolean };
  /** token buckets shared between instances (cluster/rate-limit.ts); default: this process's */
  rateLimits?: VisitorNamespaceDeps['rateLimits'];
}

export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Server {
  const io = new Server(httpServer, {
    // a visitor message is at most a few KB; refuse megabyte frames before parsing them
    maxHttpBufferSize: 100_000,
    ...(deps.cluster?.adapter ? { adapter: deps.cluster.adapter } : {}),
    // middlewares run again on recovery: the handshake's checks (site, origin, limits) still apply
    ...(deps.cluster?.recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: false } } : {}),
    cors: {
      origin: (origin, cb) => {
        if (origin === undefined) return cb(null, true);
        deps.sites.allOriginPatterns().then(
          (patterns) => cb(null, originAllowed(origin, patterns)),
          (err: unknown) => {
            deps.log.error({ err }, 'reading the allowed origins failed');
            cb(null, false);
          },
        );
      },
      credentials: false,
    },
  });
  const nsp = registerVisitorNamespace(io, {
    service: deps.service,
    sites: deps.sites,
    log: deps.log,
    limits: { ...DEFAULT_RATE_LIMITS, ...deps.limits },
    trustProxy: deps.trustProxy ?? false,
    ...(deps.rateLimits ? { rateLimits: deps.rateLimits } : {}),
    ...(deps.replies ? { replies: deps.replies } : {}),
  });
  const unsubscribe = fanOutToVisitors(deps.bus, nsp);
  httpServer.once('close', unsubscribe);
  return io;
}
