import { useEffect, useState } from 'preact/hooks';
import type { AdminUser } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { formatDateTime } from '../ui/format.ts';
import { AddUserForm } from './add-user-form.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';

/** Who can sign in: owners run sites and settings, agents review and answer chats. */
export function TeamPage() {
  const { api, user } = useApp();
  const [users, setUsers] = useState<AdminUser[]>([]);
  const { error, setError, run } = useAction();
  const owner = user?.role === 'owner';

  useEffect(() => {
    api.listUsers().then((r) => setUsers(r.users), setError);
  }, [api]);

  const update = (u: AdminUser, body: { disabled?: boolean; role?: AdminUser['role'] }) =>
    run(async () => {
      const { user: next } = await api.updateUser(u.id, body);
      setUsers((prev) => prev.map((x) => (x.id === next.id ? next : x)));
    });

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Team</h1>
          <p class="muted">Owners manage sites, flows and people; agents review conversations and answer live chats.</p>
        </div>
      </header>
      <ErrorBanner error={error} />
      <div class="card table-card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} class={u.disabled ? 'row-disabled' : ''}>
                <td>
                  <span class="cell-main">
                    {u.name} {u.id === user?.id && <span class="muted small">(you)</span>}
                  </span>
                  <span class="cell-sub">{u.email}</span>
                </td>
                <td>
                  {owner && u.id !== user?.id ? (
                    <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update(u, { role: e.currentTarget.value === 'owner' ? 'owner' : 'agent' })}>
                      <option value="agent">Agent</option>
                      <option value="owner">Owner</option>
                    </select>
                  ) : (
                    <span class="badge">{u.role === 'owner' ? 'Owner' : 'Agent'}</span>
                  )}
                  {u.disabled && <span class="badge bad">Disabled</span>}
                </td>
                <td class="nowrap muted">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Never'}</td>
                <td class="nowrap">
                  {owner && u.id !== user?.id && (
                    <button type="button" class="button link" onClick={() => update(u, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="two-col">
        {owner && <AddUserForm onAdded={(u) => setUsers((prev) => [...prev, u])} />}
        <ChangePasswordForm />
      </div>
    </div>
  );
}
