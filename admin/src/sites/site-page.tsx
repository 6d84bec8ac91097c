import { useEffect, useState } from 'preact/hooks';
import type { AdminSite } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { ApiToken } from './api-token.tsx';
import { CannedEditor } from './canned-editor.tsx';
import { PlaybooksEditor } from '../reach/playbooks-editor.tsx';
import { EmbedSnippet } from './embed-snippet.tsx';
import { IdentitySecret } from './identity-secret.tsx';
import { SiteSettingsForm } from './site-settings-form.tsx';

export function SitePage({ id }: { id: string }) {
  const { api, user } = useApp();
  const [site, setSite] = useState<AdminSite | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.listSites().then((r) => {
      const found = r.sites.find((s) => s.id === id);
      if (found) setSite(found);
      else setError(new Error('That site does not exist, or you cannot see it.'));
    }, setError);
  }, [api, id]);

  const owner = user?.role === 'owner';
  return (
    <div class="page">
      <a class="back" href={href({ name: 'sites' })}>
        ← Sites
      </a>
      <ErrorBanner error={error} />
      {site && (
        <>
          <header class="page-header">
            <div>
              <h1>{site.name}</h1>
              <p class="muted">
                Site key <code>{site.key}</code> ·{' '}
                <a href={href({ name: 'flows', siteId: site.id })}>Flows</a>
              </p>
            </div>
          </header>
          <section class="card panel" aria-labelledby="embed-title">
            <h2 id="embed-title">Embed</h2>
            <EmbedSnippet snippet={site.snippet} />
          </section>
          {owner ? (
            <SiteSettingsForm site={site} onSaved={setSite} />
          ) : (
            <p class="muted">Only an owner can change a site's settings.</p>
          )}
          <section class="card panel" aria-labelledby="playbooks-title">
            <h2 id="playbooks-title">Automated follow-ups</h2>
            <PlaybooksEditor siteId={site.id} canEdit={owner} />
          </section>
          <section class="card panel" aria-labelledby="canned-title">
            <h2 id="canned-title">Canned responses</h2>
            <CannedEditor siteId={site.id} />
          </section>
          {owner && (
            <section class="card panel" aria-labelledby="token-title">
              <h2 id="token-title">API token</h2>
              <p class="muted">For /api/v1 (sending feedback from your own systems).</p>
              <ApiToken siteId={site.id} hasToken={site.hasApiToken} />
            </section>
          )}
          {owner && (
            <section class="card panel" aria-labelledby="identity-title">
              <h2 id="identity-title">Identity verification</h2>
              <IdentitySecret siteId={site.id} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
