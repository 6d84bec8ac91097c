import { describe, expect, it } from 'vitest';
import { Question } from '../../shared/flow.ts';
import { readAnswer } from './answer-parsing.ts';
import { readOpinion } from './lexicon.ts';

const q = (raw: unknown) => Question.parse(raw);
const nps = q({ id: 'nps', type: 'nps', prompt: 'How likely...?' });
const csat = q({ id: 'csat', type: 'csat', prompt: 'How satisfied...?' });
const ces = q({ id: 'ces', type: 'ces', prompt: 'How easy...?' });
const stars = q({ id: 'stars', type: 'stars', prompt: 'Rate us', max: 5 });

type Lang = 'en' | 'de' | 'fr' | 'es';
/** what the engine does with a typed answer: store a value, or ask back (unclear or confirm) */
const outcome = (question: Question, text: string, lang: Lang = 'en'): number | 'ask' => {
  const r = readAnswer(question, text, undefined, { lang });
  if (r.kind === 'value' && r.confident && typeof r.value === 'number') return r.value;
  return 'ask';
};
type Case = [Lang, string, number | 'ask'];
const check = (question: Question, cases: Case[]) =>
  it.each(cases)('%s: "%s" -> %s', (lang, text, expected) => {
    expect(outcome(question, text, lang)).toBe(expected);
  });

