import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createAccountService } from './accounts.ts';

function kit() {
  const store = createStore(openDb(':memory:'));
  return { store, accounts: createAccountService({ users: store.admin.users, sessions: store.admin.sessions, audit: store.admin.audit, tx: store.tx }) };
}

describe('accounts', () => {
  it('creates the first owner from the environment once (idempotent across restarts)', async () => {
    const { accounts, store } = kit();
    const first = await accounts.ensureOwner('Owner@Acme.test', 'first-password');
    const again = await accounts.ensureOwner('owner@acme.test', 'another-password');
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, user: first.user });
    expect(await store.admin.users.count()).toBe(1);
    expect(first.user.role).toBe('owner');
    // the password set first still works; the second start did not overwrite it
    expect(await accounts.authenticate('owner@acme.test', 'first-password')).not.toBeNull();
    expect(await accounts.authenticate('owner@acme.test', 'another-password')).toBeNull();
  });

  it('never demotes or disables the last owner', async () => {
    const { accounts } = kit();
    const { user } = await accounts.ensureOwner('o@acme.test', 'first-password');
    const actor = { id: user.id, email: user.email, name: user.name, role: user.role };
    await expect(accounts.update(user.id, { role: 'agent' }, actor)).rejects.toMatchObject({ code: 'conflict' });
    await expect(accounts.update(user.id, { disabled: true }, actor)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('creates the first owner from setup only while no account exists, and audits it', async () => {
    const { accounts, store } = kit();
    expect(await accounts.setupRequired()).toBe(true);
    const owner = await accounts.createFirstOwner({ email: 'Boss@Acme.test', password: 'setup-password-1', name: 'Bo' });
    expect(owner).toMatchObject({ email: 'boss@acme.test', name: 'Bo', role: 'owner', disabled: false });
    expect(await accounts.setupRequired()).toBe(false);
    expect(await accounts.authenticate('boss@acme.test', 'setup-password-1')).not.toBeNull();
    await expect(accounts.createFirstOwner({ email: 'late@acme.test', password: 'setup-password-2' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.admin.users.count()).toBe(1);
    expect((await store.admin.audit.list(10)).map((e) => [e.action, e.target])).toEqual([['user.setup', owner.id]]);
  });

  it('lets exactly one of two racing setups win', async () => {
    const { accounts, store } = kit();
    const results = await Promise.allSettled([
      accounts.createFirstOwner({ email: 'a@acme.test', password: 'setup-password-a' }),
      accounts.createFirstOwner({ email: 'b@acme.test', password: 'setup-password-b' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' ? lost.reason : null).toMatchObject({ code: 'conflict' });
    expect(await store.admin.users.count()).toBe(1);
  });
});
