import type { Translate } from '../../i18n/translator.ts';

function formatBack(at: number, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(at);
  } catch {
    return new Date(at).toLocaleString();
  }
}

/** Outside business hours, said where a person would otherwise be offered. */
export function AwayNotice({ backAt, lang, t }: { backAt: number | null; lang: string; t: Translate }) {
  return <p class="pl-away">{backAt ? t('awayUntil', { time: formatBack(backAt, lang) }) : t('away')}</p>;
}
