/**
 * The languages the widget speaks. English ships inside the panel; the others are served by the
 * server as /widget-i18n/<lang>.json and fetched on demand, so the panel does not carry them all.
 */
export const WIDGET_LANGS = ['en', 'de', 'fr', 'es'] as const;
export type WidgetLang = (typeof WIDGET_LANGS)[number];
