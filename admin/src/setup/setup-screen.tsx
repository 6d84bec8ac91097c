import { useState } from 'preact/hooks';
import type { AdminApi } from '../api/admin-api.ts';
import { ApiError } from '../api/http.ts';
import type { SessionInfo } from '../api/types.ts';
import { errorMessage } from '../ui/error-banner.tsx';

interface Props {
  api: AdminApi;
  onSignedIn: (session: SessionInfo) => void;
  /** someone else finished setup first: the page should offer sign-in instead */
  onAlreadySetUp: () => void;
}

// the server enforces the same rule (shared/admin-api.ts); checking here saves a round trip
const MIN_PASSWORD = 8;

/** First run: no account exists yet, so the first visitor to /admin creates the owner. */
export function SetupScreen({ api, onSignedIn, onAlreadySetUp }: Props) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const problem =
      password.length < MIN_PASSWORD ? `The password needs at least ${MIN_PASSWORD} characters.` : password !== confirm ? 'The two passwords do not match.' : null;
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.setup({ email: email.trim(), password, ...(name.trim() ? { name: name.trim() } : {}) }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        setTaken(true);
        setError('An owner account already exists. Sign in with it instead.');
      } else if (err instanceof ApiError && err.code === 'rate_limited') {
        setError('Too many attempts. Wait a minute, then try again.');
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="setup-title">
        <div class="brand large">
          <span class="brand-mark" aria-hidden="true" />
          Parley
        </div>
        <h1 id="setup-title">Create the owner account</h1>
        <p class="muted">This Parley has no accounts yet. The owner can add sites, change settings and invite the team.</p>
        <label class="field">
          <span>Email</span>
          <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Name</span>
          <input type="text" autoComplete="name" maxLength={200} placeholder="Optional" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Password</span>
          <input type="password" autoComplete="new-password" required placeholder={`At least ${MIN_PASSWORD} characters`} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Confirm password</span>
          <input type="password" autoComplete="new-password" required value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="banner error" role="alert">
            {error}
          </p>
        )}
        {taken ? (
          <button class="button primary block" type="button" onClick={onAlreadySetUp}>
            Go to sign in
          </button>
        ) : (
          <button class="button primary block" type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        )}
      </form>
    </main>
  );
}