describe('a number counts only when it is the rating', () => {
  describe('bound to a cue', () =>
    check(nps, [
      ['en', 'a 9, fast shipping', 9],
      ['en', 'I give them 8 out of 10', 8],
      ['en', "I'd say 6", 6],
      ['en', 'rate it 4 tbh the app is slow', 4],
      ['de', 'Ich gebe eine 7', 7],
      ['de', 'sieben von zehn', 7],
      ['fr', 'je donne un 8', 8],
      ['fr', 'six sur dix', 6],
      ['es', 'le pongo un 9', 9],
      ['es', 'siete de diez', 7],
    ]));
  describe('standing alone', () =>
    check(nps, [
      ['en', '8', 8],
      ['en', 'ten!!', 10],
      ['en', 'slow courier. 5', 5],
      ['de', 'neun', 9],
      ['de', '3 – leider', 3],
      ['fr', 'huit', 8],
      ['fr', 'zéro', 0],
      ['es', 'nueve', 9],
      ['es', 'cero', 0],
      ['en', '9️⃣', 9],
    ]));
  describe('counts, units, money, ids, dates and times never', () =>
    check(nps, [
      ['en', "I've bought here 6 times, love it", 'ask'],
      ['en', '3 days for delivery', 'ask'],
      ['en', 'told 4 friends about you', 'ask'],
      ['en', 'paid $8 shipping', 'ask'],
      ['en', '90% happy', 'ask'],
      ['en', 'order #10422 is late', 'ask'],
      ['en', 'arrived on May 3', 'ask'],
      ['en', 'came at 9pm', 'ask'],
      ['en', 'delivered 03/06/2025', 'ask'],
      ['en', 'the 2 lamps are nice', 'ask'],
      ['de', 'schon 7 mal bestellt', 'ask'],
      ['de', 'nach 5 Tagen angekommen', 'ask'],
      ['de', 'am 4. Mai bestellt', 'ask'],
      ['fr', 'commandé 3 fois', 'ask'],
      ['fr', 'livré en 6 jours', 'ask'],
      ['fr', 'payé 9 euros', 'ask'],
      ['es', 'pedí 5 veces', 'ask'],
      ['es', 'tardó 8 días', 'ask'],
      ['es', 'el 2 de marzo', 'ask'],
      ['en', 'ordered 3 times, a 9 from me', 9],
      ['de', 'eine 8, Lieferung dauerte 4 Tage', 8],
      ['fr', 'un 7, 3 jours de retard', 7],
      ['es', 'un 6, tardó 10 días', 6],
    ]));
  describe('ranges ask back', () =>
    check(nps, [
      ['en', '6-7', 'ask'],
      ['en', '8 or 9', 'ask'],
      ['en', 'between 4 and 5', 'ask'],
      ['de', '7 oder 8', 'ask'],
      ['de', 'zwischen 8 und 9', 'ask'],
      ['fr', '5 ou 6', 'ask'],
      ['fr', 'entre 7 et 8', 'ask'],
      ['es', '8 o 9', 'ask'],
      ['es', 'entre 4 y 5', 'ask'],
    ]));
  it('a range offers the two values it hesitates between', () => {
    expect(readAnswer(nps, '7-8')).toEqual({ kind: 'unclear', why: 'range', options: [7, 8] });
  });
  describe('hedges ask back', () =>
    check(nps, [
      ['en', 'maybe 6', 'ask'],
      ['en', 'an 8 I guess', 'ask'],
      ['en', '7ish', 'ask'],
      ['en', '9?', 'ask'],
      ['de', 'vielleicht 8', 'ask'],
      ['de', 'ungefähr eine 6', 'ask'],
      ['fr', 'peut-être 9', 'ask'],
      ['fr', 'environ 7', 'ask'],
      ['es', 'quizás 8', 'ask'],
      ['es', 'más o menos un 6', 'ask'],
    ]));
  it('a hedged number is offered for confirmation rather than dropped', () => {
    expect(readAnswer(nps, 'probably 8')).toEqual({ kind: 'value', value: 8, confident: false, why: 'hedge' });
  });
  describe('compound number words are whole numbers; outside the scale asks back', () =>
    check(nps, [
      ['en', 'sixty five', 'ask'],
      ['en', 'twenty-two', 'ask'],
      ['en', 'eleven', 'ask'],
      ['de', 'fünfundsechzig', 'ask'],
      ['de', 'zwölf', 'ask'],
      ['fr', 'soixante-cinq', 'ask'],
      ['fr', 'quatre-vingt-dix', 'ask'],
      ['es', 'sesenta y cinco', 'ask'],
      ['es', 'once', 'ask'],
      ['en', '15', 'ask'],
    ]));
  it('Spanish "once" is eleven, English "once" is not a number', () => {
    expect(readAnswer(nps, 'once', undefined, { lang: 'es' })).toMatchObject({ kind: 'unclear', why: 'out_of_range' });
    expect(outcome(nps, 'ordered once, a 7', 'en')).toBe(7);
  });
  describe('several different ratings, negated ones and other scales ask back', () =>
    check(nps, [
      ['en', 'was a 9, now a 6', 'ask'],
      ['en', 'not a 10', 'ask'],
      ['en', '4/5', 'ask'],
      ['en', '3 stars', 'ask'],
      ['de', 'keine 10', 'ask'],
      ['fr', 'pas un 10', 'ask'],
      ['es', '4 de 5', 'ask'],
      ['en', '7.5', 'ask'],
    ]));
  describe('CSAT and CES read on their own scales', () => {
    check(csat, [
      ['en', '4 stars', 4],
      ['en', '4/5', 4],
      ['en', '8/10', 'ask'],
      ['en', '6', 'ask'],
      ['de', 'vier Sterne', 4],
      ['fr', '3 étoiles', 3],
      ['es', '5 estrellas', 5],
      ['en', '⭐⭐⭐', 3],
    ]);
    check(ces, [
      ['en', '6 out of 7', 6],
      ['en', '9', 'ask'],
      ['de', '5 von 7', 5],
      ['fr', 'sept', 7],
      ['es', 'siete', 7],
      ['en', 'sept', 'ask'],
    ]);
  });
});

