/**
 * The bot's ask-back lines when it could not read an answer for sure, in the visitor's language
 * (en, de, fr, es): ask again (saying why when it knows: a range, two numbers, outside the scale),
 * confirm an unsure reading, ask for the correction. Owner text (question labels, choices) is
 * quoted as written. Deterministic: no model is needed to ask back.
 */
import type { AnswerValue, Question } from '../../shared/flow.ts';
import type { ReplyOptions } from '../../shared/message.ts';
import type { WidgetLang } from '../../shared/widget-i18n/langs.ts';
import type { Reading } from './answer-parsing.ts';
import { scaleOf } from './answer-parsing.ts';
import { yesNoOptions } from './question-options.ts';

interface Lines {
  sorry: string;
  npsHint: (low: string, high: string) => string;
  csatHint: string;
  cesHint: string;
  starsHint: (max: number) => string;
  pickOne: (labels: string) => string;
  pickAny: (labels: string, max: number | undefined, min: number) => string;
  yesNo: string;
  ownWords: string;
  canSkip: string;
  range: (a: number, b: number) => string;
  conflict: (min: number, max: number) => string;
  outOfRange: (min: number, max: number) => string;
  decimal: (a: number, b: number) => string;
  whichNumber: (min: number, max: number) => string;
  disagree: (min: number, max: number) => string;
  confirmNumber: (value: number, max: number, stars: boolean) => string;
  confirmYesNo: (yes: boolean) => string;
  confirmChoice: (labels: string) => string;
  and: string;
  noProblem: string;
  yesRight: string;
  no: string;
  npsEnds: [string, string];
}

