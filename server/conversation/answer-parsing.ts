/**
 * Offline reading of a visitor's reply onto a question: numbers in digits or words, "x out of y",
 * "x/y", percentages, opinion words on a scale, choices by label or synonym, yes/no. Opinion words
 * give an unsure reading so the engine can confirm it.
 */
import type { AnswerValue, Choice, Question } from '../../shared/flow.ts';
import { RATING_SCALES } from '../../shared/flow.ts';
import { isNo, isSkip, isStop, isYes, REPLY_VALUES } from './intents.ts';
import { readOpinion, tokenize } from './lexicon.ts';

export type Reading =
  | { kind: 'value'; value: Exclude<AnswerValue, null>; confident: boolean }
  | { kind: 'skip' }
  | { kind: 'stop' }
  | { kind: 'unclear' };

export type ScaleType = 'nps' | 'csat' | 'ces' | 'stars';

export function scaleOf(q: Question): [number, number] | null {
  if (q.type === 'stars') return [1, q.max];
  if (q.type === 'nps' || q.type === 'csat' || q.type === 'ces') return [RATING_SCALES[q.type][0], RATING_SCALES[q.type][1]];
  return null;
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, nil: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, twenty: 20, fifty: 50, hundred: 100,
};

/** "eight" -> "8", "a hundred percent" -> "100 percent"; leaves "no one" and "the one" alone */
function wordsToDigits(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b(no|the|this|that|which|any|every|some) one\b/g, '$1 _')
    .replace(/\b(a|one) hundred\b/g, '100')
    .replace(/\b[a-z]+\b/g, (w) => (NUMBER_WORDS[w] !== undefined ? String(NUMBER_WORDS[w]) : w));
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

/**
 * `opinionsAreRatings`: whether words like "very satisfied" answer the scale directly (CSAT,
 * stars) or only hint at it (NPS asks about likelihood, so words are always confirmed).
 */
export function readScale(text: string, min: number, max: number, opinionsAreRatings = true): Reading {
  const stars = text.match(/[★⭐]/gu);
  if (stars && stars.length >= min && stars.length <= max) return { kind: 'value', value: stars.length, confident: true };
  const t = wordsToDigits(text);
  const fromFraction = (x: number, y: number): Reading => {
    if (y === max) return { kind: 'value', value: clamp(Math.round(x), min, max), confident: x >= min && x <= max };
    const f = clamp(x / y, 0, 1);
    return { kind: 'value', value: Math.round(min + f * (max - min)), confident: false };
  };
  const frac = t.match(/(-?\d+(?:[.,]\d+)?)\s*(?:\/|out of|outta|of|on a scale of|from)\s*(\d+)/);
  if (frac?.[1] && frac[2] && Number(frac[2]) > 0) return fromFraction(Number(frac[1].replace(',', '.')), Number(frac[2]));
  const pct = t.match(/(\d+(?:[.,]\d+)?)\s*(?:%|percent|per cent)/);
  if (pct?.[1]) return fromFraction(Number(pct[1].replace(',', '.')), 100);
  const range = t.match(/(?:between\s+)?(\d+)\s*(?:-|to|or|and)\s*(\d+)/);
  if (range?.[1] && range[2]) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a >= min && b <= max && a < b && b - a <= 2) return { kind: 'value', value: Math.round((a + b) / 2), confident: false };
  }
  const numbers = [...t.matchAll(/(?<![\d.])(-?\d+(?:[.,]\d+)?)(?![\d])/g)].map((m) => Number((m[1] ?? '').replace(',', '.')));
  const inRange = numbers.filter((n) => n >= min && n <= max);
  if (inRange.length > 0) {
    const last = inRange[inRange.length - 1] ?? min;
    const distinct = new Set(inRange).size;
    return { kind: 'value', value: Math.round(last), confident: distinct === 1 && Number.isInteger(last) };
  }
  if (numbers.some((n) => n > max && n <= max + 2) && /!|\b(so|very|super|totally)\b/.test(t)) return { kind: 'value', value: max, confident: false };
  const opinion = readOpinion(text);
  if (opinion !== null) return { kind: 'value', value: Math.round(min + opinion.value * (max - min)), confident: opinionsAreRatings && opinion.strong };
  return { kind: 'unclear' };
}

