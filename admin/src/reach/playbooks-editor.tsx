import { useEffect, useState } from 'preact/hooks';
import type { PlaybookSettings } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';

/** The site's automated follow-ups, switched on by an owner. */
export function PlaybooksEditor({ siteId, canEdit }: { siteId: string; canEdit: boolean }) {
  const { api } = useApp();
  const [settings, setSettings] = useState<PlaybookSettings | null>(null);
  const [smtpProblem, setSmtpProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    api.getPlaybooks(siteId).then((r) => {
      setSettings(r.playbooks);
      setSmtpProblem(r.smtpProblem);
    }, action.setError);
  }, [api, siteId]);
  if (!settings) return <ErrorBanner error={action.error} />;
  const change = (next: PlaybookSettings) => {
    setSettings(next);
    setSaved(false);
  };
  const save = async () => {
    const r = await action.run(() => api.savePlaybooks(siteId, settings));
    if (r) {
      setSettings(r.playbooks);
      setSaved(true);
    }
  };
  const { thankPromoters, resolved, recheckDetractors } = settings;
  return (
    <div>
      <p class="muted">Messages go into the customer's chat widget (live, or with the unread badge on their next visit) and by e-mail when their address is known. Each is sent once per conversation.</p>
      {smtpProblem && <p class="muted small">E-mail: {smtpProblem}</p>}
      <div class="playbook">
        <label class="check">
          <input type="checkbox" disabled={!canEdit} checked={thankPromoters.enabled} onChange={(e) => change({ ...settings, thankPromoters: { ...thankPromoters, enabled: e.currentTarget.checked } })} />
          Thank promoters (NPS 9–10) right after their feedback
        </label>
        <div class="field">
          <label for="review-url">Public review link (optional)</label>
          <input id="review-url" type="url" disabled={!canEdit} placeholder="https://…" value={thankPromoters.reviewUrl ?? ''} onInput={(e) => change({ ...settings, thankPromoters: { ...thankPromoters, reviewUrl: e.currentTarget.value.trim() || null } })} />
        </div>
      </div>
      <div class="playbook">
        <label class="check">
          <input type="checkbox" disabled={!canEdit} checked={resolved.enabled} onChange={(e) => change({ ...settings, resolved: { enabled: e.currentTarget.checked } })} />
          Tell the customer when their follow-up is marked done
        </label>
      </div>
      <div class="playbook">
        <label class="check">
          <input type="checkbox" disabled={!canEdit} checked={recheckDetractors.enabled} onChange={(e) => change({ ...settings, recheckDetractors: { ...recheckDetractors, enabled: e.currentTarget.checked } })} />
          Ask detractors (NPS 0–6) again whether things got better
        </label>
        <div class="field">
          <label for="recheck-days">after</label>
          <input id="recheck-days" type="number" min={1} max={90} disabled={!canEdit} value={recheckDetractors.afterDays} onInput={(e) => change({ ...settings, recheckDetractors: { ...recheckDetractors, afterDays: Math.max(1, Math.min(90, Number(e.currentTarget.value) || 1)) } })} />
          <span>days</span>
        </div>
      </div>
      {canEdit && (
        <div class="reply-tools">
          <button type="button" class="button primary" onClick={() => void save()}>
            Save playbooks
          </button>
          {saved && <span class="muted small" role="status">Saved.</span>}
        </div>
      )}
      <ErrorBanner error={action.error} />
    </div>
  );
}
