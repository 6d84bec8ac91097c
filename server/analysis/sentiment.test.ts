import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from './lang/tokens.ts';
import { scoreSentiment } from './sentiment.ts';

const DATA = resolve(import.meta.dirname, '../../bench/data');
const label = (text: string, lang: Lang = 'en') => scoreSentiment(text, lang).label;

describe('offline sentiment (English)', () => {
  it('reads negation and contrast', () => {
    expect(label('The food was good.')).toBe('positive');
    expect(label('The food was not good at all.')).toBe('negative');
    expect(label('Great location but terrible service.')).toBe('negative');
    expect(label('The price is high but the quality is excellent.')).toBe('positive');
    expect(label('Great quality, however it arrived scratched and dented.')).toBe('negative');
  });

  it('calls text without any opinion neutral rather than guessing', () => {
    expect(scoreSentiment('hello')).toEqual({ label: 'neutral', score: 0 });
    expect(scoreSentiment('7')).toEqual({ label: 'neutral', score: 0 });
  });

  it('calls plain support requests neutral, not negative', () => {
    for (const t of ['My order #1234', 'Where is my parcel?', 'Do you ship to Canada?', 'What are your opening hours?', "What's your return policy for sale items?"]) {
      expect(label(t), t).toBe('neutral');
    }
  });

  it('does not read plain praise about ordering again as negative', () => {
    for (const t of ['Will definitely be ordering again!', 'I ordered 2 more already', 'Ordering again next month for sure.']) expect(label(t), t).toBe('positive');
  });

  it('does not call sarcasm or mixed reviews positive', () => {
    expect(label('Oh great, my parcel is lost again. Fantastic job, really.')).toBe('negative');
    expect(label('Wow. Waited 50 minutes on hold just to be disconnected. Amazing service, truly.')).toBe('negative');
    expect(label('Lovely colour but it ripped the second time I wore it.')).toBe('negative');
  });

  it('catches complaints that carry no opinion words', () => {
    expect(label('We waited 40 minutes and the order was wrong.')).toBe('negative');
  });

  it('intensity: boosters, capitals and exclamation marks make a score stronger', () => {
    expect(scoreSentiment('The staff were very helpful!!').score).toBeGreaterThan(scoreSentiment('The staff were helpful.').score);
  });

  it('keeps scores in [-1, 1] and finite, also for words that are Object.prototype names', () => {
    for (const t of ['BEST. SHOP. EVER!!! Absolutely amazing, wonderful, perfect!', 'Horrible, disgusting, the worst scam ever, I hate it', 'constructor', '__proto__ hasOwnProperty toString valueOf']) {
      const { score } = scoreSentiment(t);
      expect(Number.isFinite(score), t).toBe(true);
      expect(Math.abs(score)).toBeLessThanOrEqual(1);
    }
  });

  it('is at least 0.86 accurate on the Yelp sentences it was not trained on', () => {
    const lines = readFileSync(resolve(DATA, 'yelp_labelled.txt'), 'utf8').trim().split('\n');
    let correct = 0;
    for (const line of lines) {
      const tab = line.lastIndexOf('\t');
      const positive = scoreSentiment(line.slice(0, tab)).score > 0;
      if (positive === (line.slice(tab + 1).trim() === '1')) correct++;
    }
    expect(correct / lines.length).toBeGreaterThanOrEqual(0.86);
  });
});

describe('offline sentiment (German, French, Spanish)', () => {
  const cases: [Lang, string, 'positive' | 'neutral' | 'negative'][] = [
    // plain praise and complaints
    ['de', 'Der Versand war super schnell und die Beratung sehr freundlich.', 'positive'],
    ['de', 'Die Ware kam beschädigt an, ich bin total enttäuscht.', 'negative'],
    ['fr', 'Livraison rapide et vendeur très aimable, parfait.', 'positive'],
    ['fr', 'Produit abîmé et service client nul.', 'negative'],
    ['es', 'Envío rápido y todo perfecto, muy contenta.', 'positive'],
    ['es', 'Llegó roto y nadie me ayuda, fatal.', 'negative'],
    // neutral questions
    ['de', 'Wann wird meine Bestellung verschickt?', 'neutral'],
    ['fr', 'Quels sont vos délais de livraison ?', 'neutral'],
    ['es', '¿Hacen envíos a Portugal?', 'neutral'],
    // negation scope
    ['de', 'Das Essen war nicht gut.', 'negative'],
    ['fr', "Ce n'est pas bon du tout.", 'negative'],
    ['es', 'La calidad no es buena.', 'negative'],
    // contrast: the later clause weighs more
    ['de', 'Die Farbe ist schön, aber der Stoff ist nach einer Woche gerissen.', 'negative'],
    ['fr', 'Le produit est joli mais il est arrivé cassé.', 'negative'],
    ['es', 'Es bonito pero llegó roto.', 'negative'],
    ['es', 'El envío fue lento, pero la calidad es excelente.', 'positive'],
    // sarcasm
    ['de', 'Na toll, schon wieder die falsche Größe. Vielen Dank auch.', 'negative'],
    ['fr', 'Génial, encore un colis perdu. Bravo.', 'negative'],
    ['es', 'Genial, otra vez la talla equivocada. Gracias, de verdad.', 'negative'],
    // ordering again is praise
    ['de', 'Ich bestelle bestimmt wieder bei euch!', 'positive'],
    ['es', '¡Volveré a comprar seguro!', 'positive'],
  ];
  for (const [lang, text, want] of cases) it(`${lang}: "${text}" is ${want}`, () => expect(label(text, lang)).toBe(want));

  it('German words that are also English words keep their German meaning', () => {
    // "Gift" (poison), "Bad" (bathroom), "hell" (bright), "fast" (almost), "also" (so), "die" (the)
    expect(label('Das neue Bad ist hell und die Lieferung war fast pünktlich, also alles gut.', 'de')).toBe('positive');
    expect(label('Das Gift ist angekommen.', 'de')).toBe('neutral');
    // read as English, the same words would be negative
    expect(label('bad hell die', 'en')).toBe('negative');
  });

  it('intensity: "sehr"/"très"/"muy" and exclamation marks strengthen', () => {
    expect(scoreSentiment('Sehr gut!!', 'de').score).toBeGreaterThan(scoreSentiment('Gut.', 'de').score);
    expect(scoreSentiment('Très bien !', 'fr').score).toBeGreaterThan(scoreSentiment('Bien.', 'fr').score);
    expect(scoreSentiment('Muy bueno', 'es').score).toBeGreaterThan(scoreSentiment('Bueno', 'es').score);
  });
});

describe('negation scope', () => {
  it('ends at punctuation and contrast words, and "plus" (more) is no negator in French', () => {
    expect(label('Not the cheapest, but really good quality.')).toBe('positive');
    expect(label('Nicht billig, aber die Qualität ist super.', 'de')).toBe('positive');
    expect(label('Encore plus rapide que la dernière fois, parfait.', 'fr')).toBe('positive');
    expect(label('Ça ne marche plus.', 'fr')).toBe('negative');
    expect(label('No es barato, pero la calidad es excelente.', 'es')).toBe('positive');
  });
});
