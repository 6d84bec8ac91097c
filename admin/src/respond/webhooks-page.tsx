/**
 * A site's outbound webhook endpoints: add one (the signing secret is shown once), send a test,
 * see the delivery log, and switch an endpoint on again after it was switched off (with why).
 */
import { useEffect, useState } from 'preact/hooks';
import { WebhookEvent, type WebhookDelivery, type WebhookEndpoint, type WebhookFormat } from '../../../shared/respond.ts';
import { ApiError } from '../api/http.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';
import { SitePicker, useSites } from './site-picker.tsx';

const EVENTS = WebhookEvent.options;

function DeliveryLog({ endpointId, version }: { endpointId: string; version: number }) {
  const { api } = useApp();
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  useEffect(() => {
    api.webhookDeliveries(endpointId).then((r) => setItems(r.deliveries), () => setItems([]));
  }, [api, endpointId, version]);
  if (!items) return <p class="muted small">Loading deliveries…</p>;
  if (items.length === 0) return <p class="muted small">No deliveries yet.</p>;
  return (
    <table class="table compact" aria-label="Delivery log">
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <td>{d.event}</td>
            <td>
              <span class={`badge delivery-${d.status}`}>{d.status}</span>
            </td>
            <td>{d.attempts}</td>
            <td class="small">{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '—')}</td>
            <td class="small">{formatDateTime(d.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddEndpoint({ siteId, onAdded }: { siteId: string; onAdded: (e: WebhookEndpoint, secret: string) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['conversation.analysed', 'follow_up.opened', 'rule.fired']);
  const [format, setFormat] = useState<WebhookFormat>('json');
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const { error, setError, run } = useAction();
  return (
    <form
      class="card panel"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setIssues(new Map());
        void run(async () => {
          try {
            const r = await api.createWebhook(siteId, { name, url, events, format });
            onAdded(r.endpoint, r.secret);
            setName('');
            setUrl('');
          } catch (err) {
            if (err instanceof ApiError) setIssues(new Map(err.issues.map((i) => [i.path, i.message])));
            setError(err);
          }
        });
      }}
    >
      <h2>Add an endpoint</h2>
      <ErrorBanner error={error} />
      <div class="form-row">
        <div class="field">
          <label for="wh-name">Name</label>
          <input id="wh-name" value={name} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={issues.has('name') || undefined} />
          {issues.get('name') && <span class="error-text small">{issues.get('name')}</span>}
        </div>
        <div class="field">
          <label for="wh-url">URL</label>
          <input id="wh-url" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} aria-invalid={issues.has('url') || undefined} placeholder="https://hooks.example.com/parley" />
          {issues.get('url') && <span class="error-text small">{issues.get('url')}</span>}
        </div>
        <div class="field">
          <label for="wh-format">Format</label>
          <select id="wh-format" value={format} onChange={(e) => setFormat(e.currentTarget.value === 'slack' ? 'slack' : 'json')}>
            <option value="json">JSON (signed)</option>
            <option value="slack">Slack-compatible</option>
          </select>
        </div>
      </div>
      <fieldset class="checks">
        <legend>Events</legend>
        {EVENTS.map((ev) => (
          <label class="check" key={ev}>
            <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev))} /> {ev}
          </label>
        ))}
      </fieldset>
      <button class="button primary" type="submit">
        Add endpoint
      </button>
    </form>
  );
}

export function WebhooksPage({ siteId }: { siteId?: string | undefined }) {
  const { api } = useApp();
  const { sites, current } = useSites(siteId);
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[]>([]);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [version, setVersion] = useState(0);
  const { error, setError, run } = useAction();

  useEffect(() => {
    if (current) api.listWebhooks(current.id).then((r) => setEndpoints(r.endpoints), setError);
  }, [api, current?.id, version]);

  const replace = (e: WebhookEndpoint) => setEndpoints((prev) => prev.map((x) => (x.id === e.id ? e : x)));

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Webhooks{current ? ` · ${current.name}` : ''}</h1>
          <p class="muted">Events go out signed (HMAC-SHA256), retried with backoff, in order per conversation.</p>
        </div>
        {sites && <SitePicker sites={sites} current={current} route="webhooks" />}
      </header>
      <ErrorBanner error={error} />
      {secret && (
        <div class="banner" role="status">
          Signing secret for {secret.name} (shown once): <code>{secret.secret}</code>
        </div>
      )}
      {current && (
        <AddEndpoint
          siteId={current.id}
          onAdded={(e, s) => {
            setEndpoints((prev) => [...prev, e]);
            setSecret({ name: e.name, secret: s });
          }}
        />
      )}
      {endpoints.map((e) => (
        <section key={e.id} class="card panel" aria-label={e.name}>
          <div class="panel-head">
            <h2>
              {e.name} <span class={`badge ${e.enabled ? 'ok' : 'muted'}`}>{e.enabled ? 'On' : 'Off'}</span>
            </h2>
            <div class="row-actions">
              <button type="button" class="button" onClick={() => run(async () => (await api.testWebhook(e.id), setVersion((v) => v + 1)))}>
                Send test
              </button>
              <button type="button" class="button" onClick={() => run(async () => replace((await api.updateWebhook(e.id, { enabled: !e.enabled })).endpoint))}>
                {e.enabled ? 'Switch off' : 'Switch on'}
              </button>
              <button type="button" class="button link" onClick={() => setVersion((v) => v + 1)}>
                Refresh
              </button>
              <button
                type="button"
                class="button link danger"
                onClick={() =>
                  run(async () => {
                    await api.deleteWebhook(e.id);
                    setEndpoints((prev) => prev.filter((x) => x.id !== e.id));
                  })
                }
              >
                Delete
              </button>
            </div>
          </div>
          <p class="small">
            <code>{e.url}</code> · {e.format === 'slack' ? 'Slack-compatible' : 'JSON'} · {e.events.join(', ') || 'rule actions only'}
          </p>
          {!e.enabled && e.disabledReason && (
            <p class="error-text small" role="status">
              {e.disabledReason}
            </p>
          )}
          <DeliveryLog endpointId={e.id} version={version} />
        </section>
      ))}
    </div>
  );
}
