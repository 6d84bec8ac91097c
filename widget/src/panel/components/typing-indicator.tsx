import type { Translate } from '../../i18n/translator.ts';

export function TypingIndicator({ name, t }: { name: string | null; t: Translate }) {
  return (
    <div class="pl-typing">
      <span class="pl-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <span>{name ? t('personTyping', { name }) : t('typing')}</span>
    </div>
  );
}
