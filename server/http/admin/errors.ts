import type { ErrorRequestHandler } from 'express';
import type { ErrorCode } from '../../../shared/errors.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Logger } from '../../logger.ts';

export const STATUS: Record<ErrorCode, number> = {
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
  internal: 500,
};

/**
 * The admin router answers its own errors so its contract holds wherever it is mounted:
 * AppError -> { ok: false, error } with its status; a body-parser failure -> invalid_payload;
 * anything else is logged and masked.
 */
export function adminErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    let e: AppError;
    if (err instanceof AppError) e = err;
    else if (err instanceof SyntaxError || (err instanceof Error && 'type' in err && typeof err.type === 'string' && err.type.startsWith('entity.'))) {
      e = new AppError('invalid_payload', 'The request body is not valid JSON or is too large.');
    } else {
      log.error({ err }, 'admin request failed');
      e = new AppError('internal', 'Something went wrong on our side.');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(STATUS[e.code]).json(e.toAck());
  };
}
