import type { AdminUser, Role } from '../../shared/admin-api.ts';
import type { Sql } from './sql.ts';
import { uuidv7 } from './ids.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: number;
  last_login_at: number | null;
}

const toUser = (r: UserRow): AdminUser => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  passwordHash?: string;
  disabled?: boolean;
}

/** Admin accounts. The password hash leaves this module only through `credentials`. */
export function usersStore(sql: Sql) {
  const byId = (id: string) => sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  const byEmail = (email: string) => sql.get<UserRow>('SELECT * FROM users WHERE email = ?', [email]);

  return {
    async create(u: NewUser, now = Date.now()): Promise<AdminUser> {
      const id = uuidv7(now);
      await sql.run('INSERT INTO users (id, email, name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)', [
        id,
        u.email,
        u.name,
        u.role,
        u.passwordHash,
        now,
      ]);
      return toUser((await byId(id))!);
    },
    async get(id: string): Promise<AdminUser | null> {
      const r = await byId(id);
      return r ? toUser(r) : null;
    },
    async getByEmail(email: string): Promise<AdminUser | null> {
      const r = await byEmail(email);
      return r ? toUser(r) : null;
    },
    /** the stored hash, for verifying a password; never sent anywhere */
    async credentials(email: string): Promise<{ user: AdminUser; passwordHash: string } | null> {
      const r = await byEmail(email);
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    async passwordHash(id: string): Promise<string | null> {
      return (await byId(id))?.password_hash ?? null;
    },
    async list(): Promise<AdminUser[]> {
      return (await sql.all<UserRow>('SELECT * FROM users ORDER BY created_at, id')).map(toUser);
    },
    async count(): Promise<number> {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM users'))?.n ?? 0;
    },
    async update(id: string, patch: UserPatch): Promise<AdminUser | null> {
      const r = await byId(id);
      if (!r) return null;
      await sql.run('UPDATE users SET name = ?, role = ?, password_hash = ?, disabled = ? WHERE id = ?', [
        patch.name ?? r.name,
        patch.role ?? r.role,
        patch.passwordHash ?? r.password_hash,
        patch.disabled === undefined ? r.disabled : patch.disabled ? 1 : 0,
        id,
      ]);
      return toUser((await byId(id))!);
    },
    async markLogin(id: string, now = Date.now()): Promise<void> {
      await sql.run('UPDATE users SET last_login_at = ? WHERE id = ?', [now, id]);
    },
  };
}
export type UsersStore = ReturnType<typeof usersStore>;
