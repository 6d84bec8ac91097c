import type { Asyncify } from './async.ts';
import type { Db } from './db.ts';

export interface AdminSessionRecord {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  absolute_expires_at: number;
}

const toRecord = (r: SessionRow): AdminSessionRecord => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  absoluteExpiresAt: r.absolute_expires_at,
});

/** Admin sessions, keyed by the hash of the cookie value. */
export function adminSessionsStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO admin_sessions (token_hash, user_id, csrf_token, created_at, expires_at, absolute_expires_at, ip, user_agent)
     VALUES (@tokenHash, @userId, @csrfToken, @createdAt, @expiresAt, @absoluteExpiresAt, @ip, @userAgent)`,
  );
  const get = db.prepare<[string], SessionRow>('SELECT * FROM admin_sessions WHERE token_hash = ?');
  const touch = db.prepare('UPDATE admin_sessions SET expires_at = ? WHERE token_hash = ?');
  const remove = db.prepare('DELETE FROM admin_sessions WHERE token_hash = ?');
  const removeForUser = db.prepare('DELETE FROM admin_sessions WHERE user_id = ?');
  const removeOthers = db.prepare('DELETE FROM admin_sessions WHERE user_id = ? AND token_hash <> ?');
  const purge = db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ? OR absolute_expires_at <= ?');

  return {
    create(s: AdminSessionRecord & { ip: string | null; userAgent: string | null }): void {
      insert.run(s);
    },
    get(tokenHash: string): AdminSessionRecord | null {
      const r = get.get(tokenHash);
      return r ? toRecord(r) : null;
    },
    touch(tokenHash: string, expiresAt: number): void {
      touch.run(expiresAt, tokenHash);
    },
    remove(tokenHash: string): void {
      remove.run(tokenHash);
    },
    removeForUser(userId: string): number {
      return removeForUser.run(userId).changes;
    },
    /** every session of the user but `keepTokenHash` */
    removeOthers(userId: string, keepTokenHash: string): number {
      return removeOthers.run(userId, keepTokenHash).changes;
    },
    purgeExpired(now = Date.now()): number {
      return purge.run(now, now).changes;
    },
  };
}
export type AdminSessionsStore = Asyncify<ReturnType<typeof adminSessionsStore>>;
