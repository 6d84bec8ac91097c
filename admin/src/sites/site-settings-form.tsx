import { useEffect, useState } from 'preact/hooks';
import type { AdminSite, FlowSummary, SiteSettings } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { BusinessHoursEditor } from './business-hours-editor.tsx';
import { parseOrigins } from './origins.ts';
import { TopicsEditor } from './topics-editor.tsx';

interface Props {
  site: AdminSite;
  onSaved: (site: AdminSite) => void;
}

function greetingOf(site: AdminSite): string {
  return site.settings.strings[site.settings.locale]?.greeting ?? '';
}

function intOrNull(v: string): number | null {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : null;
}

export function SiteSettingsForm({ site, onSaved }: Props) {
  const { api } = useApp();
  const [name, setName] = useState(site.name);
  const [origins, setOrigins] = useState(site.allowedOrigins.join('\n'));
  const [greeting, setGreeting] = useState(greetingOf(site));
  const [settings, setSettings] = useState<SiteSettings>(site.settings);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const { error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listFlows(site.id).then((r) => setFlows(r.flows), () => setFlows([]));
  }, [api, site.id]);

  const set = (patch: Partial<SiteSettings>) => {
    setSaved(false);
    setSettings((s) => ({ ...s, ...patch }));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await run(async () => {
        const { site: next } = await api.updateSite(site.id, {
          name: name.trim(),
          allowedOrigins: parseOrigins(origins),
          greeting,
          settings: {
            color: settings.color,
            position: settings.position,
            defaultFlow: settings.defaultFlow,
            idleTimeoutMinutes: settings.idleTimeoutMinutes,
            retentionDays: settings.retentionDays,
            timeZone: settings.timeZone,
            topics: settings.topics.filter((t) => t.name.trim()),
            businessHours: settings.businessHours,
          },
        });
        onSaved(next);
        setSaved(true);
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="settings" onSubmit={save}>
      <section class="card panel" aria-labelledby="general-title">
        <h2 id="general-title">Widget</h2>
        <div class="form-row">
          <label class="field">
            <span>Name</span>
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <div class="field">
            <span aria-hidden="true">Colour</span>
            <span class="color-input">
              <input type="color" aria-label="Pick a colour" value={settings.color.length === 7 ? settings.color : '#4f46e5'} onInput={(e) => set({ color: e.currentTarget.value })} />
              <input aria-label="Colour" value={settings.color} onInput={(e) => set({ color: e.currentTarget.value })} />
            </span>
          </div>
          <label class="field">
            <span>Position</span>
            <select value={settings.position} onChange={(e) => set({ position: e.currentTarget.value === 'bottom-left' ? 'bottom-left' : 'bottom-right' })}>
              <option value="bottom-right">Bottom right</option>
              <option value="bottom-left">Bottom left</option>
            </select>
          </label>
        </div>
        <label class="field">
          <span>Greeting</span>
          <input value={greeting} placeholder="Hi! How can we help?" onInput={(e) => setGreeting(e.currentTarget.value)} />
        </label>
        <div class="form-row">
          <label class="field">
            <span>Default flow</span>
            <select value={settings.defaultFlow} onChange={(e) => set({ defaultFlow: e.currentTarget.value })}>
              {!flows.some((f) => f.id === settings.defaultFlow) && <option value={settings.defaultFlow}>{settings.defaultFlow}</option>}
              {flows.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name} ({f.id})
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Idle timeout (minutes)</span>
            <input type="number" min={1} max={10080} value={settings.idleTimeoutMinutes} onInput={(e) => set({ idleTimeoutMinutes: intOrNull(e.currentTarget.value) ?? 30 })} />
          </label>
          <label class="field">
            <span>Keep transcripts (days, empty = forever)</span>
            <input type="number" min={1} value={settings.retentionDays ?? ''} onInput={(e) => set({ retentionDays: intOrNull(e.currentTarget.value) })} />
          </label>
          <label class="field">
            <span>Time zone (IANA, for insight charts)</span>
            <input value={settings.timeZone} placeholder="Europe/Berlin" onInput={(e) => set({ timeZone: e.currentTarget.value.trim() })} />
          </label>
        </div>
        <label class="field">
          <span>Allowed origins, one per line (e.g. https://shop.example or http://localhost:*)</span>
          <textarea rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        </label>
      </section>

      <section class="card panel" aria-labelledby="topics-title">
        <h2 id="topics-title">Topics</h2>
        <p class="muted">Conversations are sorted into these after they end.</p>
        <TopicsEditor value={settings.topics} onChange={(topics) => set({ topics })} />
      </section>

      <section class="card panel" aria-labelledby="hours-title">
        <h2 id="hours-title">Business hours</h2>
        <BusinessHoursEditor value={settings.businessHours} onChange={(businessHours) => set({ businessHours })} />
      </section>

      <div class="save-bar">
        <ErrorBanner error={error} />
        {saved && (
          <span class="ok-text" role="status">
            Saved
          </span>
        )}
        <button type="submit" class="button primary" disabled={busy}>
          Save settings
        </button>
      </div>
    </form>
  );
}
