import { useEffect, useRef, useState } from 'preact/hooks';
import type { CannedResponse, ConversationSummary, ConversationView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorBanner } from '../ui/error-banner.tsx';
import { useAction } from '../ui/use-action.ts';
import { fillCanned, type CannedContext } from './canned.ts';

interface Props {
  conversation: Pick<ConversationSummary, 'id' | 'status' | 'mode' | 'agentName'>;
  canned: CannedResponse[];
  cannedContext: CannedContext;
  onConversation: (c: ConversationView) => void;
}

const TYPING_IDLE_MS = 3000;

/** Take over a live chat from the bot, answer as a person, hand it back. */
export function LiveControls({ conversation, canned, cannedContext, onConversation }: Props) {
  const { live, user } = useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const action = useAction();
  const { error } = action;

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    try {
      await action.run(fn);
    } finally {
      setBusy(false);
    }
  }

  // "typing" once when the agent starts, "stopped" after a pause or on send
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopTyping = () => {
    if (!typingTimer.current) return;
    clearTimeout(typingTimer.current);
    typingTimer.current = null;
    live.typing(conversation.id, false);
  };
  const noteTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    else live.typing(conversation.id, true);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };
  useEffect(() => () => stopTyping(), [conversation.id]);

  if (conversation.status === 'ended') return null;

  const takenOver = conversation.mode === 'human';
  // only the person who took over may write; others see who is answering
  const someoneElse = takenOver && !!conversation.agentName && conversation.agentName !== user?.name;
  const takeOver = () =>
    run(async () => {
      onConversation(await live.takeOver(conversation.id));
    });
  const handBack = () =>
    run(async () => {
      onConversation(await live.handBack(conversation.id));
    });
  const send = (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    // "/shortcut" expands to the canned response first, so the agent sees what goes out
    const shortcut = /^\/([a-z0-9_-]+)$/i.exec(body);
    const expanded = shortcut && canned.find((c) => c.shortcut.toLowerCase() === shortcut[1]?.toLowerCase());
    if (expanded) return setText(fillCanned(expanded.text, cannedContext));
    stopTyping();
    void run(async () => {
      await live.send(conversation.id, body);
      setText('');
    });
  };

  return (
    <section class={`live-controls ${takenOver ? 'taken-over' : ''}`} aria-label="Live chat">
      <div class="live-bar">
        <span class="live-status">
          <span class="pulse" aria-hidden="true" />
          {!takenOver
            ? 'Live — the bot is answering.'
            : someoneElse
              ? `${conversation.agentName} is answering; the bot is paused.`
              : 'You are answering; the bot is paused.'}
        </span>
        {takenOver ? (
          <button type="button" class="button" disabled={busy} onClick={handBack}>
            Hand back to bot
          </button>
        ) : (
          <button type="button" class="button primary" disabled={busy} onClick={takeOver}>
            Take over
          </button>
        )}
      </div>
      <ErrorBanner error={error} />
      {takenOver && !someoneElse && (
        <form class="composer" onSubmit={send}>
          {canned.length > 0 && (
            <label class="field compact canned">
              <span>Canned response</span>
              <select
                value=""
                onChange={(e) => {
                  const picked = canned.find((c) => String(c.id) === e.currentTarget.value);
                  if (picked) setText(fillCanned(picked.text, cannedContext));
                }}
              >
                <option value="">Insert…</option>
                {canned.map((c) => (
                  <option key={c.id} value={c.id}>
                    /{c.shortcut} — {c.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div class="composer-row">
            <textarea
              aria-label="Message to the visitor"
              rows={2}
              placeholder="Write to the visitor…"
              value={text}
              onInput={(e) => {
                setText(e.currentTarget.value);
                noteTyping();
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) send(e);
              }}
            />
            <button type="submit" class="button primary" disabled={busy || !text.trim()}>
              Send
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
