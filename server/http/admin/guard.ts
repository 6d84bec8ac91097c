import type { Request } from 'express';
import type { Role } from '../../../shared/admin-api.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Actor } from '../../auth/accounts.ts';
import { readCookie, SESSION_COOKIE } from '../../auth/cookies.ts';
import type { ActiveSession, SessionService } from '../../auth/sessions.ts';
import { csrfMatches } from '../../auth/sessions.ts';

/** Who may call a route: anyone (login and first-run setup only), any signed-in admin, or owners. */
export type Access = 'public' | 'signed-in' | 'owner';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Caller {
  session: ActiveSession;
  actor: Actor;
}

/**
 * The checks in the order a client can fix them: no session -> 401, a state change without the
 * session's CSRF token -> 403 csrf, a role that may not -> 403 forbidden.
 */
export async function authorize(req: Request, sessions: SessionService, access: Exclude<Access, 'public'>): Promise<Caller> {
  const session = await sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE));
  if (!session) throw new AppError('unauthorized', 'Sign in first.');
  if (!SAFE_METHODS.has(req.method)) {
    const header = req.headers['x-csrf-token'];
    if (!csrfMatches(session, typeof header === 'string' ? header : undefined)) throw new AppError('csrf', 'Missing or wrong CSRF token (x-csrf-token).');
  }
  if (access === 'owner' && session.user.role !== ('owner' satisfies Role)) throw new AppError('forbidden', 'Only owners can do this.');
  const u = session.user;
  return { session, actor: { id: u.id, email: u.email, name: u.name, role: u.role } };
}
