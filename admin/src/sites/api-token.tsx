import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

interface Props {
  siteId: string;
  hasToken: boolean;
  /** a token just made (on create), shown once */
  initialToken?: string | null;
}

/** The /api/v1 bearer token: only its hash is stored, so a new one is shown exactly once. */
export function ApiToken({ siteId, hasToken, initialToken = null }: Props) {
  const { api } = useApp();
  const [token, setToken] = useState<string | null>(initialToken);
  const { error, run } = useAction();
  const rotate = async () => {
    if (hasToken && !confirm('Rotate the API token? The current token keeps working for 24 hours, then stops: switch your integrations to the new one.')) return;
    await run(async () => {
      setToken((await api.rotateToken(siteId)).apiToken);
    });
  };
  return (
    <div class="token">
      {token ? (
        <div class="token-reveal" role="status">
          <p>Copy this token now; it is not shown again.</p>
          <code class="token-value">{token}</code>
        </div>
      ) : (
        <p class="muted">{hasToken ? 'A token is set. Rotating replaces it.' : 'No API token yet.'}</p>
      )}
      <ErrorBanner error={error} />
      <button type="button" class="button" onClick={rotate}>
        {hasToken || token ? 'Rotate API token' : 'Create API token'}
      </button>
    </div>
  );
}
