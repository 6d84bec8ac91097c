import { useState } from 'preact/hooks';
import type { AdminApi } from '../api/admin-api.ts';
import type { SessionInfo } from '../api/types.ts';
import { ApiError } from '../api/http.ts';
import { errorMessage } from '../ui/error-banner.tsx';

interface Props {
  api: AdminApi;
  onSignedIn: (session: SessionInfo) => void;
}

function loginError(err: unknown): string {
  if (err instanceof ApiError && err.code === 'unauthorized') return 'That email and password do not match an account.';
  if (err instanceof ApiError && err.code === 'rate_limited') return 'Too many attempts. Wait a minute, then try again.';
  return errorMessage(err);
}

export function LoginScreen({ api, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(email.trim(), password));
    } catch (err) {
      setError(loginError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="brand large">
          <span class="brand-mark" aria-hidden="true" />
          Parley
        </div>
        <h1 id="login-title">Sign in</h1>
        <p class="muted">Review conversations, follow up with customers and answer live chats.</p>
        <label class="field">
          <span>Email</span>
          <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="banner error" role="alert">
            {error}
          </p>
        )}
        <button class="button primary block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
