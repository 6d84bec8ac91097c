import { useEffect, useState } from 'preact/hooks';
import type { EmailLogResponse } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { href } from '../shell/route.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { EMAIL_STATUS } from './reply-panel.tsx';

/** Every e-mail Parley sent or tried to: refused and failed ones say why. */
export function EmailsPage() {
  const { api } = useApp();
  const [log, setLog] = useState<EmailLogResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.listEmails().then(setLog, setError);
  }, [api]);
  return (
    <div class="page">
      <header class="page-header">
        <div>
          <h1>E-mails</h1>
          <p class="muted">Replies, notifications and playbook messages sent by e-mail, newest first.</p>
        </div>
      </header>
      <ErrorBanner error={error} />
      {log?.smtpProblem && (
        <div class="banner error" role="alert">
          {log.smtpProblem}
        </div>
      )}
      {log && log.items.length === 0 && <p class="empty">No e-mails yet.</p>}
      {log && log.items.length > 0 && (
        <div class="card">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Queued</th>
                <th scope="col">Attempts</th>
                <th scope="col">Conversation</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <span class={`badge ${EMAIL_STATUS[e.status].tone}`}>{EMAIL_STATUS[e.status].label}</span>
                    {e.lastError && e.status !== 'sent' && <div class="muted small">{e.lastError}</div>}
                  </td>
                  <td>{e.to}</td>
                  <td>{e.subject}</td>
                  <td class="small">{formatDateTime(e.createdAt)}</td>
                  <td>{e.attempts}</td>
                  <td>{e.conversationId ? <a href={href({ name: 'conversation', id: e.conversationId })}>Open</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
