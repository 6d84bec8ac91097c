import type { Asyncify } from './async.ts';
import type { AdminUser, Role } from '../../shared/admin-api.ts';
import type { Db } from './db.ts';
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
export function usersStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO users (id, email, name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)',
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const list = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, id');
  const count = db.prepare<[], number>('SELECT count(*) FROM users').pluck();
  const update = db.prepare(
    'UPDATE users SET name = @name, role = @role, password_hash = @password_hash, disabled = @disabled WHERE id = @id',
  );
  const loggedIn = db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?');

  return {
    create(u: NewUser, now = Date.now()): AdminUser {
      const id = uuidv7(now);
      insert.run(id, u.email, u.name, u.role, u.passwordHash, now);
      return toUser(byId.get(id)!);
    },
    get(id: string): AdminUser | null {
      const r = byId.get(id);
      return r ? toUser(r) : null;
    },
    getByEmail(email: string): AdminUser | null {
      const r = byEmail.get(email);
      return r ? toUser(r) : null;
    },
    /** the stored hash, for verifying a password; never sent anywhere */
    credentials(email: string): { user: AdminUser; passwordHash: string } | null {
      const r = byEmail.get(email);
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    passwordHash(id: string): string | null {
      return byId.get(id)?.password_hash ?? null;
    },
    list(): AdminUser[] {
      return list.all().map(toUser);
    },
    count(): number {
      return count.get() ?? 0;
    },
    update(id: string, patch: UserPatch): AdminUser | null {
      const r = byId.get(id);
      if (!r) return null;
      update.run({
        id,
        name: patch.name ?? r.name,
        role: patch.role ?? r.role,
        password_hash: patch.passwordHash ?? r.password_hash,
        disabled: patch.disabled === undefined ? r.disabled : patch.disabled ? 1 : 0,
      });
      return toUser(byId.get(id)!);
    },
    markLogin(id: string, now = Date.now()): void {
      loggedIn.run(now, id);
    },
  };
}
export type UsersStore = Asyncify<ReturnType<typeof usersStore>>;
