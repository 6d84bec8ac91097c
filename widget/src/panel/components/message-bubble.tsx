import type { Message } from '../../../../shared/message.ts';
import type { Translate } from '../../i18n/translator.ts';

export type Delivery = 'sending' | 'sent' | 'failed' | null;

interface Props {
  author: Message['author'];
  authorName: string | null;
  /** visitor text: always rendered as a text node, never as HTML */
  text: string;
  delivery: Delivery;
  /** why it failed, in words; with `onRetry` a retry button is offered */
  failure?: string;
  onRetry?: () => void;
  draft?: boolean;
  t: Translate;
}

export function MessageBubble({ author, authorName, text, delivery, failure, onRetry, draft, t }: Props) {
  const who = author === 'visitor' ? t('you') : author === 'agent' ? authorName || t('bot') : author === 'bot' ? t('bot') : null;
  return (
    <div class={`pl-msg pl-${author}${draft ? ' pl-draft' : ''}`} aria-busy={draft ? 'true' : undefined}>
      {who && <span class={author === 'agent' ? 'pl-author' : 'pl-author pl-sr'}>{who}</span>}
      <p class="pl-text">{text}</p>
      {delivery && (
        <span class={`pl-delivery pl-${delivery}`}>
          {delivery === 'sending' ? t('sending') : delivery === 'sent' ? t('sent') : failure ? `${t('failed')} — ${failure}` : t('failed')}
          {onRetry && (
            <button type="button" class="pl-retry" onClick={onRetry}>
              {t('retry')}
            </button>
          )}
        </span>
      )}
    </div>
  );
}
