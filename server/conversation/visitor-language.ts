/**
 * The language the bot should answer in: the visitor's current message when it can be told,
 * else their recent messages, else the widget's locale. Short replies ("ok", "9") keep the
 * language the conversation already has.
 */
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import { detectLanguage, languageOf, widgetLangOf } from '../text/language.ts';
import type { TurnInput } from './engine-types.ts';

export async function visitorLang(input: Pick<TurnInput, 'history' | 'locale'>, text: string): Promise<WidgetLang> {
  const fallback = widgetLangOf(input.locale);
  // the current message decides when it can be told: the recent ones are read only when it cannot
  if (text.trim()) {
    const { lang, reliable } = detectLanguage(text);
    if (reliable && lang) return lang;
  }
  const recent = (await input.history())
    .filter((m) => m.author === 'visitor')
    .slice(-4)
    .map((m) => m.text)
    .join('\n');
  return recent.trim() ? languageOf(recent, fallback) : fallback;
}
