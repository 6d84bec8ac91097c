import { useEffect, useRef } from 'preact/hooks';
import type { Message } from '../api/types.ts';
import { SentimentDot } from '../ui/badges.tsx';
import { formatTime } from '../ui/format.ts';

interface Props {
  messages: Message[];
  /** per visitor message sentiment from the extraction, by message id */
  sentiment: Map<number, number>;
  typing?: string | null;
  /** keep the newest message in view (a live chat); an ended one opens at the top */
  follow: boolean;
}

const AUTHOR_LABEL = { visitor: 'Visitor', bot: 'Bot', agent: 'Agent', system: 'System' } as const;

/** The transcript as the visitor saw it. Every text is rendered as text, never as HTML. */
export function MessageList({ messages, sentiment, typing, follow }: Props) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    // only the transcript box scrolls, never the page around it
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [messages.length, typing, follow]);

  return (
    // focusable because it scrolls on its own: keyboard users scroll it with the arrow keys
    <ol class="transcript" aria-label="Transcript" ref={list} tabIndex={0}>
      {messages.map((m) => {
        if (m.author === 'system') {
          return (
            <li key={m.id} class="msg system">
              <span>{m.text}</span>
            </li>
          );
        }
        const score = sentiment.get(m.id);
        const name = m.author === 'agent' ? (m.authorName ?? 'Agent') : AUTHOR_LABEL[m.author];
        return (
          <li key={m.id} class={`msg ${m.author}`} aria-label={`${name} at ${formatTime(m.createdAt)}`}>
            <div class="msg-meta">
              <span class="msg-author">{name}</span>
              {m.author === 'agent' && <span class="badge human">Person</span>}
              <time dateTime={new Date(m.createdAt).toISOString()}>{formatTime(m.createdAt)}</time>
              {score !== undefined && <SentimentDot score={score} />}
            </div>
            <div class="bubble">{m.text}</div>
            {m.reply && m.reply.options.length > 0 && (
              <div class="quick-replies" role="group" aria-label="Offered replies">
                {m.reply.options.map((o) => (
                  <span key={o.value} class="chip ghost">
                    {o.label}
                  </span>
                ))}
              </div>
            )}
          </li>
        );
      })}
      {typing && (
        <li class="msg typing" aria-live="polite">
          {typing} is typing…
        </li>
      )}
    </ol>
  );
}
