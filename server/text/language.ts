/**
 * Which of the widget's languages a piece of customer text is in. Short texts ("ok", "9",
 * "super") carry too little to tell; those come back unreliable and callers keep the language
 * they already had (the widget's locale, or the conversation's language so far).
 */
import { eld } from 'eld/small';
import { WIDGET_LANGS, type WidgetLang } from '../../shared/widget-i18n/langs.ts';

eld.setLanguageSubset([...WIDGET_LANGS]);

export interface DetectedLanguage {
  /** null when nothing could be told */
  lang: WidgetLang | null;
  /** enough n-grams and a clear winner */
  reliable: boolean;
}

export function isWidgetLang(value: string): value is WidgetLang {
  return (WIDGET_LANGS as readonly string[]).includes(value);
}

export function detectLanguage(text: string): DetectedLanguage {
  const result = eld.detect(text);
  const lang = isWidgetLang(result.language) ? result.language : null;
  return { lang, reliable: lang !== null && result.isReliable() };
}

/** The language of `text` when it can be told, else `fallback` (e.g. the widget's locale). */
export function languageOf(text: string, fallback: WidgetLang): WidgetLang {
  const { lang, reliable } = detectLanguage(text);
  return reliable && lang ? lang : fallback;
}

/** "de-AT" -> "de"; anything outside the widget's languages -> "en" */
export function widgetLangOf(locale: string | null | undefined): WidgetLang {
  const base = (locale ?? '').slice(0, 2).toLowerCase();
  return isWidgetLang(base) ? base : 'en';
}
