import type { AdminUser, Role } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import type { AuditStore } from '../store/audit.ts';
import type { AdminSessionsStore } from '../store/admin-sessions.ts';
import type { UsersStore } from '../store/users.ts';
import { hashPassword, verifyPassword } from './password.ts';

export interface AccountDeps {
  users: UsersStore;
  sessions: AdminSessionsStore;
  audit: AuditStore;
  /** one store transaction (store.tx); without it the check and insert still run in one synchronous step */
  tx?: <T>(fn: () => T) => T;
}

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const defaultName = (email: string) => email.split('@')[0] || email;

/** Admin accounts: creation, password checks, role and password changes. */
export function createAccountService(deps: AccountDeps) {
  // verifying against a real hash when the email is unknown keeps both answers equally slow,
  // so response time does not tell which emails have accounts
  let dummyHash: Promise<string> | null = null;
  const dummy = () => (dummyHash ??= hashPassword('not-a-real-password'));

  async function create(input: { email: string; password: string; name?: string; role: Role }, actor: Actor | null): Promise<AdminUser> {
    const email = input.email.toLowerCase();
    if (deps.users.getByEmail(email)) throw new AppError('conflict', 'an account with this email exists');
    const user = deps.users.create({ email, name: input.name ?? defaultName(email), role: input.role, passwordHash: await hashPassword(input.password) });
    deps.audit.log({ actorId: actor?.id ?? null, actor: actor?.email ?? 'system', action: 'user.create', target: user.id, detail: { email, role: user.role } });
    return user;
  }

  const tx = deps.tx ?? (<T>(fn: () => T): T => fn());

  return {
    create,
    /** true while no account exists: a fresh install whose page should offer "create the owner" */
    setupRequired(): boolean {
      return deps.users.count() === 0;
    },
    /**
     * The first owner, from the setup page. Refused with 'conflict' once any account exists. The
     * hash is computed first (it is async); the emptiness check and the insert then share one
     * transaction with no await between them, so of two racing requests exactly one creates.
     */
    async createFirstOwner(input: { email: string; password: string; name?: string }): Promise<AdminUser> {
      const alreadySetUp = () => new AppError('conflict', 'This Parley already has an owner; sign in instead.');
      // cheap refusal before the expensive hash: a set-up server should not hash strangers' passwords
      if (deps.users.count() > 0) throw alreadySetUp();
      const email = input.email.toLowerCase();
      const passwordHash = await hashPassword(input.password);
      return tx(() => {
        if (deps.users.count() > 0) throw alreadySetUp();
        const user = deps.users.create({ email, name: input.name ?? defaultName(email), role: 'owner', passwordHash });
        deps.audit.log({ actorId: user.id, actor: email, action: 'user.setup', target: user.id, detail: { email, role: user.role } });
        return user;
      });
    },
    /** the user for these credentials, or null; disabled accounts never sign in */
    async authenticate(email: string, password: string): Promise<AdminUser | null> {
      const cred = deps.users.credentials(email.toLowerCase());
      if (!cred) {
        await verifyPassword(password, await dummy());
        return null;
      }
      const ok = await verifyPassword(password, cred.passwordHash);
      if (!ok || cred.user.disabled) return null;
      deps.users.markLogin(cred.user.id);
      return cred.user;
    },
    /**
     * The first owner from the environment. Idempotent: an existing account with that email is
     * left as it is (its password may have been changed since).
     */
    async ensureOwner(email: string, password: string): Promise<{ created: boolean; user: AdminUser }> {
      const existing = deps.users.getByEmail(email.toLowerCase());
      if (existing) return { created: false, user: existing };
      return { created: true, user: await create({ email, password, role: 'owner' }, null) };
    },
    list(): AdminUser[] {
      return deps.users.list();
    },
    get(id: string): AdminUser | null {
      return deps.users.get(id);
    },
    async update(id: string, patch: { name?: string; role?: Role; password?: string; disabled?: boolean }, actor: Actor): Promise<AdminUser> {
      const current = deps.users.get(id);
      if (!current) throw new AppError('not_found', 'no such user');
      const losesOwner = current.role === 'owner' && (patch.role === 'agent' || patch.disabled === true);
      if (losesOwner && deps.users.list().filter((u) => u.role === 'owner' && !u.disabled).length <= 1) {
        throw new AppError('conflict', 'the last owner cannot be demoted or disabled');
      }
      const user = deps.users.update(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(patch.password !== undefined ? { passwordHash: await hashPassword(patch.password) } : {}),
      })!;
      // a new password, a lost role or a disabled account must not leave old sessions open
      if (patch.password !== undefined || patch.disabled === true || patch.role !== undefined) deps.sessions.removeForUser(id);
      const detail = { ...patch, password: patch.password === undefined ? undefined : '***' };
      deps.audit.log({ actorId: actor.id, actor: actor.email, action: 'user.update', target: id, detail });
      return user;
    },
    /** a new password signs out every other session (a thief's included), keeping the caller's */
    async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string, keepTokenHash: string): Promise<void> {
      const hash = deps.users.passwordHash(actor.id);
      if (!hash || !(await verifyPassword(currentPassword, hash))) throw new AppError('forbidden', 'the current password is wrong');
      deps.users.update(actor.id, { passwordHash: await hashPassword(newPassword) });
      deps.sessions.removeOthers(actor.id, keepTokenHash);
      deps.audit.log({ actorId: actor.id, actor: actor.email, action: 'user.password', target: actor.id });
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
