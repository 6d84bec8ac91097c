import type { Ref } from 'preact';
import type { Translate } from '../../i18n/translator.ts';

export function EndedFooter({ t, onRestart, buttonRef }: { t: Translate; onRestart: () => void; buttonRef: Ref<HTMLButtonElement> }) {
  return (
    <div class="pl-ended">
      <p>{t('ended')}</p>
      <button type="button" class="pl-primary" ref={buttonRef} onClick={onRestart}>
        {t('newConversation')}
      </button>
    </div>
  );
}
