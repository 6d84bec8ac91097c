import { en, type StringKey } from '../../../shared/widget-i18n/strings-en.ts';
import { WIDGET_LANGS } from '../../../shared/widget-i18n/langs.ts';
import { fill, pickLang } from './pick-lang.ts';

/** A language's table as it arrives from the server: any key may be missing. */
export type StringTable = Partial<Record<StringKey, string>>;

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/**
 * A translator for `lang`: the site's overrides for that language first, then the language's
 * table, then English (so a partial table never shows a raw key).
 */
export function createTranslator(
  lang: string,
  table: StringTable = {},
  overrides: Record<string, Record<string, string>> = {},
): Translate {
  // own properties only: the tables are plain objects and keys come from data (hasOwnProperty: old Safari lacks Object.hasOwn)
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const own = has(overrides, lang) ? (overrides[lang] ?? {}) : {};
  return (key, vars) => fill((has(own, key) ? own[key] : undefined) ?? (has(table, key) ? table[key] : undefined) ?? en[key], vars);
}

export function choosePanelLang(dataLang: string | undefined, siteLocale: string | undefined): string {
  const nav = typeof navigator === 'undefined' ? undefined : navigator.language;
  return pickLang([dataLang, nav, siteLocale], WIDGET_LANGS);
}
