import { useState } from 'preact/hooks';
import type { ConversationSummary, FollowUpStatus, Note } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { formatDateTime } from '../ui/format.ts';

interface Props {
  conversation: ConversationSummary;
  notes: Note[];
  onConversation: (c: ConversationSummary) => void;
}

/** The team's own work on a conversation: notes, tags and the follow-up state. */
export function ReviewPanel(props: Props) {
  const { api } = useApp();
  const { conversation, onConversation } = props;
  const conversationId = conversation.id;
  const [notes, setNotes] = useState(props.notes);
  const [tags, setTags] = useState(conversation.tags);
  const status = conversation.followUpStatus;
  const assignee = conversation.followUpAssignee;
  const [draft, setDraft] = useState('');
  const [tagDraft, setTagDraft] = useState('');
  const { error, run } = useAction();

  const saveTags = (next: string[]) =>
    run(async () => {
      const res = await api.setTags(conversationId, next);
      setTags(res.tags);
    });

  const saveFollowUp = (next: FollowUpStatus) =>
    run(async () => {
      // 'assigned' without an assignee means the caller
      const res = await api.setFollowUp(conversationId, next, next === 'assigned' ? undefined : (assignee?.id ?? null));
      onConversation(res.conversation);
    });

  return (
    <section class="card panel" aria-labelledby="review-title">
      <h2 id="review-title">Follow-up and notes</h2>
      <ErrorBanner error={error} />

      <div class="follow-up-state">
        <span>
          Follow-up:{' '}
          <strong>
            {status === 'none' ? (conversation.followUpNeeded ? 'needed' : 'not needed') : status}
          </strong>
          {assignee && <span class="muted"> · {assignee.name}</span>}
        </span>
        <div class="button-row">
          {status !== 'assigned' && status !== 'done' && (
            <button type="button" class="button" onClick={() => saveFollowUp('assigned')}>
              Assign to me
            </button>
          )}
          {status !== 'done' && (conversation.followUpNeeded || status !== 'none') && (
            <button type="button" class="button" onClick={() => saveFollowUp('done')}>
              Mark done
            </button>
          )}
          {status === 'done' && (
            <button type="button" class="button" onClick={() => saveFollowUp('open')}>
              Reopen
            </button>
          )}
        </div>
      </div>

      <h3>Tags</h3>
      <div class="tags">
        {tags.map((t) => (
          <span key={t} class="chip">
            {t}
            <button type="button" class="chip-remove" aria-label={`Remove tag ${t}`} onClick={() => saveTags(tags.filter((x) => x !== t))}>
              ×
            </button>
          </span>
        ))}
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const t = tagDraft.trim();
            if (t && !tags.includes(t)) void saveTags([...tags, t]);
            setTagDraft('');
          }}
        >
          <input aria-label="New tag" placeholder="Add tag" value={tagDraft} onInput={(e) => setTagDraft(e.currentTarget.value)} />
        </form>
      </div>

      <h3>Notes</h3>
      <ul class="notes">
        {notes.map((n) => (
          <li key={n.id}>
            <p>{n.text}</p>
            <span class="muted small">
              {n.authorName} · {formatDateTime(n.createdAt)}
            </span>
          </li>
        ))}
      </ul>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          const text = draft.trim();
          if (!text) return;
          void run(async () => {
            const res = await api.addNote(conversationId, text);
            setNotes((prev) => [...prev, res.note]);
            setDraft('');
          });
        }}
      >
        <textarea aria-label="Note" rows={2} placeholder="Add a note for the team…" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" class="button">
          Add note
        </button>
      </form>
    </section>
  );
}
