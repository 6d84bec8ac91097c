import { en, type StringKey, type Strings } from './strings-en.ts';
import { de } from './strings-de.ts';
import { fr } from './strings-fr.ts';
import { es } from './strings-es.ts';
import { fill, pickLang } from './pick-lang.ts';

const tables: Record<string, Strings> = { en, de, fr, es };
export const panelLangs = Object.keys(tables);

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/**
 * A translator for `lang`: the site's overrides for that language first, then the built-in
 * table, then English (so a partial table never shows a raw key).
 */
export function createTranslator(lang: string, overrides: Record<string, Record<string, string>> = {}): Translate {
  const table = tables[lang] ?? en;
  const own = overrides[lang] ?? {};
  return (key, vars) => fill(own[key] ?? table[key] ?? en[key], vars);
}

export function choosePanelLang(dataLang: string | undefined, siteLocale: string | undefined): string {
  const nav = typeof navigator === 'undefined' ? undefined : navigator.language;
  return pickLang([dataLang, nav, siteLocale], panelLangs);
}