describe('more rules', () => {
  describe('a number after a verb or noun is a count, even at the end', () =>
    check(nps, [
      ['en', 'had to return 1', 'ask'],
      ['en', 'it took 7', 'ask'],
      ['en', '3 out of 4 items arrived', 'ask'],
      ['en', "I'll go with 7", 7],
      ['en', 'yes 9', 9],
      ['de', 'eine 8 von mir', 8],
      ['de', '3 von den Tassen waren kaputt', 'ask'],
      ['fr', 'alors, 6', 6],
      ['es', 'bueno, un 7', 7],
    ]));
  describe('ratings on another scale that disagree, hedging abbreviations and German school grades ask back', () =>
    check(nps, [
      ['en', '2 stars for service, 5 for the product', 'ask'],
      ['en', '7/10, lost one star for packaging', 7],
      ['en', '10/10 and 5 stars', 10],
      ['de', 'ca. 8', 'ask'],
      ['de', 'eine glatte Eins', 'ask'],
      ['de', 'eine glatte 10', 10],
    ]));
  describe('bounds ask back; opinions, "I think" and repeats go with the number', () =>
    check(nps, [
      ['en', 'at least an 8', 'ask'],
      ['en', 'less than 5', 'ask'],
      ['de', 'mindestens 8', 'ask'],
      ['fr', 'au moins 8', 'ask'],
      ['es', 'al menos un 8', 'ask'],
      ['de', 'so 7', 'ask'],
      ['en', 'so, 7', 7],
      ['en', 'meh 5', 5],
      ['en', 'great 9', 9],
      ['en', 'I think 9 but the app logs me out', 9],
      ['fr', 'disons 6', 6],
      ['en', 'ten ten ten', 10],
      ['en', '7 8', 'ask'],
      ['en', '6 or more', 'ask'],
      ['es', 'un 6 o un 7', 'ask'],
      ['de', 'eine 6 oder eine 7', 'ask'],
      ['en', 'a 3 course meal, 9', 9],
      ['en', 'a 10 last time, now 7', 'ask'],
    ]));
  describe('spoken decimals and halves ask back', () =>
    check(nps, [
      ['en', 'eight point five', 'ask'],
      ['en', '9 and a half', 'ask'],
      ['en', '9½', 'ask'],
      ['de', 'acht komma fünf', 'ask'],
      ['fr', 'neuf et demi', 'ask'],
      ['es', 'ocho y medio', 'ask'],
    ]));
  describe('the scale named in the answer is not the answer', () =>
    check(nps, [
      ['en', 'on a 1-10 scale, 7', 7],
      ['en', 'from 0 to 10 I say 8', 8],
      ['de', 'auf einer Skala von 0 bis 10 eine 8', 8],
      ['fr', 'sur une échelle de 0 à 10, 8', 8],
      ['es', 'de 0 a 10, un 8', 8],
    ]));
});

describe("the scale's own end labels", () => {
  describe('NPS', () =>
    check(nps, [
      ['en', 'not at all likely', 0],
      ['en', 'Extremely likely!', 10],
      ['en', 'Very likely', 10],
      ['de', 'überhaupt nicht wahrscheinlich', 0],
      ['de', 'äußerst wahrscheinlich', 10],
      ['fr', 'pas du tout probable', 0],
      ['fr', 'extrêmement probable', 10],
      ['es', 'nada probable', 0],
      ['es', 'extremadamente probable', 10],
      ['en', 'not very likely', 'ask'],
    ]));
  describe('CSAT and CES', () => {
    check(csat, [
      ['en', 'very dissatisfied', 1],
      ['de', 'sehr zufrieden', 5],
      ['fr', 'très insatisfait', 1],
      ['es', 'muy satisfecha', 5],
    ]);
    check(ces, [
      ['en', 'very easy', 7],
      ['de', 'sehr schwierig', 1],
      ['fr', 'très facile', 7],
      ['es', 'muy difícil', 1],
    ]);
  });
  it("reads the flow's own labels", () => {
    const custom = q({ id: 'nps2', type: 'nps', prompt: 'Recommend us?', lowLabel: 'no way', highLabel: 'in a heartbeat' });
    expect(outcome(custom, 'In a heartbeat!')).toBe(10);
    expect(outcome(custom, 'no way')).toBe(0);
  });
});

describe('opinion words are only offered for confirmation', () => {
  it.each([
    [nps, 'terrible'],
    [csat, 'very good'],
    [csat, 'awful, just awful'],
    [ces, 'effortless'],
    [stars, 'amazing'],
  ])('%#: "%s"', (question, text) => {
    expect(readAnswer(question, text)).toMatchObject({ kind: 'value', confident: false });
  });
  it('says unclear when there is nothing to read', () => {
    expect(readAnswer(nps, 'what do you mean?').kind).toBe('unclear');
    expect(readAnswer(csat, '42').kind).toBe('unclear');
  });
  it('stars questions count star emoji and "N stars"', () => {
    expect(outcome(stars, '★★★★')).toBe(4);
    expect(outcome(stars, 'one star')).toBe(1);
  });
});

describe('words that are names of Object.prototype properties (issue 12)', () => {
  const all = [nps, csat, ces, stars];
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'constructor constructor 9'])('"%s" never reads as NaN', (text) => {
    for (const question of all) {
      for (const lang of ['en', 'de', 'fr', 'es'] as const) {
        const r = readAnswer(question, text, undefined, { lang });
        if (r.kind === 'value') expect(Number.isFinite(r.value)).toBe(true);
      }
    }
    expect(readOpinion(text)?.value ?? 0).not.toBeNaN();
  });
  it('reads the number beside such a word', () => {
    expect(outcome(nps, 'constructor, 9')).toBe(9);
    expect(readAnswer(nps, 'constructor').kind).toBe('unclear');
  });
});

