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
  /** one store transaction (store.tx); without it the check and the write run one after the other */
  tx?: <T>(fn: () => Promise<T>) => Promise<T>;
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
    const taken = () => new AppError('conflict', 'an account with this email exists');
    // cheap refusal before the expensive hash; the check is repeated with the insert in one transaction
    if (await deps.users.getByEmail(email)) throw taken();
    const passwordHash = await hashPassword(input.password);
    return tx(async () => {
      if (await deps.users.getByEmail(email)) throw taken();
      const user = await deps.users.create({ email, name: input.name ?? defaultName(email), role: input.role, passwordHash });
      await deps.audit.log({ actorId: actor?.id ?? null, actor: actor?.email ?? 'system', action: 'user.create', target: user.id, detail: { email, role: user.role } });
      return user;
    });
  }

  const tx = deps.tx ?? (<T>(fn: () => Promise<T>): Promise<T> => fn());

  return {
    create,
    /** true while no account exists: a fresh install whose page should offer "create the owner" */
    async setupRequired(): Promise<boolean> {
      return (await deps.users.count()) === 0;
    },
    /**
     * The first owner, from the setup page. Refused with 'conflict' once any account exists. The
     * hash is computed first (outside any transaction); the emptiness check and the insert then
     * share one transaction, so of two racing requests exactly one creates.
     */
    async createFirstOwner(input: { email: string; password: string; name?: string }): Promise<AdminUser> {
      const alreadySetUp = () => new AppError('conflict', 'This Parley already has an owner; sign in instead.');
      // cheap refusal before the expensive hash: a set-up server should not hash strangers' passwords
      if ((await deps.users.count()) > 0) throw alreadySetUp();
      const email = input.email.toLowerCase();
      const passwordHash = await hashPassword(input.password);
      return tx(async () => {
        if ((await deps.users.count()) > 0) throw alreadySetUp();
        const user = await deps.users.create({ email, name: input.name ?? defaultName(email), role: 'owner', passwordHash });
        await deps.audit.log({ actorId: user.id, actor: email, action: 'user.setup', target: user.id, detail: { email, role: user.role } });
        return user;
      });
    },
    /** the user for these credentials, or null; disabled accounts never sign in */
    async authenticate(email: string, password: string): Promise<AdminUser | null> {
      const cred = await deps.users.credentials(email.toLowerCase());
      if (!cred) {
        await verifyPassword(password, await dummy());
        return null;
      }
      const ok = await verifyPassword(password, cred.passwordHash);
      if (!ok || cred.user.disabled) return null;
      await deps.users.markLogin(cred.user.id);
      return cred.user;
    },
    /**
     * The first owner from the environment. Idempotent: an existing account with that email is
     * left as it is (its password may have been changed since).
     */
    async ensureOwner(email: string, password: string): Promise<{ created: boolean; user: AdminUser }> {
      const existing = await deps.users.getByEmail(email.toLowerCase());
      if (existing) return { created: false, user: existing };
      return { created: true, user: await create({ email, password, role: 'owner' }, null) };
    },
    list(): Promise<AdminUser[]> {
      return deps.users.list();
    },
    get(id: string): Promise<AdminUser | null> {
      return deps.users.get(id);
    },
    async update(id: string, patch: { name?: string; role?: Role; password?: string; disabled?: boolean }, actor: Actor): Promise<AdminUser> {
      // the hash is slow and needs no store: computed before the transaction
      const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
      return tx(async () => {
        const current = await deps.users.get(id);
        if (!current) throw new AppError('not_found', 'no such user');
        const losesOwner = current.role === 'owner' && (patch.role === 'agent' || patch.disabled === true);
        if (losesOwner && (await deps.users.list()).filter((u) => u.role === 'owner' && !u.disabled).length <= 1) {
          throw new AppError('conflict', 'the last owner cannot be demoted or disabled');
        }
        const user = (await deps.users.update(id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        }))!;
        // a new password, a lost role or a disabled account must not leave old sessions open
        if (patch.password !== undefined || patch.disabled === true || patch.role !== undefined) await deps.sessions.removeForUser(id);
        const detail = { ...patch, password: patch.password === undefined ? undefined : '***' };
        await deps.audit.log({ actorId: actor.id, actor: actor.email, action: 'user.update', target: id, detail });
        return user;
      });
    },
    /** a new password signs out every other session (a thief's included), keeping the caller's */
    async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string, keepTokenHash: string): Promise<void> {
      const hash = await deps.users.passwordHash(actor.id);
      if (!hash || !(await verifyPassword(currentPassword, hash))) throw new AppError('forbidden', 'the current password is wrong');
      const passwordHash = await hashPassword(newPassword);
      await tx(async () => {
        // the password checked above must still be the one replaced: a concurrent change wins, this one is refused
        if ((await deps.users.passwordHash(actor.id)) !== hash) throw new AppError('forbidden', 'the current password is wrong');
        await deps.users.update(actor.id, { passwordHash });
        await deps.sessions.removeOthers(actor.id, keepTokenHash);
        await deps.audit.log({ actorId: actor.id, actor: actor.email, action: 'user.password', target: actor.id });
      });
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
