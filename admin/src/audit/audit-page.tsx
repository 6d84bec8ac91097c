import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, RetentionResult } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { formatDateTime } from '../ui/format.ts';

const ACTION_LABEL: Record<string, string> = {
  'visitor.forget': 'Deleted a visitor’s data',
  'retention.delete': 'Deleted old transcripts (retention)',
  'conversation.follow_up': 'Changed a follow-up',
  'flow.save': 'Saved a flow',
  'flow.delete': 'Deleted a flow',
  'site.create': 'Created a site',
  'site.update': 'Changed site settings',
  'site.token_rotate': 'Rotated an API token',
  'user.create': 'Created an account',
  'user.setup': 'Created the owner account (first run)',
  'user.update': 'Changed an account',
  'user.password': 'Changed a password',
};

/** Who did what to data and settings: deletions, retention sweeps, account changes. */
export function AuditPage() {
  const { api } = useApp();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [swept, setSwept] = useState<RetentionResult | null>(null);
  const { error, setError, run } = useAction();

  const load = (before?: number) =>
    api.listAudit(before).then((r) => {
      setEntries((prev) => (before ? [...prev, ...r.entries] : r.entries));
      setMore(r.entries.length === 100);
    }, setError);

  useEffect(() => {
    void load();
  }, [api]);

  const runRetention = () =>
    run(async () => {
      setSwept(await api.runRetention());
      void load();
    });

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Audit log</h1>
          <p class="muted">Deletions, retention sweeps and account changes, newest first.</p>
        </div>
        <button type="button" class="button" onClick={runRetention}>
          Apply retention now
        </button>
      </header>
      <ErrorBanner error={error} />
      {swept && (
        <p class="banner ok" role="status">
          Retention applied: {swept.conversations} conversation{swept.conversations === 1 ? '' : 's'} deleted across {swept.sites} site
          {swept.sites === 1 ? '' : 's'}.
        </p>
      )}
      <div class="card table-card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td class="nowrap muted">{formatDateTime(e.createdAt)}</td>
                <td>{e.actor}</td>
                <td>
                  <span class="cell-main">{(Object.hasOwn(ACTION_LABEL, e.action) ? ACTION_LABEL[e.action] : undefined) ?? e.action}</span>
                  {e.target && <code class="cell-sub">{e.target}</code>}
                </td>
                <td>
                  <code class="cell-sub">{e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 0 && !error && <p class="empty">Nothing logged yet.</p>}
      </div>
      {more && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => load(entries.at(-1)?.id)}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
