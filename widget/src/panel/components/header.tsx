import type { Translate } from '../../i18n/translator.ts';

export function Header({ title, t, onClose }: { title: string; t: Translate; onClose: () => void }) {
  return (
    <header class="pl-header">
      <h2 class="pl-title">{title}</h2>
      <button type="button" class="pl-close" aria-label={t('closeLabel')} onClick={onClose}>
        <span aria-hidden="true">×</span>
      </button>
    </header>
  );
}
