/**
 * /api/v1: the machine API. Feedback in and out (bearer site API token), the generic inbound
 * webhook (secret in the URL or an HMAC signature header) and the OpenAPI document. Bodies are
 * parsed here with their own limits (the app's 1 MB JSON parser skips /api/v1).
 */
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import { AppError, type AckError } from '../../../shared/errors.ts';
import { FeedbackBatch, FeedbackListQuery, INGEST_LIMITS } from '../../../shared/feedback.ts';
import type { InboundService } from '../../ingest/inbound.ts';
import type { IngestService } from '../../ingest/items.ts';
import { openApiDocument } from '../../ingest/openapi.ts';
import type { FeedbackStore } from '../../store/feedback.ts';
import { parse, param } from '../admin/parse.ts';
import { bearerToken, requireSiteToken, siteOf, tokenHash } from './token-auth.ts';

export interface V1Deps {
  /** site id for a token hash (current token, or the previous one within its grace period) */
  siteForTokenHash(hash: string): Promise<string | null>;
  feedback: FeedbackStore;
  ingest: IngestService;
  inbound: InboundService;
  /** requests per token per window; null turns the limit off (benchmarks) */
  rateLimit: { windowMs: number; limit: number } | null;
  /**
   * several instances: a counter store shared between them for each limiter (cluster/state.ts
   * `expressStore`); undefined = express-rate-limit's in-memory store
   */
  rateLimitStore?: (prefix: string) => RateLimitStore | undefined;
}

export const DEFAULT_V1_RATE_LIMIT = { windowMs: 60_000, limit: 120 };

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('invalid_payload', 'cursor: not a cursor from this API');
  return id;
}

/** a body over its limit says which limit, in the usual error shape */
function bodyLimitErrors(what: string, limit: number): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.too.large') {
      const got = 'length' in err && typeof err.length === 'number' ? ` (got ${mb(err.length)})` : '';
      const message = `The ${what} is larger than ${mb(limit)}${got}: send at most ${INGEST_LIMITS.BATCH_MAX_ITEMS} items and ${mb(limit)} per request.`;
      const body: AckError = { ok: false, error: { code: 'invalid_payload', message } };
      // the client may still be sending: answer and close rather than read megabytes we refuse
      res.status(413).setHeader('Connection', 'close');
      res.json(body);
      return;
    }
    next(err);
  };
}

export function createV1Router(deps: V1Deps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  // the rate limiter and the token check both want the token's site: one lookup per request
  const looked = new WeakMap<Request, { hash: string; site: Promise<string | null> }>();
  const siteFor = (hash: string, req: Request): Promise<string | null> => {
    const seen = looked.get(req);
    if (seen && seen.hash === hash) return seen.site;
    const site = deps.siteForTokenHash(hash);
    looked.set(req, { hash, site });
    return site;
  };

  const storeFor = (prefix: string): { store?: RateLimitStore } => {
    const store = deps.rateLimitStore?.(prefix);
    return store ? { store } : {};
  };
  const limiter: RequestHandler = deps.rateLimit
    ? rateLimit({
        windowMs: deps.rateLimit.windowMs,
        limit: deps.rateLimit.limit,
        ...storeFor('v1'),
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        // a valid token is limited on its own; guesses (no or unknown token) per address
        keyGenerator: async (req: Request) => {
          const token = bearerToken(req);
          const hash = token === null ? null : tokenHash(token);
          return hash !== null && (await siteFor(hash, req)) !== null ? `t:${hash}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
        },
        handler: (_req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) =>
          next(new AppError('rate_limited', 'Too many requests for this API token; slow down.', { retryAfterMs: options.windowMs })),
      })
    : (_req, _res, next) => next();
  const auth = requireSiteToken(siteFor);
  const batchJson = express.json({ limit: INGEST_LIMITS.BATCH_MAX_BYTES, type: () => true });

  router.post('/feedback', limiter, auth, batchJson, bodyLimitErrors('request body', INGEST_LIMITS.BATCH_MAX_BYTES), async (req: Request, res: Response) => {
    const { items } = parse(FeedbackBatch, req.body);
    const results = await deps.ingest.ingestRaw(siteOf(res), 'api', items);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const created = count('created');
    // 201 when something new was stored, 200 when all were duplicates or errors
    res.status(created > 0 ? 201 : 200).json({ ok: true, created, duplicates: count('duplicate'), errors: count('error'), results });
  });

  router.get('/feedback', limiter, auth, async (req, res) => {
    const q = parse(FeedbackListQuery, req.query);
    const items = await deps.feedback.list(siteOf(res), {
      ...(q.source !== undefined ? { source: q.source } : {}),
      ...(q.channel !== undefined ? { channel: q.channel } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.cursor !== undefined ? { after: decodeCursor(q.cursor) } : {}),
      limit: q.limit + 1,
    });
    const page = items.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ ok: true, items: page, nextCursor: items.length > q.limit && last ? encodeCursor(last.id) : null });
  });

  router.get('/feedback/:id', limiter, auth, async (req, res) => {
    const item = await deps.feedback.get(siteOf(res), param(req.params.id, 'id'));
    if (!item) throw new AppError('not_found', 'No such feedback item for this site.');
    res.json({ ok: true, item });
  });

  // the generic inbound webhook: secret in the URL, or X-Parley-Signature over the raw body
  const inboundRaw = express.raw({ limit: INGEST_LIMITS.WEBHOOK_MAX_BYTES, type: () => true });
  const inboundLimiter: RequestHandler = deps.rateLimit
    ? rateLimit({
        windowMs: deps.rateLimit.windowMs,
        limit: deps.rateLimit.limit,
        ...storeFor('v1-inbound'),
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        keyGenerator: (req: Request) => `inbound:${String(req.params.siteKey ?? '')}:${ipKeyGenerator(req.ip ?? '')}`,
        handler: (_req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) => next(new AppError('rate_limited', 'Too many webhook calls for this site; slow down.', { retryAfterMs: options.windowMs })),
      })
    : (_req, _res, next) => next();
  const inbound: RequestHandler = async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.headers['x-parley-signature'];
    const result = await deps.inbound.receive({
      siteKey: param(req.params.siteKey, 'siteKey'),
      secret: typeof req.params.secret === 'string' ? req.params.secret : null,
      signature: typeof signature === 'string' ? signature : null,
      body,
    });
    res.status(result.status === 'created' ? 201 : 200).json({ ok: true, ...result });
  };
  router.post('/inbound/:siteKey/:secret', inboundLimiter, inboundRaw, bodyLimitErrors('webhook body', INGEST_LIMITS.WEBHOOK_MAX_BYTES), inbound);
  router.post('/inbound/:siteKey', inboundLimiter, inboundRaw, bodyLimitErrors('webhook body', INGEST_LIMITS.WEBHOOK_MAX_BYTES), inbound);

  router.use((req) => {
    throw new AppError('not_found', `No route ${req.method} /api/v1${req.path}`);
  });
  return router;
}
