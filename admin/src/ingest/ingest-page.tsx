import { useEffect, useState } from 'preact/hooks';
import type { AdminSite } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { FeedsPanel } from './feeds-panel.tsx';
import { ImportPanel } from './import-panel.tsx';
import { WebhookPanel } from './webhook-panel.tsx';

type Tab = 'import' | 'feeds' | 'webhook';
const TABS: { tab: Tab; label: string; ownerOnly?: boolean }[] = [
  { tab: 'import', label: 'File import' },
  { tab: 'feeds', label: 'Feeds' },
  { tab: 'webhook', label: 'Webhook', ownerOnly: true },
];

/** Feedback from outside the widget: file imports, RSS/Atom feeds, the inbound webhook (and the API in README). */
export function IngestPage() {
  const { api, user } = useApp();
  const [sites, setSites] = useState<AdminSite[] | null>(null);
  const [siteId, setSiteId] = useState('');
  const [tab, setTab] = useState<Tab>('import');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.listSites().then((r) => {
      setSites(r.sites);
      setSiteId((cur) => cur || r.sites[0]?.id || '');
    }, setError);
  }, [api]);

  const tabs = TABS.filter((t) => !t.ownerOnly || user?.role === 'owner');
  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Ingest</h1>
          <p class="muted">Reviews, posts and exports from elsewhere become feedback items: analysed, searchable and listed with their source.</p>
        </div>
        {sites && sites.length > 1 && (
          <label class="field compact">
            <span>Site</span>
            <select value={siteId} onChange={(e) => setSiteId(e.currentTarget.value)}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      <ErrorBanner error={error} />
      <div class="tabs" role="tablist" aria-label="Ingest source">
        {tabs.map((t) => (
          <button key={t.tab} type="button" role="tab" aria-selected={t.tab === tab} class={t.tab === tab ? 'tab active' : 'tab'} onClick={() => setTab(t.tab)}>
            {t.label}
          </button>
        ))}
      </div>
      {siteId && tab === 'import' && <ImportPanel key={siteId} siteId={siteId} />}
      {siteId && tab === 'feeds' && <FeedsPanel key={siteId} siteId={siteId} />}
      {siteId && tab === 'webhook' && <WebhookPanel key={siteId} siteId={siteId} />}
      {sites && sites.length === 0 && <p class="empty">Create a site first.</p>}
    </div>
  );
}
