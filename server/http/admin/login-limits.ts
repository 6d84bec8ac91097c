import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store as RateLimitStore } from 'express-rate-limit';
import { AppError } from '../../../shared/errors.ts';
import { localLoginBackoff, type BackoffPolicy, type LoginBackoffStore } from '../../cluster/login-backoff.ts';

export interface LoginLimits {
  windowMs: number;
  /** failures per client address (any e-mail) within the window before that address must wait */
  perIp: number;
  /** failures per (address, e-mail) pair that pass freely; each further failure doubles the wait */
  perEmail: number;
  /** the first wait after the free failures; doubles per further failure */
  backoffMs?: number;
  /** the longest wait: a slow-down, never a lock-out */
  maxBackoffMs?: number;
  /** tests move time */
  now?: () => number;
  /**
   * several instances: where the counters live, so a guesser gains nothing by landing on another
   * instance (cluster/state.ts: Redis, else this process). Default: this process.
   */
  shared?: {
    expressStore(prefix: string): RateLimitStore | undefined;
    loginBackoff(policy: BackoffPolicy, name: string): LoginBackoffStore;
  };
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60 * 1000, perIp: 30, perEmail: 5, backoffMs: 1_000, maxBackoffMs: 60_000 };

const emailOf = (req: Request): string => {
  const body: unknown = req.body;
  const email = typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '';
  return email.trim().toLowerCase().slice(0, 320);
};

/**
 * Failures per (client address, e-mail) pair with an exponential back-off: after `perEmail` free
 * failures each attempt from that address for that account waits 1 s, 2 s, 4 s, ... up to
 * `maxBackoffMs`; a success clears the pair. Keyed by the pair, so wrong passwords typed anywhere
 * else never keep the owner out: there is no account-wide lock anyone could trigger.
 */
export function pairBackoff(limits: LoginLimits, what: string): RequestHandler {
  const pairs = limits.shared?.loginBackoff(limits, what) ?? localLoginBackoff(limits, limits.now);
  return (req, res, next) => {
    const key = `${req.ip ?? ''}\n${emailOf(req)}`;
    pairs.waitMs(key).then(
      (waitMs) => {
        if (waitMs > 0) return next(new AppError('rate_limited', `Too many failed ${what} attempts; try again in a moment.`, { retryAfterMs: waitMs }));
        res.once('finish', () => {
          if (res.statusCode === 429) return;
          const recorded = res.statusCode < 400 ? pairs.succeeded(key) : pairs.failed(key);
          // the stores fall back to memory themselves; a failure here only loses one count
          recorded.catch(() => undefined);
        });
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

const perIpStore = (limits: LoginLimits, what: string): { store?: RateLimitStore } => {
  const store = limits.shared?.expressStore(`login-ip:${what}`);
  return store ? { store } : {};
};

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
    // one address trying many accounts (password spraying) is stopped per address
    rateLimit({ ...common, limit: limits.perIp, ...perIpStore(limits, what) }),
    // one address guessing one account slows down; other addresses are not affected
    pairBackoff(limits, what),
  ];
}
