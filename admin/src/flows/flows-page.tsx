import { useEffect, useState } from 'preact/hooks';
import type { AdminSite, FlowSummary } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { FlowEditor } from './flow-editor.tsx';
import { NEW_FLOW_TEMPLATE } from './flow-template.ts';

const NEW = '+new';

export function FlowsPage({ siteId, flowId }: { siteId?: string; flowId?: string }) {
  const { api } = useApp();
  const [sites, setSites] = useState<AdminSite[]>([]);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [json, setJson] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.listSites().then((r) => setSites(r.sites), setError);
  }, [api]);

  const site = sites.find((s) => s.id === siteId) ?? sites[0];
  useEffect(() => {
    if (!site) return;
    api.listFlows(site.id).then((r) => setFlows(r.flows), setError);
  }, [api, site?.id]);

  useEffect(() => {
    setJson(null);
    if (!site || !flowId) return;
    if (flowId === NEW) return setJson(NEW_FLOW_TEMPLATE);
    api.getFlow(site.id, flowId).then((r) => setJson(r.json.endsWith('\n') ? r.json : `${r.json}\n`), setError);
  }, [api, site?.id, flowId]);

  const go = (nextFlow?: string) => {
    if (site) location.hash = href({ name: 'flows', siteId: site.id, flowId: nextFlow });
  };

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Flows</h1>
          <p class="muted">Surveys and support flows are JSON, checked against the schema as you type.</p>
        </div>
        {sites.length > 1 && (
          <label class="field compact">
            <span>Site</span>
            <select value={site?.id ?? ''} onChange={(e) => (location.hash = href({ name: 'flows', siteId: e.currentTarget.value }))}>
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
      <div class="flows-layout">
        <nav class="card flow-list" aria-label="Flows">
          <ul>
            {flows.map((f) => (
              <li key={f.id}>
                <a href={site ? href({ name: 'flows', siteId: site.id, flowId: f.id }) : '#'} class={f.id === flowId ? 'active' : ''}>
                  <strong>{f.name}</strong>
                  <span class="muted small block">
                    {f.id} · {f.kind}
                    {site?.settings.defaultFlow === f.id ? ' · default' : ''}
                  </span>
                </a>
              </li>
            ))}
          </ul>
          <button type="button" class="button block" onClick={() => go(NEW)}>
            New flow
          </button>
        </nav>
        {site && json !== null && flowId ? (
          <FlowEditor
            siteId={site.id}
            siteKey={site.key}
            flowId={flowId === NEW ? null : flowId}
            initialJson={json}
            isDefault={site.settings.defaultFlow === flowId}
            onSaved={(id) => {
              api.listFlows(site.id).then((r) => setFlows(r.flows), setError);
              go(id);
            }}
            onDeleted={() => {
              api.listFlows(site.id).then((r) => setFlows(r.flows), setError);
              go();
            }}
          />
        ) : (
          <p class="empty">Pick a flow to edit, or start a new one.</p>
        )}
      </div>
    </div>
  );
}
