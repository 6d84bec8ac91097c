/**
 * Bearer site API tokens for /api/v1. Only sha256 hashes are stored; after a rotation the previous
 * token stays valid for a grace period (store/sites.ts), so callers switch without downtime.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../../../shared/errors.ts';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** the bearer token of a request, or null */
export function bearerToken(req: Request): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S{8,200})\s*$/i.exec(h);
  return m ? m[1]! : null;
}

/** sets res.locals.siteId from a valid token, else answers 401 */
export function requireSiteToken(lookup: (hash: string, req: Request) => Promise<string | null>): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    const siteId = token === null ? null : await lookup(tokenHash(token), req);
    if (siteId === null) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="parley"');
      next(new AppError('unauthorized', token === null ? 'Missing API token: send "Authorization: Bearer <site API token>".' : 'Invalid or expired API token.'));
      return;
    }
    res.locals.siteId = siteId;
    next();
  };
}

/** the site a request was authorised for (after requireSiteToken) */
export function siteOf(res: { locals: Record<string, unknown> }): string {
  const id = res.locals.siteId;
  if (typeof id !== 'string') throw new AppError('unauthorized', 'Missing API token.');
  return id;
}
