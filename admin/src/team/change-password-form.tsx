import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

export function ChangePasswordForm() {
  const { api } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { error, run } = useAction();
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    await run(async () => {
      await api.changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setDone(true);
    });
  };

  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Your password</h2>
      <label class="field">
        <span>Current password</span>
        <input type="password" autoComplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>New password (8+ characters)</span>
        <input type="password" autoComplete="new-password" required minLength={8} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      </label>
      <ErrorBanner error={error} />
      {done && (
        <p class="ok-text" role="status">
          Password changed.
        </p>
      )}
      <button type="submit" class="button">
        Change password
      </button>
    </form>
  );
}