describe('skip, stop and clicks', () => {
  it.each(['skip', 'Skip this one please', 'pass', "I'd rather not say", 'next question', 'n/a'])('"%s" skips', (t) => {
    expect(readAnswer(nps, t).kind).toBe('skip');
  });
  it.each(['stop', 'Stop the survey', 'quit', "I'm done", 'no more questions please', 'enough!'])('"%s" stops', (t) => {
    expect(readAnswer(csat, t).kind).toBe('stop');
  });
  it('keeps long answers that merely mention stopping', () => {
    const text = q({ id: 't', type: 'text', prompt: 'Why?' });
    expect(readAnswer(text, 'The app would not stop crashing')).toEqual({ kind: 'value', value: 'The app would not stop crashing', confident: true });
  });
  it('takes a clicked value over the label text', () => {
    expect(readAnswer(nps, '9 - Very likely', '9')).toEqual({ kind: 'value', value: 9, confident: true });
    expect(readAnswer(nps, 'Skip', '__skip')).toEqual({ kind: 'skip' });
  });
});

describe('choices and yes/no', () => {
  const single = q({
    id: 'role',
    type: 'single',
    prompt: 'What do you do?',
    choices: [
      { value: 'dev', label: 'Developer', synonyms: ['engineer', 'programmer'] },
      { value: 'design', label: 'Designer' },
      { value: 'pm', label: 'Product manager', synonyms: ['pm'] },
    ],
  });
  const multiple = q({
    id: 'features',
    type: 'multiple',
    prompt: 'Which features?',
    min: 0,
    choices: [
      { value: 'search', label: 'Search' },
      { value: 'export', label: 'CSV export', synonyms: ['csv', 'exporting'] },
      { value: 'alerts', label: 'Alerts', synonyms: ['notifications'] },
    ],
  });
  const yn = q({ id: 'again', type: 'yes_no', prompt: 'Would you buy again?' });

  it.each([
    ["I'm a software engineer", 'dev'],
    ['designer', 'design'],
    ['the third one', 'pm'],
    ['2', 'design'],
  ])('single: "%s" -> %s', (text, value) => {
    expect(readAnswer(single, text)).toMatchObject({ kind: 'value', value });
  });
  it('multiple: several by label and synonym, all, none', () => {
    expect(readAnswer(multiple, 'search and notifications')).toEqual({ kind: 'value', value: ['search', 'alerts'], confident: true });
    expect(readAnswer(multiple, 'All of them')).toEqual({ kind: 'value', value: ['search', 'export', 'alerts'], confident: true });
    expect(readAnswer(multiple, 'none')).toEqual({ kind: 'value', value: [], confident: true });
    expect(readAnswer(multiple, 'x', ['export', 'search'])).toEqual({ kind: 'value', value: ['export', 'search'], confident: true });
    expect(readAnswer(multiple, 'x', ['export', 'bogus']).kind).toBe('unclear');
  });
  it.each([
    ['yes', true],
    ['Yeah, definitely', true],
    ['of course!', true],
    ['nope', false],
    ['not really', false],
    ["no, I don't think so", false],
    ['Ja, genau', true],
    ['oui', true],
    ['sí, claro', true],
    ['nein', false],
    ['non', false],
  ])('yes/no: "%s" -> %s', (text, value) => {
    expect(readAnswer(yn, text)).toMatchObject({ kind: 'value', value });
  });
});

describe('multiple-choice limits', () => {
  const limited = Question.parse({
    id: 'top2',
    type: 'multiple',
    prompt: 'Pick two at most',
    min: 1,
    max: 2,
    choices: [
      { value: 'a', label: 'Apples' },
      { value: 'b', label: 'Bananas' },
      { value: 'c', label: 'Cherries' },
    ],
  });
  it('rejects too many or too few picks', () => {
    expect(readAnswer(limited, 'apples, bananas and cherries').kind).toBe('unclear');
    expect(readAnswer(limited, 'x', ['a', 'b', 'c']).kind).toBe('unclear');
    expect(readAnswer(limited, 'none').kind).toBe('unclear');
    expect(readAnswer(limited, 'apples and cherries')).toEqual({ kind: 'value', value: ['a', 'c'], confident: true });
  });
});
