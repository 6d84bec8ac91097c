import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../../i18n/translator.ts';
import type { PanelState, OutboxEntry, Notice } from '../state/types.ts';
import { MessageBubble } from './message-bubble.tsx';
import { TypingIndicator } from './typing-indicator.tsx';

interface Props {
  state: PanelState;
  t: Translate;
  onRetry: () => void;
  /** the panel is shown: a transcript loaded while hidden (a reply that came while away) scrolls to its end on open */
  open?: boolean;
}

function failureText(entry: OutboxEntry, t: Translate): string | undefined {
  if (entry.error === 'message_too_long') return t('tooLong');
  if (entry.error === 'rate_limited') return t('rateLimited');
  return undefined;
}

function NoticeLine({ notice, t }: { notice: Notice; t: Translate }) {
  return <p class="pl-notice">{t(notice.kind, { name: notice.name })}</p>;
}

/** The transcript: server messages, then what is still on its way, drafts being streamed, typing. */
export function MessageList({ state, t, onRetry, open }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const { messages, outbox, drafts, typing, notices, conversation } = state;
  const sentIds = new Set(messages.map((m) => m.clientId).filter(Boolean));
  const pending = outbox.filter((e) => !sentIds.has(e.clientId));
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const firstFailed = pending.find((e) => e.status === 'failed' && !e.final);
  const typingName = typing.agent ? conversation?.agentName || null : null;

  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length, drafts, typing.bot, typing.agent, open]);

  return (
    <div class="pl-log" role="log" aria-live="polite" aria-label={t('messagesLabel')} ref={ref} tabIndex={0}>
      {notices.filter((n) => n.afterSeq === 0).map((n) => <NoticeLine key={`n${n.id}`} notice={n} t={t} />)}
      {messages.map((m) => [
        <MessageBubble
          key={m.id}
          author={m.author}
          authorName={m.authorName}
          text={m.text}
          delivery={m.author === 'visitor' ? 'sent' : null}
          t={t}
        />,
        ...notices
          .filter((n) => n.afterSeq === m.seq || (m.seq === lastSeq && n.afterSeq > lastSeq))
          .map((n) => <NoticeLine key={`n${n.id}`} notice={n} t={t} />),
      ])}
      {pending.map((e) => (
        <MessageBubble
          key={e.clientId}
          author="visitor"
          authorName={null}
          text={e.text}
          delivery={e.status}
          failure={failureText(e, t)}
          onRetry={e === firstFailed ? onRetry : undefined}
          t={t}
        />
      ))}
      {drafts.map((d) => (
        <MessageBubble key={d.draftId} author="bot" authorName={null} text={d.text} delivery={null} draft t={t} />
      ))}
      {(typing.bot || typing.agent) && !drafts.length && <TypingIndicator name={typingName} t={t} />}
    </div>
  );
}
