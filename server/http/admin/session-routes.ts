import { LoginBody, PasswordChangeBody, UserCreateBody, UserUpdateBody } from '../../../shared/admin-api.ts';
import { AppError } from '../../../shared/errors.ts';
import { clearedSessionCookie } from '../../auth/cookies.ts';
import type { AdminServices } from './compose.ts';
import { param, parse } from './parse.ts';
import { DEFAULT_LOGIN_LIMITS, loginLimiters } from './login-limits.ts';
import { sessionInfo as info, startSession } from './session-info.ts';
import type { AnyRoute, PublicRouteDef } from './route.ts';

/** Sign in and out, the session (with its CSRF token), and accounts. */
export function sessionRoutes(svc: AdminServices): AnyRoute[] {
  const login: PublicRouteDef = {
    method: 'post',
    path: '/login',
    access: 'public',
    before: loginLimiters(svc.opts.loginLimits ?? DEFAULT_LOGIN_LIMITS),
    async handle(req, res) {
      const body = parse(LoginBody, req.body);
      const user = await svc.accounts.authenticate(body.email, body.password);
      if (!user) throw new AppError('unauthorized', 'Wrong email or password.');
      return startSession(svc.sessions, user, req, res);
    },
  };
  return [
    login,
    {
      method: 'post',
      path: '/logout',
      access: 'signed-in',
      async handle(req, res, { session }) {
        await svc.sessions.revoke(session.tokenHash);
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
    { method: 'get', path: '/users', access: 'signed-in', handle: async () => ({ users: await svc.accounts.list() }) },
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
