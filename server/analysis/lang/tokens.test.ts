import { describe, expect, it } from 'vitest';
import { glossToEnglish } from './gloss.ts';
import { splitSentences, stem, tokenize, words } from './tokens.ts';

describe('tokens', () => {
  it('stems in the text language and splits French elisions', () => {
    expect(stem('lieferung', 'de')).toBe(stem('lieferungen', 'de'));
    expect(stem('remboursée', 'fr')).toBe(stem('remboursement', 'fr'));
    expect(tokenize("Ce n'est pas bon", 'fr').filter((t) => t.kind === 'word').map((t) => t.lower)).toEqual(['ce', 'n', 'est', 'pas', 'bon']);
    expect(tokenize("I haven't got it", 'en').map((t) => t.lower)).toContain("haven't");
    expect(tokenize('I need it NOW', 'en').at(-1)).toMatchObject({ caps: true });
  });

  it('matches whole words only, also around umlauts and accents', () => {
    const re = words('sue', 'fire', 'rückruf');
    expect(re.test('I will sue')).toBe(true);
    expect(re.test('pursue the matter, a surefire hit, firewall')).toBe(false);
    expect(re.test('Bitte um Rückruf.')).toBe(true);
    expect(re.test('Rückrufnummer')).toBe(false);
  });

  it('splits sentences but keeps dates, numbers and abbreviations whole', () => {
    expect(splitSentences('Meine Bestellung vom 12.03. ist nicht da. Bitte helfen Sie.')).toEqual(['Meine Bestellung vom 12.03. ist nicht da.', 'Bitte helfen Sie.']);
    expect(splitSentences('Am 2. Mai bestellt. Nr. 5 fehlt')).toEqual(['Am 2. Mai bestellt.', 'Nr. 5 fehlt']);
    expect(splitSentences('still nothing. can someone call me back?')).toEqual(['still nothing.', 'can someone call me back?']);
    expect(splitSentences('Gave it a 4 out of 10. Prices keep going up.')).toHaveLength(2);
  });
});

describe('English gloss of customer-service words', () => {
  it('glosses German, French and Spanish words and phrases; leaves English alone', () => {
    expect(glossToEnglish('Ich möchte mein Geld zurück, die Naht ist aufgegangen.', 'de')).toBe('refund stitching came loose');
    expect(glossToEnglish('Le service client a été réactif', 'fr')).toBe('customer service quick');
    expect(glossToEnglish('¿Cuánto cuesta el envío?', 'es')).toBe('costs shipping');
    expect(glossToEnglish('where is my parcel', 'en')).toBe('where is my parcel');
    expect(glossToEnglish('constructor __proto__ hasOwnProperty', 'de')).toBe('');
  });
});

describe('run-on strings (a pasted hash, a key held down)', () => {
  it('are left unstemmed, so a 10,000-character item cannot stall the analysis', async () => {
    const runOn = `${'a'.repeat(5000)}eedly`;
    expect(stem(runOn, 'en')).toBe(runOn);
    expect(stem('deeply', 'en')).not.toBe('deeply');
    const { wordTokens } = await import('../nlp.ts');
    expect(wordTokens(`fine ${runOn}`).map((t) => t.stem)).toEqual(['fine', runOn]);
  });
});
