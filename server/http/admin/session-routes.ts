import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { SessionInfo } from '../../../shared/admin-api.ts';
import { LoginBody, PasswordChangeBody, UserCreateBody, UserUpdateBody } from '../../../shared/admin-api.ts';
import { AppError } from '../../../shared/errors.ts';
import { clearedSessionCookie, sessionCookie } from '../../auth/cookies.ts';
import type { ActiveSession } from '../../auth/sessions.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import type { AnyRoute, PublicRouteDef } from './route.ts';

const DEFAULT_LIMITS = { windowMs: 15 * 60 * 1000, perIp: 30, perEmail: 5 };

const info = (s: ActiveSession): SessionInfo => ({
  user: s.user,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt,
  absoluteExpiresAt: s.absoluteExpiresAt,
});

function loginLimiters(limits: typeof DEFAULT_LIMITS) {
  const refuse = (_req: Request, _res: Response, next: NextFunction, options: { windowMs: number }) =>
    next(new AppError('rate_limited', 'Too many failed sign-in attempts; try again later.', { retryAfterMs: options.windowMs }));
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

/** Sign in and out, the session (with its CSRF token), and accounts. */
export function sessionRoutes(svc: AdminServices): AnyRoute[] {
  const login: PublicRouteDef = {
    method: 'post',
    path: '/login',
    access: 'public',
    before: loginLimiters(svc.opts.loginLimits ?? DEFAULT_LIMITS),
    async handle(req, res) {
      const body = parse(LoginBody, req.body);
      const user = await svc.accounts.authenticate(body.email, body.password);
      if (!user) throw new AppError('unauthorized', 'Wrong email or password.');
      const { token, session } = svc.sessions.create(user, { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
      res.setHeader('Set-Cookie', sessionCookie(token, { secure: req.secure, maxAgeMs: session.absoluteExpiresAt - Date.now() }));
      return info(session);
    },
  };
  return [
    login,
    {
      method: 'post',
      path: '/logout',
      access: 'signed-in',
      handle(req, res, { session }) {
        svc.sessions.revoke(session.tokenHash);
        res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
        return {};
      },
    },
    { method: 'get', path: '/session', access: 'signed-in', handle: (_req, _res, { session }) => info(session) },
    {
      method: 'post',
      path: '/me/password',
      access: 'signed-in',
      async handle(req, _res, { actor, session }) {
        const body = parse(PasswordChangeBody, req.body);
        await svc.accounts.changeOwnPassword(actor, body.currentPassword, body.newPassword, session.tokenHash);
        return {};
      },
    },
    // everyone signed in sees the team (to assign follow-ups); only owners change it
    { method: 'get', path: '/users', access: 'signed-in', handle: () => ({ users: svc.accounts.list() }) },
    {
      method: 'post',
      path: '/users',
      access: 'owner',
      async handle(req, _res, { actor }) {
        const body = parse(UserCreateBody, req.body);
        return { user: await svc.accounts.create(body, actor) };
      },
    },
    {
      method: 'patch',
      path: '/users/:id',
      access: 'owner',
      async handle(req, _res, { actor }) {
        const body = parse(UserUpdateBody, req.body);
        return { user: await svc.accounts.update(param(req.params.id, 'id'), body, actor) };
      },
    },
  ];
}
