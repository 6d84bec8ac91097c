import { describe, expect, it } from 'vitest';
import { detectLanguage, languageOf, widgetLangOf } from './language.ts';

describe('language of customer text', () => {
  it.each([
    ['My order came two days late and nobody answered my e-mails', 'en'],
    ['Die Lieferung kam zwei Tage zu spät und niemand hat geantwortet', 'de'],
    ["La commande est arrivée avec deux jours de retard et personne n'a répondu", 'fr'],
    ['El pedido llegó dos días tarde y nadie contestó mis correos', 'es'],
  ] as const)('%s -> %s', (text, lang) => {
    expect(detectLanguage(text)).toEqual({ lang, reliable: true });
  });

  it('keeps the fallback for text too short to tell', () => {
    expect(languageOf('ok', 'de')).toBe('de');
    expect(languageOf('9', 'fr')).toBe('fr');
    expect(languageOf('Das Paket ist leider beschädigt angekommen', 'en')).toBe('de');
  });

  it('maps browser locales onto the widget languages', () => {
    expect(widgetLangOf('de-AT')).toBe('de');
    expect(widgetLangOf('pt-BR')).toBe('en');
    expect(widgetLangOf(null)).toBe('en');
  });
});
