import { describe, expect, it } from 'vitest';
import { createOfflineExtractor } from './offline-extractor.ts';
import { findFacts } from './summary.ts';
import { inputOf } from './test-fixtures.ts';
import type { Author } from '../../shared/message.ts';

const extractor = createOfflineExtractor(() => 0);
const summaryOf = async (...visitor: string[]) => {
  const lines: [Author, string][] = [['bot', 'Hi!'], ...visitor.map((t) => ['visitor', t] as [Author, string])];
  const e = await extractor.extract({ ...inputOf({ answers: [], lines }), locale: null });
  return e;
};
const sentencesIn = (s: string) => s.replace(/\s*\([^)]*\)$/, '').split(/(?<=[.!?])\s+(?=[\p{Lu}¿¡])/u);

describe('summary', () => {
  it('says what happened and what the customer wants, in two sentences, with the facts', async () => {
    const e = await summaryOf('Hello, my order 58213 from 4 March still has not arrived and the tracking is stuck.', 'Thanks.', 'Please call me back, I need it for a wedding on Saturday.');
    expect(sentencesIn(e.summary)).toHaveLength(2);
    expect(e.summary).toContain('58213');
    expect(e.summary).toMatch(/call me back/);
    expect(e.summaryLanguage).toBe('en');
    // not a fill-in template about labels
    expect(e.summary).not.toMatch(/The visitor was (positive|negative|neutral)/);
  });

  it('is written in the conversation language', async () => {
    const de = await summaryOf('Meine Bestellung 4471 vom 3. Mai ist immer noch nicht angekommen.', 'Ich möchte mein Geld zurück, bitte melden Sie sich.');
    expect(de.summaryLanguage).toBe('de');
    expect(de.summary).toMatch(/Bestellung 4471/);
    expect(de.summary).toMatch(/Geld zurück/);
    const fr = await summaryOf("Le colis est arrivé cassé, c'est la deuxième fois.", 'Je voudrais un remboursement de 59,90 €.');
    expect(fr.summaryLanguage).toBe('fr');
    expect(fr.summary).toMatch(/remboursement/);
    const es = await summaryOf('Pedí unas zapatillas el 2 de abril y todavía no han llegado. Quiero cancelar el pedido 99812.');
    expect(es.summary).toMatch(/cancelar/);
  });

  it('adds facts the chosen sentences leave out, labelled in the conversation language', async () => {
    const e = await summaryOf('Ich habe 89,90 € bezahlt.', 'Die Jacke ist nach zwei Tagen gerissen und das ist wirklich ärgerlich.', 'Ich möchte eine Rückerstattung.');
    expect(e.summary).toMatch(/89,90 €/);
  });

  it('finds order numbers, dates and amounts', () => {
    expect(findFacts('order #558231 on the 3rd, paid $12.99; Bestellnummer 4839201 vom 12.03.; 5 mars; 2 de abril; 89,90 €')).toEqual({
      orders: ['558231', '4839201'],
      dates: ['the 3rd', '12.03.', '5 mars', '2 de abril'],
      amounts: ['$12.99', '89,90 €'],
    });
  });
});
