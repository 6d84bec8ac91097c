import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../../shared/errors.ts';

export interface LoginLimits {
  windowMs: number;
  perIp: number;
  perEmail: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60 * 1000, perIp: 30, perEmail: 5 };

/**
 * Limits for the public routes that take a password (sign-in, first-run setup). Each call makes
 * fresh counters, so failures on one route do not lock the other.
 */
export function loginLimiters(limits: LoginLimits, what = 'sign-in'): RequestHandler[] {
  const refuse = (_req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) =>
    next(new AppError('rate_limited', `Too many failed ${what} attempts; try again later.`, { retryAfterMs: options.windowMs }));
  // only failures count, so a team behind one NAT can still sign in
  const common = { windowMs: limits.windowMs, skipSuccessfulRequests: true, standardHeaders: 'draft-8' as const, legacyHeaders: false, handler: refuse };
  return [
    rateLimit({ ...common, limit: limits.perIp }),
    // per account: guessing one admin's password from many addresses is slowed as well
    rateLimit({
      ...common,
      limit: limits.perEmail,
      keyGenerator: (req) => {
        const body: unknown = req.body;
        const email = typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '';
        return `email:${email.trim().toLowerCase().slice(0, 320)}`;
      },
    }),
  ];
}
