/**
 * Every full table by language: the single source the server serves as /widget-i18n/<lang>.json.
 * Only the server imports this; the panel bundles English alone.
 */
import type { WidgetLang } from './langs.ts';
import { en, type Strings } from './strings-en.ts';
import { de } from './strings-de.ts';
import { fr } from './strings-fr.ts';
import { es } from './strings-es.ts';

export const WIDGET_STRING_TABLES: Record<WidgetLang, Strings> = { en, de, fr, es };
