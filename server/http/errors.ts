/**
 * The one error middleware and the 404: every failure leaves as { ok: false, error: { code,
 * message } }. Expected failures (AppError, schema errors, bad JSON) keep their code; anything
 * else is logged and answered as `internal` without details.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, type AckError, type ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import { storageFault } from '../store/faults.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unknown_site: 404,
  origin_not_allowed: 403,
  message_too_long: 413,
  rate_limited: 429,
  invalid_token: 401,
  invalid_user_hash: 403,
  not_found: 404,
  conversation_ended: 409,
  unauthorized: 401,
  forbidden: 403,
  csrf: 403,
  conflict: 409,
  storage_unavailable: 503,
  internal: 500,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

/**
 * body-parser, send (static files, Range) and the router (percent-decoding of paths) mark a client
 * mistake with a 4xx `status` (http-errors); body-parser also names its kind in `type`
 */
function clientErrorOf(err: unknown): { status: number; type: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const status = 'status' in err && typeof err.status === 'number' ? err.status : 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (status < 400 || status > 499) return null;
  return { status, type: 'type' in err && typeof err.type === 'string' ? err.type : '' };
}

function clientErrorMessage(e: { status: number; type: string }): string {
  if (e.type === 'entity.too.large') return 'The request body is too large.';
  if (e.type === 'encoding.unsupported' || e.status === 415) return 'Unsupported request body encoding.';
  if (e.type.startsWith('entity.') || e.type === 'request.size.invalid') return 'The request body is not valid JSON.';
  if (e.status === 416) return 'The requested range cannot be satisfied.';
  if (e.status === 404) return 'Not found.';
  return 'The request is malformed.';
}

export function notFound(): RequestHandler {
  return (req, res) => {
    const body: AckError = { ok: false, error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } };
    res.status(404).json(body);
  };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    let status: number;
    let body: AckError;
    if (err instanceof AppError) {
      status = statusOf(err.code);
      body = err.toAck();
      if (err.code === 'rate_limited' && err.extra.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(err.extra.retryAfterMs / 1000)));
    } else if (err instanceof ZodError) {
      const issues = err.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
      status = 400;
      body = { ok: false, error: { code: 'invalid_payload', message: `Invalid request: ${issues[0]?.path ?? ''} ${issues[0]?.message ?? ''}`.trim(), issues } };
    } else if (clientErrorOf(err)) {
      const e = clientErrorOf(err) ?? { status: 400, type: '' };
      status = e.status;
      body = { ok: false, error: { code: e.status === 404 ? 'not_found' : 'invalid_payload', message: clientErrorMessage(e) } };
    } else if (storageFault(err)) {
      log.error({ err, method: req.method, path: req.path }, 'storage fault');
      const fault = storageFault(err) ?? new AppError('storage_unavailable', 'Try again later.');
      status = 503;
      body = fault.toAck();
      res.setHeader('Retry-After', String(Math.ceil((fault.extra.retryAfterMs ?? 5000) / 1000)));
    } else {
      log.error({ err, method: req.method, path: req.path }, 'request failed');
      status = 500;
      body = { ok: false, error: { code: 'internal', message: 'Something went wrong on our side.' } };
    }
    res.status(status).json(body);
  };
}
