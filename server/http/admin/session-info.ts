import type { Request, Response } from 'express';
import type { AdminUser, SessionInfo } from '../../../shared/admin-api.ts';
import { sessionCookie } from '../../auth/cookies.ts';
import type { ActiveSession, SessionService } from '../../auth/sessions.ts';

export const sessionInfo = (s: ActiveSession): SessionInfo => ({
  user: s.user,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt,
  absoluteExpiresAt: s.absoluteExpiresAt,
});

/** Sign `user` in on this response: a new session, its cookie, and the body with the CSRF token. */
export async function startSession(sessions: SessionService, user: AdminUser, req: Request, res: Response): Promise<SessionInfo> {
  const { token, session } = await sessions.create(user, { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
  res.setHeader('Set-Cookie', sessionCookie(token, { secure: req.secure, maxAgeMs: session.absoluteExpiresAt - Date.now() }));
  return sessionInfo(session);
}
