import { useEffect, useState } from 'preact/hooks';
import type { AdminApi } from '../api/admin-api.ts';
import { ApiError } from '../api/http.ts';
import type { LiveClient } from '../api/live.ts';
import type { SessionInfo } from '../api/types.ts';
import { AppContext } from '../app-context.ts';
import { LoginScreen } from '../login/login-screen.tsx';
import { SetupScreen } from '../setup/setup-screen.tsx';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { Layout } from './layout.tsx';
import { Screen } from './screen.tsx';
import { useRoute } from './route.ts';

interface Props {
  api: AdminApi;
  /** made once signed in: the /admin namespace only accepts a valid session */
  connectLive: () => LiveClient;
  /** the shell learns about 401s from the HTTP client through this */
  onUnauthorized: (fn: () => void) => void;
}

type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  /** a fresh install: no account exists yet, so the page offers to create the owner */
  | { kind: 'setup' }
  | { kind: 'signed-in'; session: SessionInfo }
  | { kind: 'failed'; error: unknown };

/** Signed out: a fresh install gets setup; if the server cannot say (older server, error), plain sign-in. */
async function signedOutState(api: AdminApi): Promise<SessionState> {
  const status = await api.setupStatus().catch(() => null);
  return status?.setupRequired ? { kind: 'setup' } : { kind: 'signed-out' };
}

export function App({ api, connectLive, onUnauthorized }: Props) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const route = useRoute();

  useEffect(() => {
    // a 401 ends a signed-in session; during start-up the session check below decides (setup or sign-in)
    onUnauthorized(() => setState((s) => (s.kind === 'signed-in' ? { kind: 'signed-out' } : s)));
    api.session().then(
      (session) => setState({ kind: 'signed-in', session }),
      async (err: unknown) => setState(err instanceof ApiError && err.code === 'unauthorized' ? await signedOutState(api) : { kind: 'failed', error: err }),
    );
  }, [api, onUnauthorized]);

  const signedIn = state.kind === 'signed-in' ? state.session : null;
  const userId = signedIn?.user.id ?? null;
  const [live, setLive] = useState<LiveClient | null>(null);
  useEffect(() => {
    if (!userId) return;
    const client = connectLive();
    setLive(client);
    const off = client.onSessionEnded(() => setState({ kind: 'signed-out' }));
    return () => {
      off();
      client.close();
      setLive(null);
    };
  }, [userId, connectLive]);

  if (state.kind === 'loading') return <div class="splash" aria-busy="true" />;
  if (state.kind === 'failed') {
    return (
      <main class="login">
        <div class="login-card">
          <ErrorBanner error={state.error} />
          <button class="button" type="button" onClick={() => location.reload()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (state.kind === 'setup') {
    return (
      <SetupScreen api={api} onSignedIn={(session) => setState({ kind: 'signed-in', session })} onAlreadySetUp={() => setState({ kind: 'signed-out' })} />
    );
  }
  if (!signedIn) return <LoginScreen api={api} onSignedIn={(session) => setState({ kind: 'signed-in', session })} />;
  if (!live) return <div class="splash" aria-busy="true" />;

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setState({ kind: 'signed-out' });
  };
  return (
    <AppContext.Provider value={{ api, live, user: signedIn.user }}>
      <Layout route={route} user={signedIn.user} onSignOut={signOut}>
        <Screen route={route} />
      </Layout>
    </AppContext.Provider>
  );
}
