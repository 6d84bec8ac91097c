import { useEffect, useState } from 'preact/hooks';
import type { ConversationReach, EmailLogEntry, ReplyLang } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

const LANGS: { value: ReplyLang | ''; label: string }[] = [
  { value: '', label: "Customer's language" },
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
];

const newKey = () => `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const EMAIL_STATUS: Record<EmailLogEntry['status'], { label: string; tone: string }> = {
  queued: { label: 'Queued', tone: '' },
  sent: { label: 'Sent', tone: 'ok' },
  retrying: { label: 'Retrying', tone: 'warn' },
  refused: { label: 'Refused', tone: 'bad' },
  failed: { label: 'Failed', tone: 'bad' },
};

/**
 * "Draft reply" and send: the draft (LLM or template) lands in an editable box; Send delivers it
 * into the visitor's widget (live, or with the unread badge on their next visit) and by e-mail.
 */
export function ReplyPanel({ conversationId, onSent }: { conversationId: string; onSent: () => void }) {
  const { api } = useApp();
  const [reach, setReach] = useState<ConversationReach | null>(null);
  const [text, setText] = useState('');
  const [lang, setLang] = useState<ReplyLang | ''>('');
  const [emailToo, setEmailToo] = useState(true);
  const [source, setSource] = useState<string | null>(null);
  const [busy, setBusy] = useState<'draft' | 'send' | null>(null);
  const [key, setKey] = useState(newKey);
  const action = useAction();

  const load = () => api.conversationReach(conversationId).then(setReach, action.setError);
  useEffect(() => {
    void load();
  }, [api, conversationId]);
  // e-mails on their way: look again until each is sent, refused or failed
  const pending = reach?.emails.some((e) => e.status === 'queued' || e.status === 'retrying') ?? false;
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (!pending || polls > 60) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      void load();
    }, 2000);
    return () => clearTimeout(timer);
  }, [pending, reach, polls]);

  async function draft() {
    setBusy('draft');
    const d = await action.run(() => api.draftReply(conversationId, lang || undefined));
    setBusy(null);
    if (!d) return;
    setText(d.text);
    setSource(d.source === 'llm' ? 'Drafted by the assistant from the transcript. Check it before sending.' : 'Drafted from a template filled from the analysis. Check it before sending.');
  }

  async function send() {
    setBusy('send');
    const r = await action.run(() => api.sendReply(conversationId, { text, clientKey: key, emailToo }));
    setBusy(null);
    if (!r) return;
    setText('');
    setSource(null);
    setKey(newKey());
    onSent();
    void load();
  }

  const email = reach?.email ?? null;
  return (
    <section class="card panel reply-panel" aria-labelledby="reply-title">
      <h2 id="reply-title">Reply to the customer</h2>
      {reach?.recovery && (
        <p>
          <span class={`badge ${reach.recovery === 'recovered' ? 'ok' : 'bad'}`}>{reach.recovery === 'recovered' ? 'Recovered' : 'Not recovered'}</span>{' '}
          <span class="muted small">from the check-in after the low score</span>
        </p>
      )}
      <div class="reply-tools">
        <button type="button" class="button" onClick={() => void draft()} disabled={busy !== null}>
          {busy === 'draft' ? 'Drafting…' : 'Draft reply'}
        </button>
        <select aria-label="Reply language" value={lang} onChange={(e) => setLang(e.currentTarget.value as ReplyLang | '')}>
          {LANGS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </div>
      {source && <p class="muted small">{source}</p>}
      <textarea aria-label="Reply" rows={9} value={text} placeholder="Write a reply, or draft one…" onInput={(e) => setText(e.currentTarget.value)} />
      {email ? (
        <label class="check">
          <input type="checkbox" checked={emailToo} onChange={(e) => setEmailToo(e.currentTarget.checked)} /> Also e-mail it to {email}
        </label>
      ) : (
        reach && <p class="muted small">No e-mail address known: the reply shows in the chat widget, live or on their next visit.</p>
      )}
      <div class="reply-tools">
        <button type="button" class="button primary" onClick={() => void send()} disabled={busy !== null || !text.trim()}>
          {busy === 'send' ? 'Sending…' : 'Send reply'}
        </button>
      </div>
      <ErrorBanner error={action.error} />
      {reach && reach.replies.length > 0 && (
        <>
          <h3>Sent replies</h3>
          <ul class="reach-list">
            {reach.replies.map((r) => (
              <li key={r.id}>
                <span class="muted small">
                  {formatDateTime(r.createdAt)} · {r.authorName} ·{' '}
                </span>
                <span class={`badge ${r.read ? 'ok' : ''}`}>{!r.delivered ? 'Queued' : r.read ? 'Seen by the visitor' : 'Not seen yet'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {reach && reach.emails.length > 0 && (
        <>
          <h3>E-mails</h3>
          <ul class="reach-list">
            {reach.emails.map((e) => (
              <li key={e.id}>
                <span class={`badge ${EMAIL_STATUS[e.status].tone}`}>{EMAIL_STATUS[e.status].label}</span> <span class="small">{e.subject}</span>{' '}
                <span class="muted small">to {e.to}</span>
                {e.lastError && e.status !== 'sent' && <div class="muted small">{e.lastError}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
