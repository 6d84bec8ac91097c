import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminUser } from '../../shared/admin-api.ts';
import type { AdminSessionsStore } from '../store/admin-sessions.ts';
import type { UsersStore } from '../store/users.ts';

export interface SessionPolicy {
  /** idle time after which a session ends; each use pushes it forward */
  idleMs: number;
  /** a session ends this long after sign-in, used or not */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 8 * 60 * 60 * 1000, absoluteMs: 7 * 24 * 60 * 60 * 1000 };

export interface ActiveSession {
  user: AdminUser;
  tokenHash: string;
  csrfToken: string;
  expiresAt: number;
  absoluteExpiresAt: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Server-side sessions behind an opaque cookie; the CSRF token is bound to the session. */
export function createSessionService(deps: { sessions: AdminSessionsStore; users: UsersStore }, policy = DEFAULT_SESSION_POLICY) {
  // sliding expiry rewrites the row at most this often, not on every request
  const touchEveryMs = Math.min(60_000, policy.idleMs / 10);

  return {
    policy,
    async create(user: AdminUser, meta: { ip: string | null; userAgent: string | null }, now = Date.now()): Promise<{ token: string; session: ActiveSession }> {
      const token = randomBytes(32).toString('base64url');
      const session: ActiveSession = {
        user,
        tokenHash: hash(token),
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: Math.min(now + policy.idleMs, now + policy.absoluteMs),
        absoluteExpiresAt: now + policy.absoluteMs,
      };
      await deps.sessions.create({ ...session, userId: user.id, createdAt: now, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null });
      return { token, session };
    },
    /** the live session for a cookie value (sliding its expiry), or null */
    async resolve(token: string | undefined, now = Date.now()): Promise<ActiveSession | null> {
      if (!token || token.length > 200) return null;
      const tokenHash = hash(token);
      const rec = await deps.sessions.get(tokenHash);
      if (!rec) return null;
      if (rec.expiresAt <= now || rec.absoluteExpiresAt <= now) {
        await deps.sessions.remove(tokenHash);
        return null;
      }
      const user = await deps.users.get(rec.userId);
      if (!user || user.disabled) {
        await deps.sessions.remove(tokenHash);
        return null;
      }
      let expiresAt = rec.expiresAt;
      const next = Math.min(now + policy.idleMs, rec.absoluteExpiresAt);
      if (next - expiresAt >= touchEveryMs) {
        await deps.sessions.touch(tokenHash, next);
        expiresAt = next;
      }
      return { user, tokenHash, csrfToken: rec.csrfToken, expiresAt, absoluteExpiresAt: rec.absoluteExpiresAt };
    },
    async revoke(tokenHash: string): Promise<void> {
      await deps.sessions.remove(tokenHash);
    },
    purgeExpired(now = Date.now()): Promise<number> {
      return deps.sessions.purgeExpired(now);
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;

/** Constant-time comparison of the x-csrf-token header with the session's token. */
export function csrfMatches(session: ActiveSession, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