const LINES: ReadonlyMap<WidgetLang, Lines> = new Map<WidgetLang, Lines>([
  [
    'en',
    {
      sorry: 'Sorry, I didn’t quite catch that.',
      npsHint: (low, high) => `Pick a number from 0 (${low}) to 10 (${high}).`,
      csatHint: 'Pick a number from 1 (very dissatisfied) to 5 (very satisfied).',
      cesHint: 'Pick a number from 1 (very difficult) to 7 (very easy).',
      starsHint: (max) => `Give it 1 to ${max} stars.`,
      pickOne: (labels) => `Pick one: ${labels}.`,
      pickAny: (labels, max, min) => `Pick ${max !== undefined ? `up to ${max}` : 'any'} that apply${min > 1 ? ` (at least ${min})` : ''}: ${labels}.`,
      yesNo: 'A simple yes or no is fine.',
      ownWords: 'Just type your answer in your own words.',
      canSkip: 'You can also skip this one.',
      range: (a, b) => `Is that closer to ${a} or to ${b}? Just pick one number.`,
      conflict: (min, max) => `I read more than one number there. Which one is your rating, from ${min} to ${max}?`,
      outOfRange: (min, max) => `The scale goes from ${min} to ${max}. Which number fits best?`,
      decimal: (a, b) => `Whole numbers only, I’m afraid: would that be ${a} or ${b}?`,
      whichNumber: (min, max) => `Which number from ${min} to ${max} would you give?`,
      disagree: (min, max) => `I want to note this down correctly: which number from ${min} to ${max} would you give?`,
      confirmNumber: (v, max, stars) => `Just to check: would you put that at ${v} out of ${max}${stars ? ' stars' : ''}?`,
      confirmYesNo: (yes) => `Just to check: is that a ${yes ? 'yes' : 'no'}?`,
      confirmChoice: (labels) => `Just to check: you mean ${labels}?`,
      and: 'and',
      noProblem: 'No problem.',
      yesRight: 'Yes, that’s right',
      no: 'No',
      npsEnds: ['not at all likely', 'extremely likely'],
    },
  ],
  [
    'de',
    {
      sorry: 'Entschuldigung, das habe ich nicht ganz verstanden.',
      npsHint: (low, high) => `Wählen Sie eine Zahl von 0 (${low}) bis 10 (${high}).`,
      csatHint: 'Wählen Sie eine Zahl von 1 (sehr unzufrieden) bis 5 (sehr zufrieden).',
      cesHint: 'Wählen Sie eine Zahl von 1 (sehr schwierig) bis 7 (sehr einfach).',
      starsHint: (max) => `Vergeben Sie 1 bis ${max} Sterne.`,
      pickOne: (labels) => `Wählen Sie eine Antwort: ${labels}.`,
      pickAny: (labels, max, min) => `Wählen Sie ${max !== undefined ? `bis zu ${max}` : 'alle'} passenden${min > 1 ? ` (mindestens ${min})` : ''}: ${labels}.`,
      yesNo: 'Ein einfaches Ja oder Nein genügt.',
      ownWords: 'Schreiben Sie Ihre Antwort einfach in eigenen Worten.',
      canSkip: 'Sie können diese Frage auch überspringen.',
      range: (a, b) => `Eher ${a} oder eher ${b}? Wählen Sie bitte eine Zahl.`,
      conflict: (min, max) => `Ich habe mehr als eine Zahl gelesen. Welche ist Ihre Bewertung von ${min} bis ${max}?`,
      outOfRange: (min, max) => `Die Skala geht von ${min} bis ${max}. Welche Zahl passt am besten?`,
      decimal: (a, b) => `Leider nur ganze Zahlen: Wäre das eher ${a} oder ${b}?`,
      whichNumber: (min, max) => `Welche Zahl von ${min} bis ${max} würden Sie geben?`,
      disagree: (min, max) => `Ich möchte das richtig notieren: Welche Zahl von ${min} bis ${max} würden Sie geben?`,
      confirmNumber: (v, max, stars) => `Nur zur Sicherheit: Wären das ${v} von ${max}${stars ? ' Sternen' : ''}?`,
      confirmYesNo: (yes) => `Nur zur Sicherheit: Ist das ein ${yes ? 'Ja' : 'Nein'}?`,
      confirmChoice: (labels) => `Nur zur Sicherheit: Sie meinen ${labels}?`,
      and: 'und',
      noProblem: 'Kein Problem.',
      yesRight: 'Ja, genau',
      no: 'Nein',
      npsEnds: ['überhaupt nicht wahrscheinlich', 'äußerst wahrscheinlich'],
    },
  ],
  [
    'fr',
    {
      sorry: 'Désolé, je n’ai pas bien compris.',
      npsHint: (low, high) => `Choisissez un nombre de 0 (${low}) à 10 (${high}).`,
      csatHint: 'Choisissez un nombre de 1 (très insatisfait) à 5 (très satisfait).',
      cesHint: 'Choisissez un nombre de 1 (très difficile) à 7 (très facile).',
      starsHint: (max) => `Donnez de 1 à ${max} étoiles.`,
      pickOne: (labels) => `Choisissez une réponse : ${labels}.`,
      pickAny: (labels, max, min) => `Choisissez ${max !== undefined ? `jusqu’à ${max} réponses` : 'toutes les réponses'} qui conviennent${min > 1 ? ` (au moins ${min})` : ''} : ${labels}.`,
      yesNo: 'Un simple oui ou non suffit.',
      ownWords: 'Répondez simplement avec vos propres mots.',
      canSkip: 'Vous pouvez aussi passer cette question.',
      range: (a, b) => `Plutôt ${a} ou plutôt ${b} ? Choisissez un seul nombre.`,
      conflict: (min, max) => `J’ai lu plus d’un nombre. Lequel est votre note, de ${min} à ${max} ?`,
      outOfRange: (min, max) => `L’échelle va de ${min} à ${max}. Quel nombre correspond le mieux ?`,
      decimal: (a, b) => `Uniquement des nombres entiers : plutôt ${a} ou ${b} ?`,
      whichNumber: (min, max) => `Quelle note de ${min} à ${max} donneriez-vous ?`,
      disagree: (min, max) => `Je veux noter cela correctement : quelle note de ${min} à ${max} donneriez-vous ?`,
      confirmNumber: (v, max, stars) => `Juste pour vérifier : vous mettriez ${v} sur ${max}${stars ? ' étoiles' : ''} ?`,
      confirmYesNo: (yes) => `Juste pour vérifier : c’est un ${yes ? 'oui' : 'non'} ?`,
      confirmChoice: (labels) => `Juste pour vérifier : vous voulez dire ${labels} ?`,
      and: 'et',
      noProblem: 'Pas de problème.',
      yesRight: 'Oui, c’est ça',
      no: 'Non',
      npsEnds: ['pas du tout probable', 'extrêmement probable'],
    },
  ],
  [
    'es',
    {
      sorry: 'Perdona, no lo he entendido bien.',
      npsHint: (low, high) => `Elige un número del 0 (${low}) al 10 (${high}).`,
      csatHint: 'Elige un número del 1 (muy insatisfecho) al 5 (muy satisfecho).',
      cesHint: 'Elige un número del 1 (muy difícil) al 7 (muy fácil).',
      starsHint: (max) => `Da de 1 a ${max} estrellas.`,
      pickOne: (labels) => `Elige una opción: ${labels}.`,
      pickAny: (labels, max, min) => `Elige ${max !== undefined ? `hasta ${max}` : 'todas las'} opciones que correspondan${min > 1 ? ` (al menos ${min})` : ''}: ${labels}.`,
      yesNo: 'Basta con un sí o un no.',
      ownWords: 'Escribe tu respuesta con tus propias palabras.',
      canSkip: 'También puedes saltarte esta pregunta.',
      range: (a, b) => `¿Más cerca de ${a} o de ${b}? Elige un solo número.`,
      conflict: (min, max) => `He leído más de un número. ¿Cuál es tu valoración, del ${min} al ${max}?`,
      outOfRange: (min, max) => `La escala va del ${min} al ${max}. ¿Qué número encaja mejor?`,
      decimal: (a, b) => `Solo números enteros: ¿sería un ${a} o un ${b}?`,
      whichNumber: (min, max) => `¿Qué número del ${min} al ${max} darías?`,
      disagree: (min, max) => `Quiero anotarlo bien: ¿qué número del ${min} al ${max} darías?`,
      confirmNumber: (v, max, stars) => `Solo para confirmar: ¿sería un ${v} de ${max}${stars ? ' estrellas' : ''}?`,
      confirmYesNo: (yes) => `Solo para confirmar: ¿es un ${yes ? 'sí' : 'no'}?`,
      confirmChoice: (labels) => `Solo para confirmar: ¿te refieres a ${labels}?`,
      and: 'y',
      noProblem: 'No hay problema.',
      yesRight: 'Sí, eso es',
      no: 'No',
      npsEnds: ['nada probable', 'extremadamente probable'],
    },
  ],
]);

