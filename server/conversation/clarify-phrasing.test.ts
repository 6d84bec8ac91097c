import { describe, expect, it } from 'vitest';
import { Question } from '../../shared/flow.ts';
import { askAgain, askToCorrect, confirmReading, confirmsNo, confirmsYes } from './clarify-phrasing.ts';

const nps = Question.parse({ id: 'n', type: 'nps', prompt: 'Recommend?' });
const csat = Question.parse({ id: 'c', type: 'csat', prompt: 'Satisfied?', optional: true });
const single = Question.parse({ id: 's', type: 'single', prompt: 'Which?', choices: [{ value: 'a', label: 'Apples' }, { value: 'b', label: 'Pears' }] });
const langs = ['en', 'de', 'fr', 'es'] as const;

describe('ask-back lines', () => {
  it('differ per language and carry the numbers', () => {
    const lines = langs.map((l) => askAgain(nps, l, { kind: 'unclear', why: 'range', options: [6, 7] }));
    expect(new Set(lines).size).toBe(4);
    for (const line of lines) expect(line).toMatch(/6.*7/);
    expect(lines[1]).toBe('Eher 6 oder eher 7? Wählen Sie bitte eine Zahl.');
  });
  it('say why when the reader knows', () => {
    expect(askAgain(nps, 'en', { kind: 'unclear', why: 'out_of_range' })).toBe('The scale goes from 0 to 10. Which number fits best?');
    expect(askAgain(nps, 'fr', { kind: 'unclear', why: 'conflict' })).toBe('J’ai lu plus d’un nombre. Lequel est votre note, de 0 à 10 ?');
    expect(askAgain(nps, 'es', { kind: 'unclear', why: 'decimal', options: [7, 8] })).toBe('Solo números enteros: ¿sería un 7 o un 8?');
  });
  it('fall back to the scale hint, naming skip for optional questions', () => {
    expect(askAgain(csat, 'de')).toBe(
      'Entschuldigung, das habe ich nicht ganz verstanden. Wählen Sie eine Zahl von 1 (sehr unzufrieden) bis 5 (sehr zufrieden). Sie können diese Frage auch überspringen.',
    );
    expect(askToCorrect(nps, 'es')).toBe('No hay problema. Elige un número del 0 (nada probable) al 10 (extremadamente probable).');
  });
  it('confirm numbers, yes/no and choices, quoting the owner’s labels', () => {
    expect(confirmReading(nps, 8, 'fr')).toBe('Juste pour vérifier : vous mettriez 8 sur 10 ?');
    expect(confirmReading(single, 'b', 'de')).toBe('Nur zur Sicherheit: Sie meinen Pears?');
    expect(confirmReading(single, true, 'es')).toBe('Solo para confirmar: ¿es un sí?');
  });
  it('read yes and no to a confirmation in German, French and Spanish', () => {
    for (const yes of ['ja', 'Ja, genau', 'oui', 'Oui !', 'sí', 'si, claro', 'vale']) expect(confirmsYes(yes)).toBe(true);
    for (const no of ['nein', 'Non.', 'para nada']) expect(confirmsNo(no)).toBe(true);
    expect(confirmsYes('ja ich gebe 9')).toBe(false);
  });
});
