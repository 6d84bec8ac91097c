import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

/**
 * Identity verification: the secret the site's own server signs user ids with, so
 * `Parley.identify({ id, userHash })` marks the visitor verified. Owners only; showing and
 * rotating it are audit-logged on the server.
 */
export function IdentitySecret({ siteId }: { siteId: string }) {
  const { api } = useApp();
  const [secret, setSecret] = useState<string | null>(null);
  const { error, run } = useAction();
  const show = () => run(async () => setSecret((await api.identitySecret(siteId)).identitySecret));
  const rotate = async () => {
    if (!confirm('Rotate the identity secret? Every userHash made with the current one stops verifying.')) return;
    await run(async () => setSecret((await api.rotateIdentitySecret(siteId)).identitySecret));
  };
  return (
    <div class="token">
      <p class="muted">
        Your server computes <code>userHash</code> = hex HMAC-SHA256 of the user's id keyed with this secret, and passes it to{' '}
        <code>Parley.identify</code>. Keep it on your server; never put it in a page.
      </p>
      {secret && (
        <div class="token-reveal" role="status">
          <code class="token-value" data-testid="identity-secret">
            {secret}
          </code>
        </div>
      )}
      <ErrorBanner error={error} />
      <div class="button-row">
        {!secret && (
          <button type="button" class="button" onClick={show}>
            Show identity secret
          </button>
        )}
        <button type="button" class="button" onClick={rotate}>
          Rotate identity secret
        </button>
      </div>
    </div>
  );
}
