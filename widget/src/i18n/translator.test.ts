import { describe, expect, it } from 'vitest';
import { createTranslator } from './translator.ts';
import { pickLang } from './pick-lang.ts';
import { es } from '../../../shared/widget-i18n/strings-es.ts';

describe('locale tables', () => {
  it('picks data-lang first, then the browser language by its primary subtag, else English', () => {
    expect(pickLang(['fr', 'de-DE'], ['en', 'de', 'fr'])).toBe('fr');
    expect(pickLang([undefined, 'de-AT'], ['en', 'de'])).toBe('de');
    expect(pickLang(['it', 'pt-BR'], ['en', 'de'])).toBe('en');
  });

  it("lets the site's strings for that language override any key", () => {
    const t = createTranslator('es', es, { es: { send: 'Mandar' }, en: { send: 'Go' } });
    expect(t('send')).toBe('Mandar');
    expect(t('messageLabel')).toBe('Mensaje');
    expect(t('charsLeft', { n: 5 })).toBe('Quedan 5 caracteres');
  });

  it('falls back to English for keys a table lacks, never showing a raw key', () => {
    const t = createTranslator('es', { send: 'Enviar' });
    expect(t('send')).toBe('Enviar');
    expect(t('retry')).toBe('Retry');
  });
});
