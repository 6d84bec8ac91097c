import { useEffect, useState } from 'preact/hooks';
import type { WebhookMapping, WebhookView } from '../../../shared/feedback.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

type PathField = 'text' | 'author' | 'externalId' | 'url' | 'rating' | 'createdAt';
const PATHS: { field: PathField; label: string; placeholder: string }[] = [
  { field: 'text', label: 'Text path (required)', placeholder: 'review.body' },
  { field: 'author', label: 'Author path', placeholder: 'review.user.name' },
  { field: 'externalId', label: 'External id path', placeholder: 'review.id' },
  { field: 'url', label: 'URL path', placeholder: 'review.url' },
  { field: 'rating', label: 'Rating path', placeholder: 'review.stars' },
  { field: 'createdAt', label: 'Date path', placeholder: 'review.created_at' },
];

/** One inbound webhook per site: a secret URL and the JSON paths that make an item. */
export function WebhookPanel({ siteId }: { siteId: string }) {
  const { api } = useApp();
  const load = useAction();
  const save = useAction();
  const [hook, setHook] = useState<WebhookView | null>(null);
  const [paths, setPaths] = useState<Partial<Record<PathField, string>>>({});
  const [source, setSource] = useState('webhook');
  const [saved, setSaved] = useState(false);

  const adopt = (w: WebhookView | null) => {
    setHook(w);
    if (!w) return;
    const m: WebhookMapping = w.mapping;
    setPaths({ text: m.text, author: m.author, externalId: m.externalId, url: m.url, rating: m.rating, createdAt: m.createdAt });
    setSource(m.source);
  };

  useEffect(() => {
    void load.run(async () => adopt((await api.ingest.getWebhook(siteId)).webhook));
  }, [api, siteId]);

  const submit = (rotateSecret: boolean) =>
    save.run(async () => {
      setSaved(false);
      const mapping = { ...Object.fromEntries(Object.entries(paths).filter(([, v]) => v)), text: paths.text ?? '', source };
      adopt((await api.ingest.saveWebhook(siteId, { mapping, enabled: true, rotateSecret })).webhook);
      setSaved(true);
    });

  const full = hook ? `${location.origin}${hook.path}` : '';
  return (
    <div class="stack">
      <ErrorBanner error={load.error} />
      <form
        class="card panel"
        aria-label="Inbound webhook"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
      >
        <h3>Inbound webhook</h3>
        <p class="muted">For tools that can only POST JSON. Each call becomes one feedback item; the same external id twice is taken once.</p>
        {hook && (
          <div class="field">
            <span>POST to</span>
            <code aria-label="Webhook URL">{full}</code>
            <span class="muted small">
              Or POST to {location.origin}/api/v1/inbound/…/ with <code>X-Parley-Signature: sha256=&lt;HMAC-SHA256 of the body with the secret&gt;</code>. Received{' '}
              {hook.received}
              {hook.lastAt ? `, last ${formatDateTime(hook.lastAt)}` : ''}.
            </span>
            {hook.lastError && <span class="error-text">Last error: {hook.lastError}</span>}
          </div>
        )}
        {PATHS.map(({ field, label, placeholder }) => (
          <label class="field" key={field}>
            <span>{label}</span>
            <input value={paths[field] ?? ''} placeholder={placeholder} required={field === 'text'} onInput={(e) => setPaths({ ...paths, [field]: e.currentTarget.value.trim() || undefined })} />
          </label>
        ))}
        <label class="field compact">
          <span>Source label</span>
          <input value={source} onInput={(e) => setSource(e.currentTarget.value.trim())} />
        </label>
        <ErrorBanner error={save.error} />
        <div class="button-row">
          <button type="submit" class="button primary">
            {hook ? 'Save mapping' : 'Create webhook'}
          </button>
          {hook && (
            <button type="button" class="button" onClick={() => confirm('Make a new secret? The current URL stops working at once.') && submit(true)}>
              New secret
            </button>
          )}
          {saved && <span role="status">Saved</span>}
        </div>
      </form>
    </div>
  );
}
