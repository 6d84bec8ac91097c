import { useState } from 'preact/hooks';
import type { AdminUser, Role } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

export function AddUserForm({ onAdded }: { onAdded: (u: AdminUser) => void }) {
  const { api } = useApp();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const { error, run } = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      const { user } = await api.createUser({ email: email.trim(), name: name.trim() || undefined, password, role });
      onAdded(user);
      setEmail('');
      setName('');
      setPassword('');
    });
  };

  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a person</h2>
      <div class="form-row">
        <label class="field">
          <span>Email</span>
          <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Name</span>
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
      </div>
      <div class="form-row">
        <label class="field">
          <span>First password (8+ characters)</span>
          <input type="password" autoComplete="new-password" required minLength={8} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.currentTarget.value === 'owner' ? 'owner' : 'agent')}>
            <option value="agent">Agent</option>
            <option value="owner">Owner</option>
          </select>
        </label>
      </div>
      <ErrorBanner error={error} />
      <button type="submit" class="button primary">
        Add person
      </button>
    </form>
  );
}
