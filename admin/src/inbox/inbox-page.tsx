/**
 * Open follow-ups, most urgent first, then by due time and age: who is waiting for an answer.
 * Rows are coloured by their SLA (due soon, overdue); "Assigned to me" narrows to one's own.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FollowUpItem, SlaState } from '../../../shared/respond.ts';
import type { LiveEvent } from '../api/live.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { capitalize, formatRelative } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

const SLA_LABEL: Record<SlaState, string> = { overdue: 'Overdue', due_soon: 'Due soon', ok: 'On time', none: 'No due time' };

/** "in 3 h", "2 h overdue" */
export function formatDue(dueAt: number | null, now = Date.now()): string {
  if (dueAt === null) return '—';
  const diff = dueAt - now;
  const abs = Math.abs(diff);
  const span = abs < 3_600_000 ? `${Math.max(1, Math.round(abs / 60_000))} min` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} days`;
  return diff >= 0 ? `in ${span}` : `${span} overdue`;
}

export function InboxPage({ now = () => Date.now() }: { now?: () => number }) {
  const { api, live, user } = useApp();
  const [mine, setMine] = useState(false);
  const [items, setItems] = useState<FollowUpItem[] | null>(null);
  const [version, setVersion] = useState(0);
  const { error, run } = useAction();

  useEffect(() => {
    void run(async () => setItems((await api.listFollowUps({ mine })).items));
  }, [api, mine, version]);

  // a follow-up opened or closed anywhere we can see: read the list again
  useEffect(() => {
    let offs: Array<() => void> = [];
    let disposed = false;
    const onEvent = (e: LiveEvent) => {
      if (e.type === 'follow-ups') setVersion((v) => v + 1);
    };
    api.listSites().then(
      (r) => {
        if (!disposed) offs = r.sites.map((s) => live.subscribeSite(s.id, onEvent));
      },
      () => undefined,
    );
    return () => {
      disposed = true;
      for (const off of offs) off();
    };
  }, [api, live]);

  const t = now();
  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Follow-ups</h1>
          <p class="muted">Customers waiting for an answer: the most urgent first, then by due time and age.</p>
        </div>
        <label class="toggle">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} /> Assigned to me
        </label>
      </header>
      <ErrorBanner error={error} />
      <div class="card table-card">
        <table class="table inbox">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Urgency</th>
              <th scope="col">Due</th>
              <th scope="col">Age</th>
              <th scope="col">Assignee</th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((f) => (
              <tr key={f.conversationId} class={`sla-${f.sla}`} data-sla={f.sla}>
                <td>
                  <a class="cell-main" href={href({ name: 'conversation', id: f.conversationId })}>
                    {f.visitorName ?? 'Anonymous visitor'}
                  </a>
                  <span class="cell-sub">{f.reason ?? f.preview ?? ''}</span>
                </td>
                <td>
                  {f.urgency ? <span class={`badge urgency-${f.urgency}`}>{capitalize(f.urgency)}</span> : <span class="muted">—</span>}
                  {f.priority !== 'normal' && <span class={`badge priority-${f.priority}`}>{capitalize(f.priority)} priority</span>}
                </td>
                <td>
                  <span class="cell-main">{formatDue(f.dueAt, t)}</span>
                  <span class={`cell-sub sla-text-${f.sla}`}>{SLA_LABEL[f.sla]}</span>
                </td>
                <td>{formatRelative(f.startedAt, t)}</td>
                <td>{f.assignee ? (f.assignee.id === user?.id ? 'You' : f.assignee.name) : <span class="muted">Unassigned</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {items !== null && items.length === 0 && <p class="empty">{mine ? 'Nothing assigned to you is open.' : 'No open follow-ups. Everyone has an answer.'}</p>}
        {items === null && !error && <p class="empty">Loading…</p>}
      </div>
    </div>
  );
}
