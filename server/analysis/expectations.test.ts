import { describe, expect, it } from 'vitest';
import { findExpectations } from './expectations.ts';
import { splitSentences, type Lang } from './lang/tokens.ts';
import { scoreSentiment } from './sentiment.ts';

const read = (text: string, lang: Lang) => findExpectations(splitSentences(text), lang, (s) => scoreSentiment(s, lang));
const first = (text: string, lang: Lang) => {
  const e = read(text, lang)[0];
  return e ? { kind: e.kind, status: e.status } : null;
};

describe('expectations from expectation language', () => {
  const cases: [Lang, string, { kind: string; status: string }][] = [
    ['en', 'I was told the parcel would arrive by Friday. It still has not come.', { kind: 'delivery', status: 'unmet' }],
    ['en', 'You promised a refund within a week. Nothing yet.', { kind: 'refund', status: 'unmet' }],
    ['en', 'It was supposed to ship on Monday, instead it shipped on Thursday.', { kind: 'delivery', status: 'unmet' }],
    ['en', 'I hoped the coupon would work on sale items, and it did!', { kind: 'price', status: 'met' }],
    ['en', 'Arrived on Tuesday, exactly as promised.', { kind: 'delivery', status: 'met' }],
    ['de', 'Mir wurde versprochen, dass das Paket bis Freitag da ist. Es ist immer noch nicht angekommen.', { kind: 'delivery', status: 'unmet' }],
    ['de', 'Ich hatte erwartet, dass der Gutschein gilt, aber er wurde nicht angewendet.', { kind: 'price', status: 'unmet' }],
    ['de', 'Die Lieferung sollte am Montag kommen und kam tatsächlich am Montag.', { kind: 'delivery', status: 'met' }],
    ['fr', "Je m'attendais à être remboursée sous 14 jours. Toujours rien.", { kind: 'refund', status: 'unmet' }],
    ['fr', "On m'avait promis une livraison sous 48h, le colis n'est toujours pas arrivé.", { kind: 'delivery', status: 'unmet' }],
    ['fr', 'Le colis devait arriver vendredi et il est bien arrivé vendredi.', { kind: 'delivery', status: 'met' }],
    ['es', 'Esperaba el reembolso en una semana. Ya van tres y nada.', { kind: 'refund', status: 'unmet' }],
    ['es', 'Me dijeron que el pedido llegaría en 3 días y todavía no ha llegado.', { kind: 'delivery', status: 'unmet' }],
    ['es', 'El pedido debía llegar el lunes y llegó el lunes.', { kind: 'delivery', status: 'met' }],
    ['es', 'Debería haber recibido una respuesta hace días.', { kind: 'response_time', status: 'unmet' }],
  ];
  for (const [lang, text, want] of cases) it(`${lang}: "${text}"`, () => expect(first(text, lang)).toEqual(want));

  it('a present-tense demand stays unknown without evidence', () => {
    expect(first('Ich erwarte sofort eine Antwort.', 'de')).toEqual({ kind: 'response_time', status: 'unknown' });
  });

  it('topic words alone are no expectation ("cheap" is not a met price)', () => {
    for (const [lang, text] of [
      ['en', 'Cheap and cheerful, delivery was quick.'],
      ['de', 'Günstig und schnell geliefert.'],
      ['fr', 'Pas cher et livraison rapide.'],
      ['es', 'Barato y el envío fue rápido.'],
    ] as [Lang, string][]) {
      expect(read(text, lang), text).toEqual([]);
    }
  });
});