function matchesPhrase(text: string, phrase: string): boolean {
  const p = phrase.toLowerCase().trim();
  if (!p) return false;
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(text.toLowerCase());
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** choices the text names, by value, label, synonym, or position ("the second one", "2") */
export function readChoices(text: string, choices: Choice[]): Choice[] {
  const named = choices.filter((c) => [c.value, c.label, ...c.synonyms].some((p) => matchesPhrase(text, p)));
  if (named.length > 0) return named;
  const t = text.toLowerCase().trim();
  const byOrdinal = choices.filter((_, i) => new RegExp(`\\b${ORDINALS[i] ?? '#'}\\b`).test(t));
  if (byOrdinal.length > 0) return byOrdinal;
  const digits = t.match(/^(?:option\s*|number\s*|#)?(\d{1,2})\.?$/);
  if (digits?.[1]) {
    const c = choices[Number(digits[1]) - 1];
    if (c) return [c];
  }
  return [];
}

const ALL = /^(all( of (them|the above))?|everything|every one|each of them|all the above)$/;
const NONE = /^(none( of (them|the above))?|nothing|neither)$/;

function readYesNo(text: string): Reading {
  if (isYes(text)) return { kind: 'value', value: true, confident: true };
  if (isNo(text)) return { kind: 'value', value: false, confident: true };
  const words = tokenize(text);
  const yes = words.some((w) => ['yes', 'yeah', 'yep', 'sure', 'definitely', 'absolutely', 'certainly'].includes(w));
  const no = words.some((w) => ['no', 'nope', 'nah', 'never', 'not'].includes(w));
  if (yes !== no) return { kind: 'value', value: yes, confident: false };
  return { kind: 'unclear' };
}

/** a clicked quick reply: exact values, no guessing */
function readClicked(q: Question, value: string | string[]): Reading {
  const values = Array.isArray(value) ? value : [value];
  if (values.includes(REPLY_VALUES.skip)) return { kind: 'skip' };
  const scale = scaleOf(q);
  if (scale) {
    const n = Number(values[0]);
    return Number.isInteger(n) && n >= scale[0] && n <= scale[1] ? { kind: 'value', value: n, confident: true } : { kind: 'unclear' };
  }
  if (q.type === 'yes_no') {
    if (values[0] === REPLY_VALUES.yes) return { kind: 'value', value: true, confident: true };
    if (values[0] === REPLY_VALUES.no) return { kind: 'value', value: false, confident: true };
    return { kind: 'unclear' };
  }
  if (q.type === 'single' || q.type === 'multiple') {
    const known = values.filter((v) => q.choices.some((c) => c.value === v));
    if (known.length === 0 || known.length !== values.length) return { kind: 'unclear' };
    return { kind: 'value', value: q.type === 'single' ? (known[0] ?? '') : [...new Set(known)], confident: true };
  }
  return { kind: 'value', value: values.join(', '), confident: true };
}

/** a multiple-choice answer must respect the question's min and max picks */
function withinLimits(q: Question, r: Reading): Reading {
  if (q.type !== 'multiple' || r.kind !== 'value' || !Array.isArray(r.value)) return r;
  const n = r.value.length;
  return n < q.min || (q.max !== undefined && n > q.max) ? { kind: 'unclear' } : r;
}

/** Reads a visitor reply onto a question. Clicked values win over typed text. */
export function readAnswer(q: Question, text: string, value?: string | string[]): Reading {
  return withinLimits(q, readAny(q, text, value));
}

function readAny(q: Question, text: string, value?: string | string[]): Reading {
  if (value !== undefined && (Array.isArray(value) ? value.length > 0 : value !== '')) {
    const clicked = readClicked(q, value);
    if (clicked.kind !== 'unclear') return clicked;
  }
  if (isStop(text)) return { kind: 'stop' };
  if (isSkip(text)) return { kind: 'skip' };
  const scale = scaleOf(q);
  if (scale) return readScale(text, scale[0], scale[1], q.type !== 'nps');
  switch (q.type) {
    case 'yes_no':
      return readYesNo(text);
    case 'single': {
      const found = readChoices(text, q.choices);
      if (found.length === 0) return { kind: 'unclear' };
      return { kind: 'value', value: found[0]?.value ?? '', confident: found.length === 1 };
    }
    case 'multiple': {
      const t = text.toLowerCase().trim().replace(/[.!]+$/, '');
      if (ALL.test(t)) return { kind: 'value', value: q.choices.map((c) => c.value), confident: true };
      if (NONE.test(t) && q.min === 0) return { kind: 'value', value: [], confident: true };
      const found = readChoices(text, q.choices);
      return found.length === 0 ? { kind: 'unclear' } : { kind: 'value', value: found.map((c) => c.value), confident: true };
    }
    default:
      return text.trim() ? { kind: 'value', value: text.trim(), confident: true } : { kind: 'unclear' };
  }
}
