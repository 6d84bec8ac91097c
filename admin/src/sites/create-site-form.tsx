import { useState } from 'preact/hooks';
import type { SiteCreated } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { parseOrigins } from './origins.ts';

export function CreateSiteForm({ onCreated }: { onCreated: (created: SiteCreated) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [origins, setOrigins] = useState('');
  const { error, run } = useAction();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await run(async () => {
        const created = await api.createSite({ name: name.trim(), key: key.trim() || undefined, allowedOrigins: parseOrigins(origins) });
        setName('');
        setKey('');
        setOrigins('');
        onCreated(created);
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="create-site-title">
      <h2 id="create-site-title">Add a site</h2>
      <div class="form-row">
        <label class="field">
          <span>Name</span>
          <input required value={name} placeholder="Acme shop" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Site key (optional)</span>
          <input value={key} placeholder="made from the name" pattern="[A-Za-z0-9_\-]{2,64}" onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
      </div>
      <label class="field">
        <span>Allowed origins, one per line</span>
        <textarea rows={2} value={origins} placeholder="https://shop.example" onInput={(e) => setOrigins(e.currentTarget.value)} />
      </label>
      <ErrorBanner error={error} />
      <button type="submit" class="button primary" disabled={busy}>
        Create site
      </button>
    </form>
  );
}
