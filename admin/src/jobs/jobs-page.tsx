import { useEffect, useState } from 'preact/hooks';
import type { JobView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';

type Status = JobView['status'];

/** most jobs are about one conversation: link to it */
function ConversationLink({ payload }: { payload: unknown }) {
  if (typeof payload !== 'object' || payload === null || !('conversationId' in payload)) return null;
  const id = payload.conversationId;
  if (typeof id !== 'string') return null;
  return (
    <a class="small" href={href({ name: 'conversation', id })}>
      Open conversation
    </a>
  );
}
const TABS: { status: Status; label: string }[] = [
  { status: 'dead', label: 'Failed' },
  { status: 'pending', label: 'Waiting' },
  { status: 'running', label: 'Running' },
  { status: 'done', label: 'Done' },
];

/** Background work (extraction, webhooks, feeds): failures that gave up stay visible here. */
export function JobsPage() {
  const { api } = useApp();
  const [status, setStatus] = useState<Status>('dead');
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setJobs(null);
    setError(null);
    api.listJobs(status).then((r) => setJobs(r.jobs), setError);
  }, [api, status]);

  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>Jobs</h1>
          <p class="muted">Extraction, webhooks and feed polling run in the background and retry with backoff.</p>
        </div>
      </header>
      <div class="tabs" role="tablist" aria-label="Job status">
        {TABS.map((t) => (
          <button key={t.status} type="button" role="tab" aria-selected={t.status === status} class={t.status === status ? 'tab active' : 'tab'} onClick={() => setStatus(t.status)}>
            {t.label}
          </button>
        ))}
      </div>
      <ErrorBanner error={error} />
      <div class="card table-card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">{status === 'pending' ? 'Runs at' : 'Updated'}</th>
            </tr>
          </thead>
          <tbody>
            {(jobs ?? []).map((j) => (
              <tr key={j.id}>
                <td>
                  <span class="cell-main">
                    #{j.id} {j.kind}
                  </span>
                  <code class="cell-sub">{JSON.stringify(j.payload)}</code>
                  <ConversationLink payload={j.payload} />
                </td>
                <td>{j.attempts}</td>
                <td class="error-text">{j.lastError ?? <span class="muted">—</span>}</td>
                <td class="nowrap muted">{formatDateTime(status === 'pending' ? j.runAt : j.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {jobs && jobs.length === 0 && <p class="empty">{status === 'dead' ? 'No failed jobs. All good.' : 'Nothing here.'}</p>}
        {!jobs && !error && <p class="empty">Loading…</p>}
      </div>
    </div>
  );
}
