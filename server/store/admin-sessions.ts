import type { Sql } from './sql.ts';

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
export function adminSessionsStore(sql: Sql) {
  return {
    async create(s: AdminSessionRecord & { ip: string | null; userAgent: string | null }): Promise<void> {
      await sql.run(
        `INSERT INTO admin_sessions (token_hash, user_id, csrf_token, created_at, expires_at, absolute_expires_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [s.tokenHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt, s.absoluteExpiresAt, s.ip, s.userAgent],
      );
    },
    async get(tokenHash: string): Promise<AdminSessionRecord | null> {
      const r = await sql.get<SessionRow>('SELECT * FROM admin_sessions WHERE token_hash = ?', [tokenHash]);
      return r ? toRecord(r) : null;
    },
    async touch(tokenHash: string, expiresAt: number): Promise<void> {
      await sql.run('UPDATE admin_sessions SET expires_at = ? WHERE token_hash = ?', [expiresAt, tokenHash]);
    },
    async remove(tokenHash: string): Promise<void> {
      await sql.run('DELETE FROM admin_sessions WHERE token_hash = ?', [tokenHash]);
    },
    async removeForUser(userId: string): Promise<number> {
      return (await sql.run('DELETE FROM admin_sessions WHERE user_id = ?', [userId])).changes;
    },
    /** every session of the user but `keepTokenHash` */
    async removeOthers(userId: string, keepTokenHash: string): Promise<number> {
      return (await sql.run('DELETE FROM admin_sessions WHERE user_id = ? AND token_hash <> ?', [userId, keepTokenHash])).changes;
    },
    async purgeExpired(now = Date.now()): Promise<number> {
      return (await sql.run('DELETE FROM admin_sessions WHERE expires_at <= ? OR absolute_expires_at <= ?', [now, now])).changes;
    },
  };
}
export type AdminSessionsStore = ReturnType<typeof adminSessionsStore>;