const EN = LINES.get('en') as Lines;
const linesFor = (lang: WidgetLang): Lines => LINES.get(lang) ?? EN;

/** what a good answer to `q` looks like */
export function answerHint(q: Question, lang: WidgetLang): string {
  const l = linesFor(lang);
  switch (q.type) {
    case 'nps':
      return l.npsHint(q.lowLabel ?? l.npsEnds[0], q.highLabel ?? l.npsEnds[1]);
    case 'csat':
      return l.csatHint;
    case 'ces':
      return l.cesHint;
    case 'stars':
      return l.starsHint(q.max);
    case 'single':
      return l.pickOne(q.choices.map((c) => c.label).join(', '));
    case 'multiple':
      return l.pickAny(q.choices.map((c) => c.label).join(', '), q.max, q.min);
    case 'yes_no':
      return l.yesNo;
    case 'text':
      return l.ownWords;
  }
}

/** asking again after an unreadable answer, saying what was unclear when the reader knows */
export function askAgain(q: Question, lang: WidgetLang, reading?: Reading): string {
  const l = linesFor(lang);
  const scale = scaleOf(q);
  const skip = q.optional ? ` ${l.canSkip}` : '';
  if (scale && reading?.kind === 'unclear') {
    const [min, max] = scale;
    const [a, b] = reading.options ?? [];
    switch (reading.why) {
      case 'range':
        if (a !== undefined && b !== undefined) return l.range(a, b);
        break;
      case 'decimal':
        if (a !== undefined && b !== undefined) return l.decimal(a, b);
        break;
      case 'conflict':
        return l.conflict(min, max);
      case 'out_of_range':
        return l.outOfRange(min, max);
      case 'negated':
        return l.whichNumber(min, max);
      case 'disagree':
        return l.disagree(min, max);
      default:
        break;
    }
  }
  return `${l.sorry} ${answerHint(q, lang)}${skip}`;
}

/** checking an unsure reading before storing it */
export function confirmReading(q: Question, value: AnswerValue, lang: WidgetLang): string {
  const l = linesFor(lang);
  if (typeof value === 'number') {
    const scale = scaleOf(q);
    return l.confirmNumber(value, scale?.[1] ?? value, q.type === 'stars');
  }
  if (typeof value === 'boolean') return l.confirmYesNo(value);
  const labels = (Array.isArray(value) ? value : [String(value)]).map(
    (v) => (q.type === 'single' || q.type === 'multiple' ? q.choices.find((c) => c.value === v)?.label : undefined) ?? v,
  );
  return l.confirmChoice(labels.join(` ${l.and} `));
}

/** the quick replies under a confirmation */
export function confirmOptions(lang: WidgetLang): ReplyOptions {
  const l = linesFor(lang);
  return yesNoOptions(l.yesRight, l.no);
}

/** after "no" to a confirmation */
export function askToCorrect(q: Question, lang: WidgetLang): string {
  return `${linesFor(lang).noProblem} ${answerHint(q, lang)}`;
}

export { confirmsNo, confirmsYes } from './yes-no-words.ts';
