import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';
import { createAccountService } from './accounts.ts';

function kit() {
  const store = createStore(openDb(':memory:'));
  return { store, accounts: createAccountService({ users: store.admin.users, sessions: store.admin.sessions, audit: store.admin.audit }) };
}

describe('accounts', () => {
  it('creates the first owner from the environment once (idempotent across restarts)', async () => {
    const { accounts, store } = kit();
    const first = await accounts.ensureOwner('Owner@Acme.test', 'first-password');
    const again = await accounts.ensureOwner('owner@acme.test', 'another-password');
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, user: first.user });
    expect(store.admin.users.count()).toBe(1);
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
});
