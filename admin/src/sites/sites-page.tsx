import { useEffect, useState } from 'preact/hooks';
import type { AdminSite, SiteCreated } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { ApiToken } from './api-token.tsx';
import { CreateSiteForm } from './create-site-form.tsx';
import { EmbedSnippet } from './embed-snippet.tsx';

export function SitesPage() {
  const { api, user } = useApp();
  const [sites, setSites] = useState<AdminSite[] | null>(null);
  const [created, setCreated] = useState<SiteCreated | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.listSites().then((r) => setSites(r.sites), setError);
  }, [api]);

  const onCreated = (c: SiteCreated) => {
    setCreated(c);
    setSites((prev) => [...(prev ?? []), c.site]);
  };

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Sites</h1>
          <p class="muted">Each site has its own widget, flows, topics and allowed origins.</p>
        </div>
      </header>
      <ErrorBanner error={error} />
      {created && (
        <section class="card panel highlight" aria-labelledby="created-title">
          <h2 id="created-title">{created.site.name} is ready</h2>
          <p>Paste this before the closing &lt;/body&gt; tag of every page that should show the widget:</p>
          <EmbedSnippet snippet={created.site.snippet} />
          <h3>API token</h3>
          <ApiToken siteId={created.site.id} hasToken initialToken={created.apiToken} />
        </section>
      )}
      <div class="site-grid">
        {(sites ?? []).map((s) => (
          <a key={s.id} class="card site-card" href={href({ name: 'site', id: s.id })}>
            <span class="swatch" style={{ background: s.settings.color }} aria-hidden="true" />
            <span>
              <strong>{s.name}</strong>
              <span class="muted small block">
                key {s.key} · {s.allowedOrigins.length} origin{s.allowedOrigins.length === 1 ? '' : 's'} · default flow {s.settings.defaultFlow}
              </span>
            </span>
          </a>
        ))}
        {sites && sites.length === 0 && <p class="empty">No sites yet.</p>}
      </div>
      {user?.role === 'owner' && <CreateSiteForm onCreated={onCreated} />}
    </div>
  );
}
